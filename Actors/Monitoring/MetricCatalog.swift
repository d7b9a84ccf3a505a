// The 47 monitoring metrics (names, groups, kinds, units, labels); METRICS.md defines each.

/// The six metric groups of issue 5.
public enum MetricGroup: String, Sendable, Codable, CaseIterable {
    case dataQuality = "data_quality"
    case drift
    case modelPerformance = "model_performance"
    case latencyThroughput = "latency_throughput"
    case runtime
    case cluster
}

/// How a metric is exported through swift-metrics.
public enum MetricKind: String, Sendable, Codable {
    /// Monotonic count (`Counter`).
    case counter
    /// Last value (`Gauge` / `Recorder(aggregate: false)`).
    case gauge
    /// Quantiles (`Timer` / summary with a `quantile` label).
    case summary
}

/// Static description of one metric.
public struct MetricDescriptor: Sendable, Codable, Equatable {
    /// Prometheus name, `quantum_agent_…` with its unit suffix.
    public var name: String
    public var group: MetricGroup
    public var kind: MetricKind
    /// Unit, as written in METRICS.md (`1` for dimensionless).
    public var unit: String
    /// Label names (per symbol, series, stage, …).
    public var labels: [String]
}

/// The catalog of the 47 metrics, in METRICS.md order.
public enum MetricCatalog {
    private static func d(_ name: String, _ group: MetricGroup, _ kind: MetricKind, _ unit: String,
                          _ labels: [String] = []) -> MetricDescriptor {
        MetricDescriptor(name: name, group: group, kind: kind, unit: unit, labels: labels)
    }

    // Names used by code (alert rules, MonitorEvaluation).
    public static let dataQualityRatio = "quantum_agent_data_quality_ratio"
    public static let driftPSI = "quantum_agent_drift_psi_ratio"
    public static let driftKS = "quantum_agent_drift_ks_statistic_ratio"
    public static let driftWasserstein = "quantum_agent_drift_wasserstein_distance"
    public static let labelShift = "quantum_agent_drift_label_shift_ratio"
    public static let driftScore = "quantum_agent_drift_score_ratio"
    public static let accuracy = "quantum_agent_model_accuracy_ratio"
    public static let precision = "quantum_agent_model_precision_ratio"
    public static let recall = "quantum_agent_model_recall_ratio"
    public static let f1 = "quantum_agent_model_f1_ratio"
    public static let logLoss = "quantum_agent_model_log_loss_nats"
    public static let brier = "quantum_agent_model_brier_score_ratio"
    public static let calibrationError = "quantum_agent_model_calibration_error_ratio"
    public static let rocAUC = "quantum_agent_model_roc_auc_ratio"
    public static let hitRate = "quantum_agent_model_hit_rate_ratio"
    public static let degradation = "quantum_agent_model_degradation_ratio"
    public static let stageLatency = "quantum_agent_stage_latency_seconds"
    public static let errorRatio = "quantum_agent_error_ratio"
    public static let memoryUsage = "quantum_agent_memory_usage_ratio"
    public static let heartbeatsMissed = "quantum_agent_cluster_heartbeats_missed"
    public static let alertsDropped = "quantum_agent_alerts_dropped_total"

    /// All 47 descriptors.
    public static let all: [MetricDescriptor] = [
        // Data quality (8)
        d("quantum_agent_data_ticks_total", .dataQuality, .counter, "ticks", ["symbol"]),
        d("quantum_agent_data_missing_fields_total", .dataQuality, .counter, "ticks", ["symbol"]),
        d("quantum_agent_data_non_finite_values_total", .dataQuality, .counter, "ticks", ["symbol"]),
        d("quantum_agent_data_out_of_range_total", .dataQuality, .counter, "ticks", ["symbol"]),
        d("quantum_agent_data_duplicate_ticks_total", .dataQuality, .counter, "ticks", ["symbol"]),
        d("quantum_agent_data_out_of_order_ticks_total", .dataQuality, .counter, "ticks", ["symbol"]),
        d("quantum_agent_data_feed_age_seconds", .dataQuality, .gauge, "s", ["symbol"]),
        d(dataQualityRatio, .dataQuality, .gauge, "1", ["symbol"]),
        // Drift (6)
        d(driftPSI, .drift, .gauge, "1", ["series"]),
        d(driftKS, .drift, .gauge, "1", ["series"]),
        d(driftWasserstein, .drift, .gauge, "unit of the series", ["series"]),
        d(labelShift, .drift, .gauge, "1", ["model"]),
        d("quantum_agent_drift_detector_state", .drift, .gauge, "state (0/1/2)", ["model", "detector"]),
        d(driftScore, .drift, .gauge, "1", ["model"]),
        // Model performance (14)
        d(accuracy, .modelPerformance, .gauge, "1", ["model"]),
        d(precision, .modelPerformance, .gauge, "1", ["model"]),
        d(recall, .modelPerformance, .gauge, "1", ["model"]),
        d(f1, .modelPerformance, .gauge, "1", ["model"]),
        d(logLoss, .modelPerformance, .gauge, "nat", ["model"]),
        d(brier, .modelPerformance, .gauge, "1", ["model"]),
        d(calibrationError, .modelPerformance, .gauge, "1", ["model"]),
        d(rocAUC, .modelPerformance, .gauge, "1", ["model"]),
        d(hitRate, .modelPerformance, .gauge, "1", ["model", "symbol"]),
        d("quantum_agent_decision_pnl_quote", .modelPerformance, .gauge, "quote currency", ["model", "symbol"]),
        d("quantum_agent_decision_sharpe_ratio", .modelPerformance, .gauge, "1", ["model", "symbol"]),
        d("quantum_agent_decision_max_drawdown_quote", .modelPerformance, .gauge, "quote currency", ["model", "symbol"]),
        d(degradation, .modelPerformance, .gauge, "1", ["model"]),
        d("quantum_agent_model_rollbacks_total", .modelPerformance, .counter, "rollbacks", ["model"]),
        // Latency and throughput (4)
        d(stageLatency, .latencyThroughput, .summary, "s", ["stage", "quantile"]),
        d("quantum_agent_deadline_misses_total", .latencyThroughput, .counter, "ticks", ["stage"]),
        d("quantum_agent_ticks_per_second", .latencyThroughput, .gauge, "1/s"),
        d("quantum_agent_orders_per_second", .latencyThroughput, .gauge, "1/s"),
        // Runtime (9)
        d("quantum_agent_queue_depth_messages", .runtime, .gauge, "messages", ["actor"]),
        d("quantum_agent_queue_high_water_mark_messages", .runtime, .gauge, "messages", ["actor"]),
        d("quantum_agent_queue_dropped_messages_total", .runtime, .counter, "messages", ["actor"]),
        d("quantum_agent_actor_restarts_total", .runtime, .counter, "restarts", ["actor"]),
        d("quantum_agent_executor_cpu_usage_ratio", .runtime, .gauge, "1", ["executor"]),
        d("quantum_agent_resident_memory_bytes", .runtime, .gauge, "bytes"),
        d(memoryUsage, .runtime, .gauge, "1"),
        d(errorRatio, .runtime, .gauge, "1"),
        d(alertsDropped, .runtime, .counter, "alerts", ["channel"]),
        // Cluster (6)
        d("quantum_agent_cluster_members_alive", .cluster, .gauge, "members"),
        d("quantum_agent_cluster_heartbeat_age_seconds", .cluster, .gauge, "s", ["member"]),
        d(heartbeatsMissed, .cluster, .gauge, "heartbeats", ["member"]),
        d("quantum_agent_cluster_consensus_latency_seconds", .cluster, .summary, "s", ["quantile"]),
        d("quantum_agent_cluster_redis_round_trip_seconds", .cluster, .summary, "s", ["quantile"]),
        d("quantum_agent_cluster_halted", .cluster, .gauge, "bool (0/1)"),
    ]

    /// The descriptor of `name`, if it is one of the 47.
    public static func descriptor(named name: String) -> MetricDescriptor? {
        all.first { $0.name == name }
    }
}
