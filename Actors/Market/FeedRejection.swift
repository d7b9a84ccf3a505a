/// Why a feed record was refused. Counted per kind; the feed keeps running.
public enum FeedRejection: Int, Error, Sendable, CaseIterable, Codable, CustomStringConvertible {
    /// A line that cannot be parsed (wrong field count, not a number, bad JSON).
    case malformed
    /// NaN or infinite price, size, bid or ask.
    case nonFinite
    /// Price ≤ 0.
    case nonPositivePrice
    /// Size < 0, or bid > ask.
    case invalidQuantity
    /// A timestamp earlier than the previous one of the same symbol.
    case timeBackwards
    /// A symbol the agent does not trade.
    case unknownSymbol

    public var description: String {
        switch self {
        case .malformed: return "malformed"
        case .nonFinite: return "non_finite"
        case .nonPositivePrice: return "non_positive_price"
        case .invalidQuantity: return "invalid_quantity"
        case .timeBackwards: return "time_backwards"
        case .unknownSymbol: return "unknown_symbol"
        }
    }
}

/// A record as a source read it, before validation.
public struct RawTick: Sendable, Equatable {
    public var symbol: String
    public var price: Double
    public var size: Double
    public var bid: Double
    public var ask: Double
    /// ns since the Unix epoch.
    public var timeNanos: UInt64

    public init(symbol: String, price: Double, size: Double, bid: Double = .nan, ask: Double = .nan, timeNanos: UInt64) {
        self.symbol = symbol
        self.price = price
        self.size = size
        self.bid = bid
        self.ask = ask
        self.timeNanos = timeNanos
    }
}
