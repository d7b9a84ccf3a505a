import Protocols

/// Checks feed records before they enter the pipeline: finite numbers, price > 0,
/// size ≥ 0, bid ≤ ask, a known symbol, and time that never goes backwards per
/// symbol. Rejections are counted per kind; accepted ticks are returned with the
/// symbol's index. O(1) per record.
public struct TickValidator: Sendable {
    public let symbols: SymbolTable
    private var lastTime: [UInt64]
    /// Rejections so far, indexed by `FeedRejection.rawValue`.
    public private(set) var rejections: [Int]
    /// Records accepted so far.
    public private(set) var accepted = 0

    public init(symbols: SymbolTable) {
        self.symbols = symbols
        lastTime = Array(repeating: 0, count: symbols.count)
        rejections = Array(repeating: 0, count: FeedRejection.allCases.count)
    }

    /// Validates one record; on success returns the tick (ingress stamp and sequence left 0).
    public mutating func validate(_ raw: RawTick) -> Result<Tick, FeedRejection> {
        guard let index = symbols.index(of: raw.symbol) else { return reject(.unknownSymbol) }
        // NaN bid/ask means "no quote"; NaN or infinite price/size, or an infinite quote, is bad data.
        guard raw.price.isFinite, raw.size.isFinite, !raw.bid.isInfinite, !raw.ask.isInfinite else {
            return reject(.nonFinite)
        }
        guard raw.price > 0 else { return reject(.nonPositivePrice) }
        guard raw.size >= 0 else { return reject(.invalidQuantity) }
        if raw.bid.isFinite, raw.ask.isFinite, raw.bid > raw.ask || raw.bid <= 0 { return reject(.invalidQuantity) }
        let slot = Int(index)
        guard raw.timeNanos >= lastTime[slot] else { return reject(.timeBackwards) }
        lastTime[slot] = raw.timeNanos
        accepted += 1
        return .success(Tick(symbol: index, price: raw.price, size: raw.size, bid: raw.bid, ask: raw.ask,
                             exchangeTimeNanos: raw.timeNanos))
    }

    /// Counts a record that could not even be parsed.
    public mutating func countMalformed() { rejections[FeedRejection.malformed.rawValue] += 1 }

    /// Rejections of one kind.
    public func count(_ kind: FeedRejection) -> Int { rejections[kind.rawValue] }

    /// All rejections.
    public var rejectedTotal: Int { rejections.reduce(0, +) }

    private mutating func reject(_ kind: FeedRejection) -> Result<Tick, FeedRejection> {
        rejections[kind.rawValue] += 1
        return .failure(kind)
    }
}
