/// One market data update, as it travels the hot path. A plain value (no
/// references), so moving it through a channel never allocates.
public struct Tick: Sendable, Equatable {
    /// Index into the agent's `SymbolTable`.
    public var symbol: Int32
    /// Trade (or mid) price; validated finite and > 0.
    public var price: Double
    /// Trade size; validated finite and ≥ 0.
    public var size: Double
    /// Best bid, or `.nan` when the feed has none.
    public var bid: Double
    /// Best ask, or `.nan` when the feed has none.
    public var ask: Double
    /// The feed's own timestamp, ns since the Unix epoch.
    public var exchangeTimeNanos: UInt64
    /// Monotonic clock reading when the tick entered the agent (the end-to-end latency origin).
    public var ingressNanos: UInt64
    /// Sequence number assigned at ingress.
    public var sequence: UInt64

    public init(symbol: Int32, price: Double, size: Double, bid: Double = .nan, ask: Double = .nan,
                exchangeTimeNanos: UInt64, ingressNanos: UInt64 = 0, sequence: UInt64 = 0) {
        self.symbol = symbol
        self.price = price
        self.size = size
        self.bid = bid
        self.ask = ask
        self.exchangeTimeNanos = exchangeTimeNanos
        self.ingressNanos = ingressNanos
        self.sequence = sequence
    }

    /// Whether the tick carries a usable quote.
    public var hasQuote: Bool { bid.isFinite && ask.isFinite && bid > 0 && ask >= bid }
}

/// Symbol names ↔ dense indices used on the hot path.
public struct SymbolTable: Sendable, Equatable, Codable {
    public let names: [String]
    private let indices: [String: Int32]

    public init(_ names: [String]) {
        var unique: [String] = []
        for name in names where !unique.contains(name) { unique.append(name) }
        self.names = unique
        indices = Dictionary(uniqueKeysWithValues: unique.enumerated().map { ($1, Int32($0)) })
    }

    public var count: Int { names.count }
    /// The index of a symbol, or nil when it is not traded.
    public func index(of name: String) -> Int32? { indices[name] }
    /// The name of an index ("?" when out of range).
    public func name(of index: Int32) -> String {
        index >= 0 && Int(index) < names.count ? names[Int(index)] : "?"
    }

    enum CodingKeys: String, CodingKey { case names }
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(try container.decode([String].self, forKey: .names))
    }
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(names, forKey: .names)
    }
}
