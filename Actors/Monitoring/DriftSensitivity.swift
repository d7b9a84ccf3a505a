// `drift_detection_sensitivity` (seed 004) and the thresholds each level maps to.

/// The seed's `drift_detection_sensitivity`: `low`, `medium` or `high`.
/// Higher sensitivity means lower thresholds, so drift is flagged sooner.
public enum DriftSensitivity: String, Sendable, Codable, CaseIterable {
    case low
    case medium
    case high

    /// Parses the configuration word (case-insensitive).
    /// - Throws: `MonitoringError.invalidValue` naming `drift_detection_sensitivity`.
    public init(configValue: String) throws(MonitoringError) {
        guard let value = DriftSensitivity(rawValue: configValue.lowercased()) else {
            throw .invalidValue(name: "drift_detection_sensitivity", value: configValue,
                                allowed: DriftSensitivity.allCases.map(\.rawValue))
        }
        self = value
    }

    /// The per-metric thresholds for this level (see METRICS.md, "Drift thresholds").
    public var thresholds: DriftThresholds {
        switch self {
        case .low: return DriftThresholds(psi: 0.25, ksStatistic: 0.20, normalizedWasserstein: 0.25, labelShift: 0.15)
        case .medium: return DriftThresholds(psi: 0.20, ksStatistic: 0.15, normalizedWasserstein: 0.15, labelShift: 0.10)
        case .high: return DriftThresholds(psi: 0.10, ksStatistic: 0.10, normalizedWasserstein: 0.10, labelShift: 0.05)
        }
    }
}
