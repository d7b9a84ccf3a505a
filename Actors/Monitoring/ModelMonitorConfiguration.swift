// Sizes and thresholds of the streaming model monitor (`ModelMonitor` / `MonitorCore`).

/// What the monitor watches and how big its windows are. Memory is bounded by these sizes:
/// per model one classification window, one prediction drift window and one label-shift
/// window; per feature one drift window; per (model, symbol) pair that sees a decision one
/// PnL window; per symbol the data-quality counters and bit ring.
public struct ModelMonitorConfiguration: Sendable {
    /// The seed keys (`data_quality_threshold`, `drift_detection_sensitivity`, …).
    public var monitoring: MonitoringConfiguration
    /// Model names (`model` label); taps refer to them by index.
    public var models: [String]
    /// Symbol names (`symbol` label); taps refer to them by index.
    public var symbols: [String]
    /// Feature names (`series` label of the drift metrics); taps refer to them by index.
    public var features: [String]
    /// Labelled predictions per classification window (default 10,000).
    public var classificationWindow: Int
    /// Decisions per PnL window (default 10,000).
    public var pnlWindow: Int
    /// Drift reference length (default 10,000) and current window length (default 2,000).
    public var driftReference: Int
    public var driftWindow: Int
    /// Ticks per symbol in the data-quality ratio (default 1,024).
    public var dataQualityWindow: Int
    /// `target_latency_ms` (default 50): the high-latency rule and the per-tick deadline.
    public var targetLatencyMilliseconds: Double
    /// `max_queue_size` (default 10,000): the queue alert thresholds.
    public var maxQueueSize: Int
    /// Sliding window of the error ratio, seconds (default 60).
    public var errorWindowSeconds: Int
    /// Rollback confirmation and dwell (defaults 30 s and 300 s).
    public var rollbackConfirmationNanoseconds: UInt64
    public var rollbackDwellNanoseconds: UInt64
    /// Labelled samples needed before the rollback guard acts (default 100).
    public var rollbackMinimumSamples: Int

    public init(monitoring: MonitoringConfiguration = MonitoringConfiguration(), models: [String] = ["default"],
                symbols: [String] = [], features: [String] = [], classificationWindow: Int = 10_000,
                pnlWindow: Int = 10_000, driftReference: Int = 10_000, driftWindow: Int = 2_000,
                dataQualityWindow: Int = 1_024, targetLatencyMilliseconds: Double = 50, maxQueueSize: Int = 10_000,
                errorWindowSeconds: Int = 60, rollbackConfirmationNanoseconds: UInt64 = 30_000_000_000,
                rollbackDwellNanoseconds: UInt64 = 300_000_000_000, rollbackMinimumSamples: Int = 100) {
        self.monitoring = monitoring
        self.models = models
        self.symbols = symbols
        self.features = features
        self.classificationWindow = classificationWindow
        self.pnlWindow = pnlWindow
        self.driftReference = driftReference
        self.driftWindow = driftWindow
        self.dataQualityWindow = dataQualityWindow
        self.targetLatencyMilliseconds = targetLatencyMilliseconds
        self.maxQueueSize = maxQueueSize
        self.errorWindowSeconds = errorWindowSeconds
        self.rollbackConfirmationNanoseconds = rollbackConfirmationNanoseconds
        self.rollbackDwellNanoseconds = rollbackDwellNanoseconds
        self.rollbackMinimumSamples = rollbackMinimumSamples
    }

    /// The rollback policy of every model.
    public var rollbackPolicy: RollbackPolicy {
        RollbackPolicy(degradationThreshold: monitoring.performanceDegradationThreshold,
                       autoRollbackEnabled: monitoring.autoRollbackEnabled,
                       minimumDwellNanoseconds: rollbackDwellNanoseconds,
                       confirmationNanoseconds: rollbackConfirmationNanoseconds,
                       minimumSamples: rollbackMinimumSamples)
    }

    /// Per-tick deadline in ns (`target_latency_ms`).
    public var deadlineNanoseconds: UInt64 { UInt64(max(0, targetLatencyMilliseconds) * 1_000_000) }

    /// Checks every size and the seed keys.
    /// - Throws: `MonitoringError` naming the bad key.
    public func validate() throws(MonitoringError) {
        try monitoring.validate()
        guard (1...1_000).contains(models.count) else {
            throw .parameterOutOfRange(name: "models", value: Double(models.count), allowed: "1...1000 model names")
        }
        guard symbols.count <= 100_000 else {
            throw .parameterOutOfRange(name: "symbols", value: Double(symbols.count), allowed: "0...100000 symbols")
        }
        guard features.count <= 10_000 else {
            throw .parameterOutOfRange(name: "features", value: Double(features.count), allowed: "0...10000 features")
        }
        guard targetLatencyMilliseconds > 0, targetLatencyMilliseconds.isFinite else {
            throw .parameterOutOfRange(name: "target_latency_ms", value: targetLatencyMilliseconds, allowed: "> 0")
        }
        guard maxQueueSize >= 1 else {
            throw .parameterOutOfRange(name: "max_queue_size", value: Double(maxQueueSize), allowed: ">= 1")
        }
        guard (1...3_600).contains(errorWindowSeconds) else {
            throw .parameterOutOfRange(name: "errorWindowSeconds", value: Double(errorWindowSeconds), allowed: "1...3600")
        }
        try rollbackPolicy.validate()
    }
}
