// The drift statistics of one series (a feature or the model's predictions).

import Foundation

/// Drift of one series between a reference window and a current window.
/// See METRICS.md: `quantum_agent_drift_psi_ratio`, `quantum_agent_drift_ks_statistic_ratio`,
/// `quantum_agent_drift_wasserstein_distance`.
public struct DriftStatistics: Sendable, Codable, Equatable {
    /// Population stability index over reference-quantile bins (dimensionless, ≥ 0).
    public var psi: Double
    /// Two-sample Kolmogorov–Smirnov statistic, equal to scipy's `ks_2samp(...).statistic`, in [0, 1].
    public var ksStatistic: Double
    /// Wasserstein-1 distance, equal to scipy's `wasserstein_distance`, in the series' own unit.
    public var wasserstein: Double
    /// `wasserstein / σ_ref` (σ_ref: population standard deviation of the reference);
    /// equals `wasserstein` when σ_ref is 0.
    public var normalizedWasserstein: Double
    /// Number of finite reference values used.
    public var referenceCount: Int
    /// Number of finite current values used.
    public var currentCount: Int

    public init(psi: Double, ksStatistic: Double, wasserstein: Double, normalizedWasserstein: Double,
                referenceCount: Int, currentCount: Int) {
        self.psi = psi
        self.ksStatistic = ksStatistic
        self.wasserstein = wasserstein
        self.normalizedWasserstein = normalizedWasserstein
        self.referenceCount = referenceCount
        self.currentCount = currentCount
    }

    /// This series' contribution to `quantum_agent_drift_score_ratio`, in [0, 1]:
    /// `(KS + (1 − e^(−PSI)) + (1 − e^(−W/σ_ref))) / 3`.
    public var score: Double {
        let value = (ksStatistic + (1 - exp(-psi)) + (1 - exp(-normalizedWasserstein))) / 3
        return min(max(value, 0), 1)
    }
}
