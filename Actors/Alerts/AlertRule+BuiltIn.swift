// The built-in rules from seed 004 ("Alertes automatiques" and "Stratégie de rollback").

extension AlertRule {
    /// The seed's rules, on the metric names of `Actors/Monitoring/METRICS.md`:
    /// - `high_latency`: end-to-end p99 latency > `target_latency_ms` (default 50 ms) → critical
    ///   (seed "High Latency": latency > 50ms, critical; actions slack, email, auto_rollback);
    /// - `model_drift`: drift_score > 0.8 → warning (seed "Model Drift Detected");
    /// - `agent_communication_failure`: heartbeats missed > 3 → critical (seed);
    /// - `high_error_rate`: handler errors / messages handled over the last
    ///   `errorRateWindowSeconds` (60 s, 1-s buckets) > 0.05 → critical (seed rollback trigger
    ///   "error_rate > 5%"); a rate rule on the counters `quantum_agent_handler_errors_total` and
    ///   `quantum_agent_messages_handled_total`, evaluated once the window holds
    ///   `errorRateMinimumEvents` (20) messages;
    /// - `high_memory_usage`: `quantum_agent_memory_usage_ratio` (resident memory / memory limit,
    ///   `MemoryUsageProbe`) > 0.9 → critical (seed rollback trigger "memory_usage > 90%");
    /// - `data_quality_low`: quality ratio < `data_quality_threshold` (0.95) → warning;
    /// - `model_degraded`: degradation ratio > `performance_degradation_threshold` (0.1) → critical;
    /// - `alert_channel_drops`: alert events dropped by a channel during the last interval > 0 → warning.
    public static func builtIn(targetLatencyMilliseconds: Double = 50, dataQualityThreshold: Double = 0.95,
                               performanceDegradationThreshold: Double = 0.1, errorRateWindowSeconds: Double = 60,
                               errorRateMinimumEvents: Double = 20) -> [AlertRule] {
        [
            AlertRule(name: "high_latency", metric: "quantum_agent_stage_latency_seconds",
                      series: "stage=\"end_to_end\",quantile=\"0.99\"", comparison: .greaterThan,
                      threshold: targetLatencyMilliseconds / 1000, severity: .critical,
                      summary: "End-to-end p99 latency above target (\(targetLatencyMilliseconds) ms)",
                      actions: ["slack", "email", "auto_rollback"]),
            AlertRule(name: "model_drift", metric: "quantum_agent_drift_score_ratio", comparison: .greaterThan,
                      threshold: 0.8, severity: .warning, summary: "Model drift detected (drift_score > 0.8)",
                      actions: ["slack", "retrain_model"]),
            AlertRule(name: "agent_communication_failure", metric: "quantum_agent_cluster_heartbeats_missed",
                      comparison: .greaterThan, threshold: 3, severity: .critical,
                      summary: "Agent communication failure (more than 3 heartbeats missed)",
                      actions: ["restart_agent", "slack"]),
            AlertRule(name: "high_error_rate", metric: "quantum_agent_error_ratio", comparison: .greaterThan,
                      threshold: 0.05, severity: .critical,
                      summary: "Error rate above 5 % over the last \(Self.text(seconds: errorRateWindowSeconds)) s",
                      actions: ["stop_new_deployment", "restart_previous_version", "notify_team"],
                      rate: Rate(numerator: handlerErrorsCounter, denominator: messagesHandledCounter,
                                 windowSeconds: errorRateWindowSeconds,
                                 bucketCount: Int(min(3_600, max(1, errorRateWindowSeconds.rounded(.up)))),
                                 minimumEvents: errorRateMinimumEvents)),
            AlertRule(name: "high_memory_usage", metric: "quantum_agent_memory_usage_ratio", comparison: .greaterThan,
                      threshold: 0.9, severity: .critical, summary: "Memory usage above 90 %",
                      actions: ["stop_new_deployment", "restart_previous_version", "notify_team"]),
            AlertRule(name: "data_quality_low", metric: "quantum_agent_data_quality_ratio", comparison: .lessThan,
                      threshold: dataQualityThreshold, severity: .warning,
                      summary: "Data quality below \(dataQualityThreshold)", actions: ["slack"]),
            AlertRule(name: "model_degraded", metric: "quantum_agent_model_degradation_ratio", comparison: .greaterThan,
                      threshold: performanceDegradationThreshold, severity: .critical,
                      summary: "Model performance more than \(performanceDegradationThreshold) below its baseline",
                      actions: ["auto_rollback", "slack"]),
            AlertRule(name: "alert_channel_drops", metric: "quantum_agent_alerts_dropped_total", comparison: .greaterThan,
                      threshold: 0, severity: .warning,
                      summary: "Alert events dropped by a full channel buffer (value: drops in the last interval)",
                      actions: ["log"]),
        ]
    }

    /// Counter of failed message handlings (errors) the `high_error_rate` rule reads.
    public static let handlerErrorsCounter = "quantum_agent_handler_errors_total"
    /// Counter of handled messages (events) the `high_error_rate` rule reads.
    public static let messagesHandledCounter = "quantum_agent_messages_handled_total"

    /// `60` rather than `60.0` in summaries.
    static func text(seconds: Double) -> String {
        seconds.isFinite && abs(seconds) < 1e9 && seconds == seconds.rounded() ? String(Int(seconds)) : String(seconds)
    }
}
