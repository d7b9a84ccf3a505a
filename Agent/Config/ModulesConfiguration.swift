// `modules:` — the seed's five Phase 2 modules. Keys and defaults are the seed's
// production_config.yaml merged with its per-module Python dicts (model_monitoring_config,
// online_learning_config, multi_agent_config, regime_detection_config, ultra_latency_config).

import Regime

/// The five modules of the seed.
struct ModulesConfiguration: ConfigSection {
    var modelMonitoring = ModelMonitoringConfiguration()
    var onlineLearning = OnlineLearningConfiguration()
    var multiAgent = MultiAgentConfiguration()
    var regimeDetection = RegimeDetectionConfiguration()
    var ultraLatency = UltraLatencyConfiguration()

    static var fields: [ConfigField<Self>] {
        [
            .section("model_monitoring", \.modelMonitoring, doc: "Model monitoring: the 47 metrics, drift, rollback, alerts."),
            .section("online_learning", \.onlineLearning, doc: "Online learning: models, drift detectors, champion/challenger."),
            .section("multi_agent", \.multiAgent, doc: "Multi-agent coordination over Redis."),
            .section("regime_detection", \.regimeDetection, doc: "Regime detection ensemble."),
            .section("ultra_latency", \.ultraLatency, doc: "The latency engine that runs the pipeline."),
        ]
    }
}

/// `modules.model_monitoring`.
struct ModelMonitoringConfiguration: ConfigSection {
    var enabled = true
    /// Metric evaluation interval, ms.
    var metricsIntervalMs = 1000
    var alertChannels = ["slack", "email"]
    /// Minimum fraction of valid ticks before a data-quality alert.
    var dataQualityThreshold = 0.95
    var driftDetectionSensitivity = "high"
    /// Fraction below the baseline accuracy that counts as degraded.
    var performanceDegradationThreshold = 0.1
    var autoRollbackEnabled = true
    var alertCooldownMinutes = 15.0
    /// Webhook URL for the `slack` channel (secret: holds a token).
    var slackWebhookURL = ""
    /// Webhook URL for the `email` channel (an HTTP mail relay).
    var emailWebhookURL = ""

    static let channelNames = ["log", "webhook", "redis", "slack", "email"]

    static var fields: [ConfigField<Self>] {
        [
            .bool("enabled", \.enabled, doc: "Run the monitoring actor."),
            .int("metrics_interval", \.metricsIntervalMs, range: 10...3_600_000, doc: "Metric evaluation interval, ms."),
            .strings("alert_channels", \.alertChannels, oneOf: channelNames,
                     doc: "Where alerts go: log, webhook, redis, slack, email (slack/email post to their webhook URL)."),
            .double("data_quality_threshold", \.dataQualityThreshold, range: 0...1,
                    doc: "Minimum fraction of valid ticks; below it a data-quality alert fires."),
            .string("drift_detection_sensitivity", \.driftDetectionSensitivity, oneOf: ["low", "medium", "high"],
                    doc: "Drift thresholds preset: low, medium, high."),
            .double("performance_degradation_threshold", \.performanceDegradationThreshold, range: 0...1,
                    doc: "Accuracy drop below the baseline (fraction) that marks a model degraded."),
            .bool("auto_rollback_enabled", \.autoRollbackEnabled, doc: "Roll a degraded model back to its previous version."),
            .double("alert_cooldown_minutes", \.alertCooldownMinutes, range: 0...10_080,
                    doc: "Minimum minutes between two notifications of the same alert."),
            .string("slack_webhook_url", \.slackWebhookURL, secret: true,
                    doc: "Slack incoming-webhook URL for the slack channel (secret; env QUANTUM_AGENT_MODULES__MODEL_MONITORING__SLACK_WEBHOOK_URL)."),
            .string("email_webhook_url", \.emailWebhookURL, secret: true,
                    doc: "HTTP mail-relay URL for the email channel (secret)."),
        ]
    }
}

/// `modules.online_learning`.
struct OnlineLearningConfiguration: ConfigSection {
    var enabled = true
    var modelUpdateIntervalMs = 5000
    var conceptDriftThreshold = 0.1
    var modelTypes = ["ONLINE_GD", "INCREMENTAL_SVM", "STREAM_RF"]
    var conceptDriftDetectors = ["ADWIN", "DDM", "EDDM"]
    var ensembleUpdateFrequency = 1000
    var catastrophicForgettingPrevention = true

    static var fields: [ConfigField<Self>] {
        [
            .bool("enabled", \.enabled, doc: "Run the learning actor."),
            .int("model_update_interval", \.modelUpdateIntervalMs, range: 1...86_400_000,
                 doc: "Interval between champion/challenger evaluations, ms."),
            .double("concept_drift_threshold", \.conceptDriftThreshold, range: 0...1,
                    doc: "Error-rate increase (fraction) that confirms a drift and swaps in the challenger."),
            .strings("model_types", \.modelTypes, oneOf: ["ONLINE_GD", "INCREMENTAL_SVM", "STREAM_RF", "ENSEMBLE"],
                     nonEmpty: true, doc: "Model families trained online."),
            .strings("concept_drift_detectors", \.conceptDriftDetectors,
                     oneOf: ["ADWIN", "DDM", "EDDM", "PAGE_HINKLEY", "KSWIN"], nonEmpty: true,
                     doc: "Drift detectors on the error stream (River semantics)."),
            .int("ensemble_update_frequency", \.ensembleUpdateFrequency, range: 1...Int.max,
                 doc: "Labelled samples between ensemble weight updates."),
            .bool("catastrophic_forgetting_prevention", \.catastrophicForgettingPrevention,
                  doc: "Keep the previous model version for rollback after a swap."),
        ]
    }
}

/// `modules.multi_agent`.
struct MultiAgentConfiguration: ConfigSection {
    /// Off unless a config file (the seed's does) or `run --cluster` turns it on: the embedded
    /// defaults run locally without Redis.
    var enabled = false
    var redisHost = "localhost"
    var redisPort = 6379
    var heartbeatIntervalMs = 1000
    var agentTimeoutMs = 5000
    var consensusThreshold = 0.75
    var emergencyCoordinationEnabled = true
    var heartbeatTimeoutMs = 3000
    /// Whether the agents of a cluster trade one shared book (positions and limits shared through Redis).
    var sharedBook = false
    /// This agent's id in the cluster; empty = `<hostname>-<pid>`.
    var agentID = ""
    /// Key prefix of the cluster's Redis keys and channels.
    var cluster = "quantum-agent"

    static var fields: [ConfigField<Self>] {
        [
            .bool("enabled", \.enabled, doc: "Join a cluster over Redis (default false: run standalone; `run --cluster` also turns it on)."),
            .string("redis_host", \.redisHost, nonEmpty: true, doc: "Redis host (used unless redis.url is set)."),
            .int("redis_port", \.redisPort, range: 1...65535, doc: "Redis port."),
            .int("heartbeat_interval", \.heartbeatIntervalMs, range: 10...600_000, doc: "Heartbeat period, ms."),
            .int("agent_timeout_ms", \.agentTimeoutMs, range: 10...3_600_000,
                 doc: "An agent cut off from Redis longer than this halts itself, ms."),
            .double("consensus_threshold", \.consensusThreshold, range: 0.5...1,
                    doc: "Fraction of live members needed for a quorum decision (0.5...1)."),
            .bool("emergency_coordination_enabled", \.emergencyCoordinationEnabled,
                  doc: "Any agent may raise a cluster-wide emergency halt."),
            .int("heartbeat_timeout_ms", \.heartbeatTimeoutMs, range: 10...3_600_000,
                 doc: "A member silent this long is suspected, ms (greater than heartbeat_interval)."),
            .bool("shared_book", \.sharedBook, doc: "Agents share one book (positions, limits) through Redis."),
            .string("agent_id", \.agentID, doc: "This agent's id; empty = <hostname>-<pid>."),
            .string("cluster", \.cluster, nonEmpty: true, doc: "Cluster name: prefix of its Redis keys."),
        ]
    }

    func validate(path: String, context: inout ConfigContext) {
        if heartbeatTimeoutMs <= heartbeatIntervalMs {
            context.report(path: ConfigContext.join(path, "heartbeat_timeout_ms"), value: String(heartbeatTimeoutMs),
                           allowed: "more than heartbeat_interval (\(heartbeatIntervalMs) ms)", origin: "cross-field check")
        }
        if agentTimeoutMs < heartbeatTimeoutMs {
            context.report(path: ConfigContext.join(path, "agent_timeout_ms"), value: String(agentTimeoutMs),
                           allowed: "at least heartbeat_timeout_ms (\(heartbeatTimeoutMs) ms)", origin: "cross-field check")
        }
    }
}

/// `modules.regime_detection`.
struct RegimeDetectionConfiguration: ConfigSection {
    var enabled = true
    var ensembleSize = 4
    /// The seed's YAML says 0.7, its Python dict 0.6; the YAML file is what the agent loads.
    var confidenceThreshold = 0.7
    var detectors = ["hmm", "gmm", "cusum", "threshold"]
    var ensembleVotingMethod = "weighted_average"
    var regimeAdaptationEnabled = true

    static var fields: [ConfigField<Self>] {
        [
            .bool("enabled", \.enabled, doc: "Run the regime actor."),
            .int("ensemble_size", \.ensembleSize, range: 1...RegimeDetectorKind.allCases.count,
                 doc: "Detectors that vote (the first N of detectors)."),
            .double("confidence_threshold", \.confidenceThreshold, range: 0...1,
                    doc: "Minimum ensemble confidence to publish a regime change."),
            .strings("detectors", \.detectors, oneOf: RegimeDetectorKind.allCases.map(\.rawValue), nonEmpty: true,
                     doc: "Detectors: " + RegimeDetectorKind.allCases.map(\.rawValue).joined(separator: ", ") + "."),
            .string("ensemble_voting_method", \.ensembleVotingMethod, oneOf: ["weighted_average", "majority"],
                    doc: "How the detectors vote: weighted_average or majority."),
            .bool("regime_adaptation_enabled", \.regimeAdaptationEnabled,
                  doc: "Adapt detector weights to their recent agreement."),
        ]
    }

    func validate(path: String, context: inout ConfigContext) {
        if ensembleSize > detectors.count {
            context.report(path: ConfigContext.join(path, "ensemble_size"), value: String(ensembleSize),
                           allowed: "at most the number of detectors (\(detectors.count))", origin: "cross-field check")
        }
    }
}

/// `modules.ultra_latency`.
struct UltraLatencyConfiguration: ConfigSection {
    var enabled = true
    var targetLatencyMs = 50.0
    var enableHardwareOptimization = true
    var maxQueueSize = 10_000
    /// Python-only switch of the seed; accepted and ignored (Swift is compiled).
    var enableNumba = true
    /// Python-only switch of the seed; accepted and ignored.
    var enableCython = false

    static var fields: [ConfigField<Self>] {
        [
            .bool("enabled", \.enabled, doc: "Run the pipeline on the latency engine."),
            .double("target_latency_ms", \.targetLatencyMs, range: 0.001...60_000,
                    doc: "Per-tick end-to-end latency budget, ms; a tick over it counts as a deadline miss."),
            .bool("enable_hardware_optimization", \.enableHardwareOptimization,
                  doc: "Pin executor threads to cores, NUMA-local memory, spinning idle strategies."),
            .int("max_queue_size", \.maxQueueSize, range: 2...16_777_216, doc: "Mailbox capacity of each actor, messages."),
            .bool("enable_numba", \.enableNumba, doc: "Seed compatibility (Python); accepted, no effect."),
            .bool("enable_cython", \.enableCython, doc: "Seed compatibility (Python); accepted, no effect."),
        ]
    }
}
