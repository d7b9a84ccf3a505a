// The off-hot-path risk loop's pure core: positions and prices in, a `RiskReport` out (VaR by
// method, stress scenarios, drawdown, exposure, each against its limit). No clock, no I/O:
// the agent calls it every `risk.var_interval_ms` with a snapshot of its book.

import Protocols

/// Why the risk monitor refused its input or configuration.
public enum RiskMonitorError: Error, Equatable, Sendable, CustomStringConvertible {
    /// `what` (positions, prices) does not hold one value per traded symbol.
    case countMismatch(what: String, count: Int, expected: Int)
    /// A position that is NaN or infinite.
    case invalidPosition(symbol: String, value: Double)
    /// A held symbol whose price is not a finite number > 0.
    case invalidPrice(symbol: String, value: Double)
    /// Equity that is not finite.
    case invalidEquity(Double)
    /// A bad setting, named by its config key.
    case invalidConfiguration(key: String, value: String, allowed: String)

    public var description: String {
        switch self {
        case let .countMismatch(what, count, expected):
            return "risk monitor: \(count) \(what) given, expected one per traded symbol (\(expected))"
        case let .invalidPosition(symbol, value):
            return "risk monitor: the position of \(symbol) is \(value); expected a finite number of units"
        case let .invalidPrice(symbol, value):
            return "risk monitor: the price of \(symbol) is \(value); a held symbol needs a finite price > 0"
        case let .invalidEquity(value):
            return "risk monitor: equity \(value) is not a finite number"
        case let .invalidConfiguration(key, value, allowed):
            return "\(key) = \(value) is invalid: expected \(allowed)"
        }
    }
}

/// Computes the periodic risk report of the agent's book.
///
/// Keeps a bounded window of portfolio returns (`record(equity:)` appends the simple return
/// since the previous equity) and the equity peak; `evaluate` turns positions and prices into
/// `PositionExposure`s (asset class from `configuration.assetClasses`, else
/// `AssetClass.infer(symbol:)`) and builds a `RiskReport`: VaR and ES by method at
/// `configuration.report.confidence` (parametric, historical, Monte Carlo with a fixed seed),
/// the stress scenarios, drawdown and gross notional, and the breach flags against
/// `configuration.limits` with the suggested risk scale for `PreTradeRisk.setRiskScale`.
public struct RiskMonitor: Sendable {
    /// Settings of the monitor (config section `risk:`).
    public struct Configuration: Sendable, Equatable {
        /// Limits the report checks (`risk.var_limit`, `risk.stress_loss_limit`, `risk.max_drawdown`, …).
        public var limits: RiskLimits
        /// VaR confidence, methods, Monte Carlo paths and seed, scenarios.
        public var report: RiskReportConfiguration
        /// Returns kept for VaR (`risk.var_window`, default 500; oldest dropped).
        public var windowCapacity: Int
        /// Asset class by symbol name where the name does not say it (e.g. `SYN-A: crypto`).
        public var assetClasses: [String: AssetClass]

        public init(limits: RiskLimits = RiskLimits(), report: RiskReportConfiguration = RiskReportConfiguration(),
                    windowCapacity: Int = 500, assetClasses: [String: AssetClass] = [:]) {
            self.limits = limits
            self.report = report
            self.windowCapacity = windowCapacity
            self.assetClasses = assetClasses
        }

        /// - Throws: `RiskMonitorError.invalidConfiguration` naming the `risk.` key.
        public func validate() throws(RiskMonitorError) {
            do { try limits.validate() } catch {
                throw .invalidConfiguration(key: error.key, value: "\(error.value)", allowed: error.allowed)
            }
            let c = report.confidence
            guard c.isFinite, c > 0, c < 1 else {
                throw .invalidConfiguration(key: "risk.var_confidence", value: "\(c)", allowed: "a number in (0, 1), e.g. 0.99")
            }
            guard !report.methods.isEmpty else {
                throw .invalidConfiguration(key: "risk.var_methods", value: "[]",
                                            allowed: "one or more of parametric, historical, monte_carlo")
            }
            guard (1...10_000_000).contains(report.monteCarloPaths) else {
                throw .invalidConfiguration(key: "risk.var_paths", value: "\(report.monteCarloPaths)", allowed: "1...10000000")
            }
            guard (2...1_000_000).contains(windowCapacity) else {
                throw .invalidConfiguration(key: "risk.var_window", value: "\(windowCapacity)", allowed: "2...1000000 returns")
            }
        }
    }

    /// The traded symbols: positions and prices are indexed like it.
    public let symbols: SymbolTable
    public let configuration: Configuration
    /// The recent portfolio returns (bounded).
    public private(set) var window: ReturnWindow
    /// Last recorded equity, currency units.
    public private(set) var equity: Double
    /// Highest recorded equity, currency units.
    public private(set) var peakEquity: Double

    /// - Parameters:
    ///   - symbols: the agent's symbol table.
    ///   - initialEquity: equity before any trade (the first return is measured from it).
    /// - Throws: `RiskMonitorError` for a bad setting or a non-finite equity.
    public init(symbols: SymbolTable, initialEquity: Double, configuration: Configuration = Configuration())
        throws(RiskMonitorError) {
        try configuration.validate()
        guard initialEquity.isFinite else { throw .invalidEquity(initialEquity) }
        self.symbols = symbols
        self.configuration = configuration
        window = ReturnWindow(capacity: configuration.windowCapacity)
        equity = initialEquity
        peakEquity = initialEquity
    }

    /// Records the book's equity at the end of a period (e.g. each `var_interval_ms`): appends
    /// the simple return since the last recorded equity and moves the peak.
    /// - Returns: whether a return was added (not when an equity is ≤ 0 or not finite).
    @discardableResult
    public mutating func record(equity newEquity: Double) -> Bool {
        guard newEquity.isFinite else { return false }
        let added = window.append(equityFrom: equity, to: newEquity)
        equity = newEquity
        peakEquity = max(peakEquity, newEquity)
        return added
    }

    /// The report for the book over the monitor's own window of returns.
    /// - Throws: `RiskMonitorError` for positions or prices that do not fit the symbol table.
    public func evaluate(positions: [Double], prices: [Double]) throws(RiskMonitorError) -> RiskReport {
        try evaluate(positions: positions, prices: prices, returns: window.values)
    }

    /// The report for the book over the given returns, at the recorded equity and peak.
    /// - Parameters:
    ///   - positions: signed quantity per symbol index, units.
    ///   - prices: mark price per symbol index (may be 0 for a flat symbol never traded).
    ///   - returns: portfolio returns, fractions, oldest first.
    /// - Throws: `RiskMonitorError` for a count mismatch, a non-finite position, or a held
    ///   symbol without a finite positive price.
    public func evaluate(positions: [Double], prices: [Double], returns: [Double]) throws(RiskMonitorError) -> RiskReport {
        let exposures = try self.exposures(positions: positions, prices: prices)
        return RiskReport(returns: returns, positions: exposures, equity: equity, peakEquity: peakEquity,
                          limits: configuration.limits, configuration: configuration.report)
    }

    /// The held positions as the report sees them (flat symbols left out).
    /// - Throws: as `evaluate`.
    public func exposures(positions: [Double], prices: [Double]) throws(RiskMonitorError) -> [PositionExposure] {
        guard positions.count == symbols.count else {
            throw .countMismatch(what: "positions", count: positions.count, expected: symbols.count)
        }
        guard prices.count == symbols.count else {
            throw .countMismatch(what: "prices", count: prices.count, expected: symbols.count)
        }
        var exposures: [PositionExposure] = []
        for (i, name) in symbols.names.enumerated() {
            let quantity = positions[i]
            guard quantity.isFinite else { throw .invalidPosition(symbol: name, value: quantity) }
            guard quantity != 0 else { continue }
            guard prices[i].isFinite, prices[i] > 0 else { throw .invalidPrice(symbol: name, value: prices[i]) }
            exposures.append(PositionExposure(symbol: name, index: Int32(i), quantity: quantity, price: prices[i],
                                              assetClass: configuration.assetClasses[name]))
        }
        return exposures
    }
}
