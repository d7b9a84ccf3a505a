// Rolling PnL, hit rate, Sharpe ratio (Sharpe, 1966) and maximum drawdown of a model's decisions.

/// Trading outcome metrics over the last `capacity` decisions (METRICS.md:
/// `quantum_agent_model_hit_rate_ratio`, `quantum_agent_decision_pnl_quote`,
/// `quantum_agent_decision_sharpe_ratio`, `quantum_agent_decision_max_drawdown_quote`).
public struct PnLReport: Sendable, Codable, Equatable {
    /// Number of decisions in the window.
    public var count: Int
    /// Sum of PnL over the window, in quote currency.
    public var rollingPnL: Double
    /// Fraction of decisions with PnL > 0 among decisions with PnL ≠ 0; `nil` when none.
    public var hitRate: Double?
    /// `mean / std(ddof = 1) · √annualization`; `nil` with fewer than 2 decisions or zero spread.
    public var sharpe: Double?
    /// Largest fall of cumulative PnL from its running peak (peak starts at 0), quote currency, ≥ 0.
    public var maxDrawdown: Double
}

/// PnL per decision over a sliding window. `record` is O(1), allocation-free;
/// `report()` is O(n) over the window in chronological order.
public struct DecisionPnLWindow: Sendable {
    public let capacity: Int
    /// Multiplier under the square root of the Sharpe ratio (decisions per year; 1 = per decision).
    public let annualization: Double
    private var ring: [Double]
    private var head = 0
    public private(set) var count = 0
    /// Non-finite PnL values rejected.
    public private(set) var rejectedCount = 0

    /// - Parameters:
    ///   - capacity: window length in decisions, 1 … 10,000,000.
    ///   - annualization: > 0 (default 1: per-decision Sharpe).
    /// - Throws: `MonitoringError.parameterOutOfRange` naming the bad parameter.
    public init(capacity: Int, annualization: Double = 1) throws(MonitoringError) {
        guard (1...10_000_000).contains(capacity) else {
            throw .parameterOutOfRange(name: "capacity", value: Double(capacity), allowed: "1...10000000")
        }
        guard annualization > 0, annualization.isFinite else {
            throw .parameterOutOfRange(name: "annualization", value: annualization, allowed: "(0, +inf)")
        }
        self.capacity = capacity
        self.annualization = annualization
        ring = [Double](repeating: 0, count: capacity)
    }

    /// Records the realised PnL of one decision (quote currency). Non-finite values are rejected.
    public mutating func record(pnl: Double) {
        guard pnl.isFinite else {
            rejectedCount += 1
            return
        }
        ring[head] = pnl
        head += 1
        if head == capacity { head = 0 }
        if count < capacity { count += 1 }
    }

    /// The window's metrics; `nil` when empty.
    public func report() -> PnLReport? {
        guard count > 0 else { return nil }
        let start = count == capacity ? head : 0
        var sum = 0.0, wins = 0, nonZero = 0
        var equity = 0.0, peak = 0.0, drawdown = 0.0
        for k in 0..<count {
            let pnl = ring[(start + k) % capacity]
            sum += pnl
            if pnl > 0 { wins += 1 }
            if pnl != 0 { nonZero += 1 }
            equity += pnl
            peak = max(peak, equity)
            drawdown = max(drawdown, peak - equity)
        }
        var sharpe: Double? = nil
        if count > 1 {
            let mean = sum / Double(count)
            var squares = 0.0
            for k in 0..<count {
                let d = ring[(start + k) % capacity] - mean
                squares += d * d
            }
            let std = (squares / Double(count - 1)).squareRoot()
            if std > 0 { sharpe = mean / std * annualization.squareRoot() }
        }
        return PnLReport(count: count, rollingPnL: sum,
                         hitRate: nonZero == 0 ? nil : Double(wins) / Double(nonZero),
                         sharpe: sharpe, maxDrawdown: drawdown)
    }
}
