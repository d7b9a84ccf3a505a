import Protocols

/// A token bucket on an explicit clock: `rate` tokens per second refill up to `burst`.
/// No clock inside: every call passes `now` (monotonic ns). O(1), allocation-free.
public struct TokenBucket: Sendable, Equatable {
    /// Tokens added per second.
    public let rate: Double
    /// Bucket capacity, tokens.
    public let burst: Double
    /// Tokens available at `lastNanos`.
    public private(set) var tokens: Double
    private var lastNanos: UInt64
    private var started = false

    /// A full bucket.
    public init(rate: Double, burst: Double) {
        self.rate = rate
        self.burst = burst
        tokens = burst
        lastNanos = 0
    }

    /// Refills for the time since the last call and takes one token if there is one.
    /// Time going backwards refills nothing.
    public mutating func tryTake(now: UInt64) -> Bool {
        refill(now: now)
        guard tokens >= 1 else { return false }
        tokens -= 1
        return true
    }

    /// Whether a token is available at `now` (refills, takes nothing).
    public mutating func canTake(now: UInt64) -> Bool {
        refill(now: now)
        return tokens >= 1
    }

    private mutating func refill(now: UInt64) {
        if !started {
            started = true
            lastNanos = now
            return
        }
        guard now > lastNanos else { return }
        let elapsed = Double(now - lastNanos) * 1e-9
        tokens = min(burst, tokens + elapsed * rate)
        lastNanos = now
    }
}

/// Pre-trade risk on the hot path: every order is checked against `RiskLimits` before it
/// reaches the venue. O(1) and allocation-free per check; no clock inside (`now` is passed).
///
/// Order of checks (the first failure is the reason returned):
/// 1. `invalidOrder`: quantity or limit price not finite and > 0;
/// 2. `killSwitch`: latched, or drawdown `(peakEquity − equity) / peakEquity ≥ maxDrawdown`
///    (latches until `reset()`);
/// 3. `maxOrderSize`: quantity > max order size;
/// 4. `maxPosition`: |position + signed quantity| above the symbol's limit (× `riskScale`),
///    unless the order reduces the absolute position;
/// 5. `maxNotional`: gross notional after the order above the limit (× `riskScale`),
///    unless the order reduces it;
/// 6. `priceCollar`: |limit − last| / last above the collar in bps, or no usable last price;
/// 7. `orderRate`: the token bucket is empty (only accepted orders take a token).
public struct PreTradeRisk: Sendable {
    /// The limits in force.
    public private(set) var limits: RiskLimits
    /// Multiplier (0...1) applied to position and notional limits; the off-hot-path risk
    /// report lowers it after a VaR or stress breach ("reduce risk"), 1 = full limits.
    public private(set) var riskScale: Double = 1
    /// Whether the drawdown kill switch is latched.
    public private(set) var isKilled = false
    private var bucket: TokenBucket
    private var counts: RejectCounts = .init()

    /// - Throws: `RiskLimitsError` when a limit is invalid.
    public init(limits: RiskLimits) throws(RiskLimitsError) {
        try limits.validate()
        self.limits = limits
        bucket = TokenBucket(rate: limits.orderRateLimit, burst: limits.effectiveBurst)
    }

    /// Checks one order; `.none` accepts it (and takes an order-rate token).
    /// - Parameters:
    ///   - position: current signed position of the order's symbol, units.
    ///   - lastPrice: last traded (or mark) price of the symbol.
    ///   - equity: current equity; `peakEquity`: its running peak (currency units).
    ///   - now: monotonic ns, for the order-rate bucket.
    ///   - grossNotional: Σ |position| × price over all symbols before the order; 0 = only
    ///     this symbol's position counts.
    public mutating func check(_ order: OrderRequest, position: Double, lastPrice: Double, equity: Double,
                               peakEquity: Double, now: UInt64, grossNotional: Double = 0) -> RejectReason {
        let reason = evaluate(order, position: position, lastPrice: lastPrice, equity: equity,
                              peakEquity: peakEquity, now: now, grossNotional: grossNotional)
        counts.add(reason)
        return reason
    }

    private mutating func evaluate(_ order: OrderRequest, position: Double, lastPrice: Double, equity: Double,
                           peakEquity: Double, now: UInt64, grossNotional: Double) -> RejectReason {
        let q = order.quantity
        guard q.isFinite, q > 0, order.limitPrice.isFinite, order.limitPrice > 0 else { return .invalidOrder }
        if isKilled { return .killSwitch }
        if peakEquity > 0, equity.isFinite, (peakEquity - equity) / peakEquity >= limits.maxDrawdown {
            isKilled = true
            return .killSwitch
        }
        if !equity.isFinite { isKilled = true; return .killSwitch }
        if q > limits.maxOrderSize { return .maxOrderSize }
        let after = position + order.signedQuantity
        if abs(after) > limits.maxPosition(symbol: order.symbol) * riskScale, abs(after) > abs(position) {
            return .maxPosition
        }
        guard lastPrice.isFinite, lastPrice > 0 else { return .priceCollar }
        let ownBefore = abs(position) * lastPrice
        let ownAfter = abs(after) * lastPrice
        let gross = max(grossNotional, ownBefore) - ownBefore + ownAfter
        if gross > limits.maxNotional * riskScale, ownAfter > ownBefore { return .maxNotional }
        if abs(order.limitPrice - lastPrice) / lastPrice * 10_000 > limits.priceCollarBps { return .priceCollar }
        if !bucket.tryTake(now: now) { return .orderRate }
        return .none
    }

    /// Latches the kill switch by hand (operator halt).
    public mutating func trip() { isKilled = true }

    /// Unlatches the kill switch (operator action after a drawdown halt).
    public mutating func reset() { isKilled = false }

    /// Sets the multiplier of position and notional limits, clamped to 0...1.
    public mutating func setRiskScale(_ scale: Double) {
        riskScale = scale.isFinite ? min(1, max(0, scale)) : 0
    }

    /// Replaces the limits (control plane); the kill switch stays as it is.
    /// - Throws: `RiskLimitsError` when a limit is invalid (the old limits stay).
    public mutating func update(limits new: RiskLimits) throws(RiskLimitsError) {
        try new.validate()
        limits = new
        bucket = TokenBucket(rate: new.orderRateLimit, burst: new.effectiveBurst)
    }

    /// Orders seen with this outcome (`.none` = accepted).
    public func count(_ reason: RejectReason) -> UInt64 { counts[reason] }

    /// Orders checked.
    public var checked: UInt64 { counts.total }
}

/// Per-reason counters in fixed storage (no dictionary, no allocation).
struct RejectCounts: Sendable {
    var slots: (UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64,
                                  UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64) =
        (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
    var total: UInt64 = 0

    init() {}

    mutating func add(_ reason: RejectReason) {
        total &+= 1
        let i = Int(reason.rawValue) & 15
        withUnsafeMutableBytes(of: &slots) { raw in
            raw.storeBytes(of: raw.load(fromByteOffset: i * 8, as: UInt64.self) &+ 1, toByteOffset: i * 8, as: UInt64.self)
        }
    }

    subscript(reason: RejectReason) -> UInt64 {
        let i = Int(reason.rawValue) & 15
        return withUnsafeBytes(of: slots) { $0.load(fromByteOffset: i * 8, as: UInt64.self) }
    }
}
