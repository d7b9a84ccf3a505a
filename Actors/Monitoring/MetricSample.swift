// One evaluated value of one of the 47 metrics, with its label values.

/// A value of a METRICS.md metric for one label set, as produced by `MonitorCore.evaluate`.
/// Counters carry their cumulative value (the exporter turns it into increments).
public struct MetricSample: Sendable, Equatable {
    /// Position of the metric in `MetricCatalog.all`.
    public var index: Int
    /// Label values, in the order of the descriptor's `labels`.
    public var labelValues: [String]
    public var value: Double

    public init(index: Int, labelValues: [String] = [], value: Double) {
        self.index = index
        self.labelValues = labelValues
        self.value = value
    }

    /// The metric's descriptor.
    public var descriptor: MetricDescriptor { MetricCatalog.all[index] }

    /// The metric's name.
    public var name: String { descriptor.name }

    /// `(label, value)` pairs in catalog order (swift-metrics dimensions).
    public var dimensions: [(String, String)] {
        Array(zip(descriptor.labels, labelValues))
    }

    /// The series as the AlertManager keys it: `symbol="BTCUSD"`, or
    /// `stage="end_to_end",quantile="0.99"`; empty without labels.
    public var series: String {
        zip(descriptor.labels, labelValues).map { "\($0)=\"\(MonitorEvaluation.escapeLabel($1))\"" }.joined(separator: ",")
    }

    /// The Prometheus sample name, e.g. `quantum_agent_data_quality_ratio{symbol="BTCUSD"}`.
    public var sampleName: String {
        labelValues.isEmpty ? name : "\(name){\(series)}"
    }
}

/// The 47 metrics by position in `MetricCatalog.all` (same order as METRICS.md; a test checks
/// that each case's name is the snake-case tail of the metric's name).
public enum MetricID: Int, Sendable, CaseIterable {
    // Data quality
    case dataTicksTotal, dataMissingFieldsTotal, dataNonFiniteValuesTotal, dataOutOfRangeTotal
    case dataDuplicateTicksTotal, dataOutOfOrderTicksTotal, dataFeedAgeSeconds, dataQualityRatio
    // Drift
    case driftPsiRatio, driftKsStatisticRatio, driftWassersteinDistance, driftLabelShiftRatio
    case driftDetectorState, driftScoreRatio
    // Model performance
    case modelAccuracyRatio, modelPrecisionRatio, modelRecallRatio, modelF1Ratio, modelLogLossNats
    case modelBrierScoreRatio, modelCalibrationErrorRatio, modelRocAucRatio, modelHitRateRatio
    case decisionPnlQuote, decisionSharpeRatio, decisionMaxDrawdownQuote, modelDegradationRatio
    case modelRollbacksTotal
    // Latency and throughput
    case stageLatencySeconds, deadlineMissesTotal, ticksPerSecond, ordersPerSecond
    // Runtime
    case queueDepthMessages, queueHighWaterMarkMessages, queueDroppedMessagesTotal, actorRestartsTotal
    case executorCpuUsageRatio, residentMemoryBytes, memoryUsageRatio, errorRatio, alertsDroppedTotal
    // Cluster
    case clusterMembersAlive, clusterHeartbeatAgeSeconds, clusterHeartbeatsMissed
    case clusterConsensusLatencySeconds, clusterRedisRoundTripSeconds, clusterHalted

    /// The metric's descriptor.
    public var descriptor: MetricDescriptor { MetricCatalog.all[rawValue] }
}

extension MetricSample {
    /// A sample of `id`.
    public init(_ id: MetricID, _ labelValues: [String] = [], _ value: Double) {
        self.init(index: id.rawValue, labelValues: labelValues, value: value)
    }
}
