// Rules for the remaining thresholds of Actors/Monitoring/METRICS.md ("alert" column), on
// top of the seed's built-in rules.

extension AlertRule {
    /// The METRICS.md thresholds beyond the seed rules of `builtIn`. Two are rate rules on the
    /// cumulative counters the monitor exports: `actor_restarts_frequent` (more than 3
    /// supervisor restarts of one actor in 5 min) and `queue_drops` (an actor's mailbox dropped
    /// messages during the last 60 s). Deadline misses "> 1 % of ticks" is not a rule yet: its
    /// counter is per stage and the tick counter per symbol, so no ratio pairs them.
    /// - Parameters:
    ///   - maxQueueSize: `max_queue_size` (seed 10,000).
    ///   - heartbeatTimeoutSeconds: `heartbeat_timeout_ms` / 1000 (seed 3 s).
    ///   - quorum: members needed, `consensus_threshold` × members (seed 0.75 × members); 0 disables.
    public static func catalog(maxQueueSize: Int = 10_000, heartbeatTimeoutSeconds: Double = 3,
                               quorum: Int = 0) -> [AlertRule] {
        var rules = [
            AlertRule(name: "stale_feed", metric: "quantum_agent_data_feed_age_seconds", comparison: .greaterThan,
                      threshold: 5, severity: .warning, summary: "No tick for more than 5 s (stale feed)"),
            AlertRule(name: "drift_detector_drift", metric: "quantum_agent_drift_detector_state", comparison: .equal,
                      threshold: 2, severity: .warning, summary: "The online learner's drift detector reports drift"),
            AlertRule(name: "model_miscalibrated", metric: "quantum_agent_model_calibration_error_ratio",
                      comparison: .greaterThan, threshold: 0.1, severity: .info,
                      summary: "Expected calibration error above 0.1"),
            AlertRule(name: "model_auc_below_chance", metric: "quantum_agent_model_roc_auc_ratio", comparison: .lessThan,
                      threshold: 0.5, severity: .warning, summary: "ROC AUC below 0.5 (worse than chance)"),
            AlertRule(name: "negative_sharpe", metric: "quantum_agent_decision_sharpe_ratio", comparison: .lessThan,
                      threshold: 0, severity: .info, summary: "Sharpe ratio of the model's decisions below 0"),
            AlertRule(name: "queue_depth_high", metric: "quantum_agent_queue_depth_messages", comparison: .greaterThan,
                      threshold: 0.8 * Double(maxQueueSize), severity: .warning,
                      summary: "Mailbox above 80 % of max_queue_size (\(maxQueueSize))"),
            AlertRule(name: "queue_full", metric: "quantum_agent_queue_high_water_mark_messages",
                      comparison: .greaterThanOrEqual, threshold: Double(maxQueueSize), severity: .warning,
                      summary: "Mailbox reached max_queue_size (\(maxQueueSize))"),
            AlertRule(name: "queue_drops", metric: "quantum_agent_queue_dropped_messages_total",
                      comparison: .greaterThan, threshold: 0, severity: .warning,
                      summary: "Mailbox dropped messages during the last 60 s",
                      rate: Rate(numerator: "quantum_agent_queue_dropped_messages_total", windowSeconds: 60)),
            AlertRule(name: "actor_restarts_frequent", metric: "quantum_agent_actor_restarts_total",
                      comparison: .greaterThan, threshold: 3, severity: .warning,
                      summary: "More than 3 supervisor restarts in 5 min",
                      rate: Rate(numerator: "quantum_agent_actor_restarts_total", windowSeconds: 300)),
            AlertRule(name: "executor_cpu_high", metric: "quantum_agent_executor_cpu_usage_ratio",
                      comparison: .greaterThan, threshold: 0.7, severity: .warning,
                      summary: "Executor CPU above 70 % (seed KPI)"),
            AlertRule(name: "heartbeat_late", metric: "quantum_agent_cluster_heartbeat_age_seconds",
                      comparison: .greaterThan, threshold: heartbeatTimeoutSeconds, severity: .warning,
                      summary: "No heartbeat for more than heartbeat_timeout (\(heartbeatTimeoutSeconds) s)"),
            AlertRule(name: "consensus_slow", metric: "quantum_agent_cluster_consensus_latency_seconds",
                      series: "quantile=\"0.99\"", comparison: .greaterThan, threshold: 0.01, severity: .warning,
                      summary: "Consensus p99 above 10 ms"),
            AlertRule(name: "redis_slow", metric: "quantum_agent_cluster_redis_round_trip_seconds",
                      series: "quantile=\"0.99\"", comparison: .greaterThan, threshold: 0.001, severity: .warning,
                      summary: "Redis round trip p99 above 1 ms"),
            AlertRule(name: "cluster_halted", metric: "quantum_agent_cluster_halted", comparison: .equal,
                      threshold: 1, severity: .critical, summary: "Emergency halt in force"),
        ]
        if quorum > 0 {
            rules.append(AlertRule(name: "cluster_below_quorum", metric: "quantum_agent_cluster_members_alive",
                                   comparison: .lessThan, threshold: Double(quorum), severity: .critical,
                                   summary: "Fewer live members than the quorum (\(quorum))"))
        }
        return rules
    }
}
