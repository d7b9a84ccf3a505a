// The periodic (off-hot-path) risk report: VaR by method, stress scenarios, drawdown and
// exposure, each compared with its limit.

/// Settings of the periodic risk report (`risk.var_confidence`, `risk.var_methods`, …).
public struct RiskReportConfiguration: Sendable, Equatable, Codable {
    /// VaR confidence, e.g. 0.99.
    public var confidence: Double
    /// Methods computed (each needs ≥ 2 returns in the window).
    public var methods: [VaRMethod]
    /// Monte Carlo paths.
    public var monteCarloPaths: Int
    /// Monte Carlo seed (same seed, same window → same VaR).
    public var seed: UInt64
    /// Scenarios applied.
    public var scenarios: [StressScenario]

    public init(confidence: Double = 0.99, methods: [VaRMethod] = VaRMethod.allCases, monteCarloPaths: Int = 10_000,
                seed: UInt64 = 42, scenarios: [StressScenario] = StressScenario.builtIn) {
        self.confidence = confidence
        self.methods = methods
        self.monteCarloPaths = monteCarloPaths
        self.seed = seed
        self.scenarios = scenarios
    }
}

/// Which limits the book breaches.
public struct RiskBreaches: Sendable, Equatable, Codable {
    /// Largest VaR (any method) above `maxVaRFraction` of equity.
    public var valueAtRisk = false
    /// Worst scenario loss above `maxStressLossFraction` of equity.
    public var stress = false
    /// Drawdown at or above `maxDrawdown` (the kill switch's threshold).
    public var drawdown = false
    /// Gross notional above `maxNotional`.
    public var notional = false
    /// Symbols whose |position| is above their limit.
    public var positions: [String] = []

    public init() {}

    /// Whether anything is breached.
    public var any: Bool { valueAtRisk || stress || drawdown || notional || !positions.isEmpty }
}

/// A snapshot of portfolio risk against the limits.
public struct RiskReport: Sendable, Equatable, Codable {
    public var equity: Double
    public var peakEquity: Double
    /// (peak − equity) / peak, fraction.
    public var drawdown: Double
    /// Σ |quantity × price|, currency units.
    public var grossNotional: Double
    /// Returns the VaR estimates came from.
    public var windowCount: Int
    /// One estimate per method that could be computed.
    public var valueAtRisk: [VaREstimate]
    /// Why a method could not be computed (e.g. too few returns), by method name.
    public var unavailable: [String: String]
    /// Largest VaR over methods, currency units (VaR fraction × equity).
    public var worstValueAtRisk: Double
    public var stress: [StressResult]
    public var breaches: RiskBreaches
    /// What to pass to `PreTradeRisk.setRiskScale`: 1 when nothing is breached, otherwise the
    /// ratio limit / observed of the worst VaR, stress or notional breach (never above 1).
    public var suggestedRiskScale: Double

    /// Builds the report.
    /// - Parameters:
    ///   - returns: the portfolio's recent returns (fractions), oldest first.
    ///   - positions: current positions at mark prices.
    ///   - equity, peakEquity: currency units.
    public init(returns: [Double], positions: [PositionExposure], equity: Double, peakEquity: Double,
                limits: RiskLimits, configuration: RiskReportConfiguration = .init()) {
        self.equity = equity
        self.peakEquity = peakEquity
        drawdown = peakEquity > 0 ? max(0, (peakEquity - equity) / peakEquity) : 0
        grossNotional = positions.reduce(0) { $0 + abs($1.marketValue) }
        windowCount = returns.count
        var estimates: [VaREstimate] = []
        var unavailable: [String: String] = [:]
        for method in configuration.methods {
            do {
                estimates.append(try ValueAtRisk.estimate(method, returns: returns, confidence: configuration.confidence,
                                                          paths: configuration.monteCarloPaths, seed: configuration.seed))
            } catch {
                unavailable[method.rawValue] = error.description
            }
        }
        valueAtRisk = estimates
        self.unavailable = unavailable
        let worstFraction = estimates.map(\.valueAtRisk).max() ?? 0
        worstValueAtRisk = max(0, worstFraction) * max(0, equity)
        stress = configuration.scenarios.map { StressResult(scenario: $0, positions: positions, equity: equity) }
        let worstStress = stress.map(\.lossFraction).max() ?? 0

        var breaches = RiskBreaches()
        breaches.valueAtRisk = worstFraction > limits.maxVaRFraction
        breaches.stress = worstStress > limits.maxStressLossFraction
        breaches.drawdown = drawdown >= limits.maxDrawdown
        breaches.notional = grossNotional > limits.maxNotional
        for p in positions where abs(p.quantity) > limits.maxPosition(symbol: p.index) * (1 + 1e-12) {
            if !breaches.positions.contains(p.symbol) { breaches.positions.append(p.symbol) }
        }
        self.breaches = breaches

        var scale = 1.0
        if breaches.valueAtRisk, worstFraction > 0 { scale = min(scale, limits.maxVaRFraction / worstFraction) }
        if breaches.stress, worstStress > 0 { scale = min(scale, limits.maxStressLossFraction / worstStress) }
        if breaches.notional, grossNotional > 0 { scale = min(scale, limits.maxNotional / grossNotional) }
        if breaches.drawdown { scale = 0 }
        suggestedRiskScale = max(0, min(1, scale))
    }
}
