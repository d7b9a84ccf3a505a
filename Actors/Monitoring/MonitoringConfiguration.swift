// The seed's `model_monitoring_config` and `modules.model_monitoring` keys (seed 004).

/// Configuration of the model monitor. Defaults are the seed's production values.
public struct MonitoringConfiguration: Sendable, Codable, Equatable {
    /// `data_quality_threshold`: minimum fraction of good ticks per symbol (default 0.95).
    public var dataQualityThreshold: Double
    /// `drift_detection_sensitivity`: low | medium | high (default high).
    public var driftDetectionSensitivity: DriftSensitivity
    /// `performance_degradation_threshold`: relative drop below the version baseline (default 0.1).
    public var performanceDegradationThreshold: Double
    /// `auto_rollback_enabled` (default true).
    public var autoRollbackEnabled: Bool
    /// `alert_cooldown_minutes` (default 15).
    public var alertCooldownMinutes: Double
    /// `metrics_interval`, milliseconds between metric evaluations (default 1000).
    public var metricsIntervalMilliseconds: Int
    /// `alert_channels` (default ["slack", "email"]); "slack" maps to the webhook channel.
    public var alertChannels: [String]

    public init(dataQualityThreshold: Double = 0.95, driftDetectionSensitivity: DriftSensitivity = .high,
                performanceDegradationThreshold: Double = 0.1, autoRollbackEnabled: Bool = true,
                alertCooldownMinutes: Double = 15, metricsIntervalMilliseconds: Int = 1000,
                alertChannels: [String] = ["slack", "email"]) {
        self.dataQualityThreshold = dataQualityThreshold
        self.driftDetectionSensitivity = driftDetectionSensitivity
        self.performanceDegradationThreshold = performanceDegradationThreshold
        self.autoRollbackEnabled = autoRollbackEnabled
        self.alertCooldownMinutes = alertCooldownMinutes
        self.metricsIntervalMilliseconds = metricsIntervalMilliseconds
        self.alertChannels = alertChannels
    }

    /// Checks every key's range.
    /// - Throws: `MonitoringError.parameterOutOfRange` / `.invalidValue` naming the seed key.
    public func validate() throws(MonitoringError) {
        guard dataQualityThreshold >= 0, dataQualityThreshold <= 1 else {
            throw .parameterOutOfRange(name: "data_quality_threshold", value: dataQualityThreshold, allowed: "[0, 1]")
        }
        guard performanceDegradationThreshold > 0, performanceDegradationThreshold < 1 else {
            throw .parameterOutOfRange(name: "performance_degradation_threshold",
                                       value: performanceDegradationThreshold, allowed: "(0, 1)")
        }
        guard alertCooldownMinutes >= 0, alertCooldownMinutes <= 10_080 else {
            throw .parameterOutOfRange(name: "alert_cooldown_minutes", value: alertCooldownMinutes, allowed: "[0, 10080]")
        }
        guard (10...3_600_000).contains(metricsIntervalMilliseconds) else {
            throw .parameterOutOfRange(name: "metrics_interval", value: Double(metricsIntervalMilliseconds),
                                       allowed: "10...3600000 (ms)")
        }
        let known = ["slack", "email", "webhook", "log", "redis"]
        for channel in alertChannels where !known.contains(channel) {
            throw .invalidValue(name: "alert_channels", value: channel, allowed: known)
        }
    }

    /// The drift thresholds of the configured sensitivity.
    public var driftThresholds: DriftThresholds { driftDetectionSensitivity.thresholds }

    /// The rollback policy these keys imply (dwell and confirmation at their defaults).
    public var rollbackPolicy: RollbackPolicy {
        RollbackPolicy(degradationThreshold: performanceDegradationThreshold, autoRollbackEnabled: autoRollbackEnabled)
    }
}
