// Per-metric drift thresholds (see METRICS.md, "Drift thresholds").

/// Alert thresholds for the drift metrics; a series is "drifted" when any of
/// its statistics is strictly above its threshold.
public struct DriftThresholds: Sendable, Codable, Equatable {
    /// Population stability index (dimensionless).
    public var psi: Double
    /// Two-sample Kolmogorov–Smirnov statistic, in [0, 1].
    public var ksStatistic: Double
    /// Wasserstein-1 distance divided by the reference standard deviation.
    public var normalizedWasserstein: Double
    /// Absolute change of the positive-label rate, in [0, 1].
    public var labelShift: Double
    /// Combined drift score above which the built-in warning fires (seed: 0.8).
    public var driftScore: Double

    public init(psi: Double, ksStatistic: Double, normalizedWasserstein: Double, labelShift: Double,
                driftScore: Double = 0.8) {
        self.psi = psi
        self.ksStatistic = ksStatistic
        self.normalizedWasserstein = normalizedWasserstein
        self.labelShift = labelShift
        self.driftScore = driftScore
    }

    /// True when any statistic of `drift` is above its threshold.
    public func isDrifted(_ drift: DriftStatistics) -> Bool {
        drift.psi > psi || drift.ksStatistic > ksStatistic || drift.normalizedWasserstein > normalizedWasserstein
    }
}
