// A risk report's breaches as alerts: one key per breach, for the agent's AlertManager.

/// One limit the book breaches, ready to raise as an alert (`AlertRequest.raise`) and to clear
/// when a later report no longer lists its key.
public struct RiskBreach: Sendable, Equatable, Codable {
    /// Alert key, e.g. `risk_var_breach` or `risk_position_breach{symbol="BTC-USD"}`.
    public var key: String
    /// What is breached, with the observed value and the limit.
    public var summary: String
    /// Observed value (fraction of equity or currency units; 1 for a position breach).
    public var value: Double
    /// The limit it is compared with (0 for a position breach: limits differ per symbol).
    public var limit: Double
}

extension RiskReport {
    /// Every breach of the report (empty when `breaches.any` is false). All are critical: a
    /// breach also shrinks the pre-trade limits through `suggestedRiskScale`.
    public func breachAlerts(limits: RiskLimits) -> [RiskBreach] {
        var out: [RiskBreach] = []
        if breaches.valueAtRisk, let worst = valueAtRisk.max(by: { $0.valueAtRisk < $1.valueAtRisk }) {
            out.append(RiskBreach(
                key: "risk_var_breach",
                summary: "\(worst.method.rawValue) VaR at \(percent(worst.confidence)) is \(percent(worst.valueAtRisk)) of equity, "
                    + "above risk.var_limit \(percent(limits.maxVaRFraction))",
                value: worst.valueAtRisk, limit: limits.maxVaRFraction))
        }
        if breaches.stress, let worst = stress.max(by: { $0.lossFraction < $1.lossFraction }) {
            out.append(RiskBreach(
                key: "risk_stress_breach{scenario=\"\(worst.scenario)\"}",
                summary: "stress scenario \(worst.scenario) would lose \(percent(worst.lossFraction)) of equity, "
                    + "above risk.stress_loss_limit \(percent(limits.maxStressLossFraction))",
                value: worst.lossFraction, limit: limits.maxStressLossFraction))
        }
        if breaches.drawdown {
            out.append(RiskBreach(key: "risk_drawdown_breach",
                                  summary: "drawdown \(percent(drawdown)) reached risk.max_drawdown \(percent(limits.maxDrawdown))",
                                  value: drawdown, limit: limits.maxDrawdown))
        }
        if breaches.notional {
            out.append(RiskBreach(key: "risk_notional_breach",
                                  summary: "gross notional \(grossNotional) above risk.max_notional \(limits.maxNotional)",
                                  value: grossNotional, limit: limits.maxNotional))
        }
        for symbol in breaches.positions {
            out.append(RiskBreach(key: "risk_position_breach{symbol=\"\(symbol)\"}",
                                  summary: "position of \(symbol) above its risk.max_position", value: 1, limit: 0))
        }
        return out
    }

    private func percent(_ fraction: Double) -> String {
        let tenths = (fraction * 1000).rounded()
        return tenths.isFinite && abs(tenths) < 1e15 ? "\(Double(Int(tenths)) / 10) %" : "\(fraction * 100) %"
    }
}
