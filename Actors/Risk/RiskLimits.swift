// Pre-trade and portfolio limits (config section `risk:`), validated with errors that
// name the offending key.

/// The limits pre-trade risk and the off-hot-path risk report check against.
///
/// Units: positions and order sizes in units of the instrument, notional in currency
/// units, collar in basis points of the last price, rates in orders per second,
/// drawdown, VaR and stress limits as fractions of equity.
public struct RiskLimits: Sendable, Equatable, Codable {
    /// Largest absolute position per symbol, units (`risk.max_position`).
    public var maxPosition: Double
    /// Per-symbol overrides of `maxPosition`, indexed by symbol index; a missing entry or a
    /// negative value means "use `maxPosition`".
    public var maxPositionBySymbol: [Double]
    /// Largest single order, units (`risk.max_order_size`).
    public var maxOrderSize: Double
    /// Largest gross notional (Σ |position| × price over symbols) after the order,
    /// currency units (`risk.max_notional`).
    public var maxNotional: Double
    /// Orders priced further than this from the last price are refused, bps (`risk.price_collar_bps`).
    public var priceCollarBps: Double
    /// Sustained order rate, orders per second (`risk.order_rate_limit`).
    public var orderRateLimit: Double
    /// Burst size of the order-rate token bucket, orders (`risk.order_burst`; 0 = one second's worth).
    public var orderBurst: Double
    /// Drawdown from the equity peak that latches the kill switch, fraction (`risk.max_drawdown`).
    public var maxDrawdown: Double
    /// VaR above this fraction of equity is a breach in the risk report (`risk.var_limit`).
    public var maxVaRFraction: Double
    /// A stress-scenario loss above this fraction of equity is a breach (`risk.stress_loss_limit`).
    public var maxStressLossFraction: Double

    /// Limits with the defaults of `risk:` in the agent's configuration.
    public init(maxPosition: Double = 100, maxPositionBySymbol: [Double] = [], maxOrderSize: Double = 10,
                maxNotional: Double = 1_000_000, priceCollarBps: Double = 50, orderRateLimit: Double = 2000,
                orderBurst: Double = 0, maxDrawdown: Double = 0.12, maxVaRFraction: Double = 0.05,
                maxStressLossFraction: Double = 0.25) {
        self.maxPosition = maxPosition
        self.maxPositionBySymbol = maxPositionBySymbol
        self.maxOrderSize = maxOrderSize
        self.maxNotional = maxNotional
        self.priceCollarBps = priceCollarBps
        self.orderRateLimit = orderRateLimit
        self.orderBurst = orderBurst
        self.maxDrawdown = maxDrawdown
        self.maxVaRFraction = maxVaRFraction
        self.maxStressLossFraction = maxStressLossFraction
    }

    /// The position limit of one symbol, units.
    @inlinable
    public func maxPosition(symbol: Int32) -> Double {
        let i = Int(symbol)
        if i >= 0, i < maxPositionBySymbol.count, maxPositionBySymbol[i] >= 0 { return maxPositionBySymbol[i] }
        return maxPosition
    }

    /// Effective burst of the token bucket, orders.
    public var effectiveBurst: Double { orderBurst > 0 ? orderBurst : max(1, orderRateLimit) }

    /// Checks every limit.
    /// - Throws: `RiskLimitsError` naming the first bad key (`risk.<key>`), its value and what is allowed.
    public func validate() throws(RiskLimitsError) {
        try Self.require(maxPosition, key: "max_position", allowed: "a finite number ≥ 0") { $0 >= 0 }
        for (i, value) in maxPositionBySymbol.enumerated() where !value.isFinite {
            throw RiskLimitsError(key: "max_position_by_symbol[\(i)]", value: value, allowed: "a finite number")
        }
        try Self.require(maxOrderSize, key: "max_order_size", allowed: "a finite number > 0") { $0 > 0 }
        if maxOrderSize > maxPosition {
            throw RiskLimitsError(key: "max_order_size", value: maxOrderSize, allowed: "at most max_position (\(maxPosition))")
        }
        try Self.require(maxNotional, key: "max_notional", allowed: "a finite number > 0") { $0 > 0 }
        try Self.require(priceCollarBps, key: "price_collar_bps", allowed: "a number in 0...10000") { $0 >= 0 && $0 <= 10_000 }
        try Self.require(orderRateLimit, key: "order_rate_limit", allowed: "a finite number > 0 (orders/s)") { $0 > 0 }
        try Self.require(orderBurst, key: "order_burst", allowed: "a finite number ≥ 0 (0 = one second's worth)") { $0 >= 0 }
        try Self.require(maxDrawdown, key: "max_drawdown", allowed: "a fraction in (0, 1]") { $0 > 0 && $0 <= 1 }
        try Self.require(maxVaRFraction, key: "var_limit", allowed: "a fraction in (0, 1]") { $0 > 0 && $0 <= 1 }
        try Self.require(maxStressLossFraction, key: "stress_loss_limit", allowed: "a fraction in (0, 1]") { $0 > 0 && $0 <= 1 }
    }

    private static func require(_ value: Double, key: String, allowed: String,
                                _ ok: (Double) -> Bool) throws(RiskLimitsError) {
        guard value.isFinite, ok(value) else { throw RiskLimitsError(key: key, value: value, allowed: allowed) }
    }
}

/// A limit outside its allowed range.
public struct RiskLimitsError: Error, Equatable, CustomStringConvertible {
    /// Full config key, e.g. `risk.max_drawdown`.
    public let key: String
    /// The value given.
    public let value: Double
    /// What the key accepts.
    public let allowed: String

    public init(key: String, value: Double, allowed: String) {
        self.key = key.hasPrefix("risk.") ? key : "risk." + key
        self.value = value
        self.allowed = allowed
    }

    public var description: String { "\(key) = \(value) is invalid: expected \(allowed)" }
}
