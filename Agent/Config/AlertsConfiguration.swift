// `alerts:` (the seed's list of rules, conditions as the seed writes them: "latency > 50ms")
// and `health_checks:` (the seed's dict, plus the thresholds /health applies).

import Alerts
import Foundation

/// One rule of `alerts:` as the seed writes it.
struct AlertRuleSpec: ConfigSection {
    var name = ""
    var condition = ""
    var severity = AlertSeverity.warning
    var actions: [String] = []

    static let actionNames = ["slack", "email", "log", "webhook", "redis", "auto_rollback", "retrain_model",
                              "restart_agent", "halt", "notify_team"]

    static var fields: [ConfigField<Self>] {
        [
            .string("name", \.name, nonEmpty: true, doc: "Rule name (unique)."),
            .string("condition", \.condition, nonEmpty: true,
                    doc: "`<metric> <op> <number>[unit]`: metric one of " + AlertCondition.aliases.keys.sorted().joined(separator: ", ")
                        + " or a quantum_agent_… name; op > >= < <= ==; unit ms, s, us or %."),
            .choice("severity", \.severity, doc: "info, warning or critical."),
            .strings("actions", \.actions, oneOf: actionNames, doc: "Actions: " + actionNames.joined(separator: ", ") + "."),
        ]
    }

    func validate(path: String, context: inout ConfigContext) {
        if !condition.isEmpty, case .failure(let reason) = AlertCondition.parse(condition) {
            context.report(path: ConfigContext.join(path, "condition"), value: quote(condition), allowed: reason.allowed,
                           origin: "cross-field check")
        }
    }

    /// The Alerts module rule this spec describes, or nil when the condition does not parse.
    var rule: AlertRule? {
        guard case .success(let parsed) = AlertCondition.parse(condition) else { return nil }
        let id = name.lowercased().map { $0.isLetter || $0.isNumber ? $0 : "_" }
        return AlertRule(name: String(id), metric: parsed.metric, series: parsed.series, comparison: parsed.comparison,
                         threshold: parsed.threshold, severity: severity, summary: "\(name) (\(condition))",
                         actions: actions)
    }
}

/// A parsed alert condition on a metric of METRICS.md.
struct AlertCondition: Equatable, Sendable {
    var metric: String
    var series: String?
    var comparison: AlertComparison
    /// In the metric's base unit (seconds, ratio, count).
    var threshold: Double

    /// The seed's short names → (metric, series, unit the bare number is in).
    static let aliases: [String: (metric: String, series: String?, defaultUnit: String)] = [
        "latency": ("quantum_agent_stage_latency_seconds", "stage=\"end_to_end\",quantile=\"0.99\"", "ms"),
        "drift_score": ("quantum_agent_drift_score_ratio", nil, ""),
        "heartbeat_missed": ("quantum_agent_cluster_heartbeats_missed", nil, ""),
        "error_rate": ("quantum_agent_error_ratio", nil, ""),
        "memory_usage": ("quantum_agent_memory_usage_ratio", nil, ""),
        "cpu_usage": ("quantum_agent_executor_cpu_usage_ratio", nil, ""),
        "data_quality": ("quantum_agent_data_quality_ratio", nil, ""),
        "model_degradation": ("quantum_agent_model_degradation_ratio", nil, ""),
        "deadline_misses": ("quantum_agent_deadline_misses_total", nil, ""),
    ]

    /// Parses `latency > 50ms`, `error_rate > 5%`, `heartbeat_missed > 3`.
    static func parse(_ text: String) -> Result<AlertCondition, ConditionError> {
        let allowed = "`<metric> <op> <number>[ms|s|us|%]` with metric one of "
            + aliases.keys.sorted().joined(separator: ", ") + " or quantum_agent_…"
        let ops: [(String, AlertComparison)] = [(">=", .greaterThanOrEqual), ("<=", .lessThanOrEqual), ("==", .equal),
                                                (">", .greaterThan), ("<", .lessThan)]
        guard let (token, comparison) = ops.first(where: { text.contains($0.0) }),
              let range = text.range(of: token) else { return .failure(ConditionError(allowed)) }
        let name = text[..<range.lowerBound].trimmingCharacters(in: .whitespaces)
        var number = text[range.upperBound...].trimmingCharacters(in: .whitespaces)
        let metric: String, series: String?, defaultUnit: String
        if let alias = aliases[name] {
            (metric, series, defaultUnit) = alias
        } else if name.hasPrefix("quantum_agent_"), name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" }) {
            (metric, series, defaultUnit) = (name, nil, name.hasSuffix("_seconds") ? "s" : "")
        } else {
            return .failure(ConditionError(allowed))
        }
        var unit = defaultUnit
        for suffix in ["ms", "us", "s", "%"] where number.hasSuffix(suffix) {
            unit = suffix
            number = String(number.dropLast(suffix.count)).trimmingCharacters(in: .whitespaces)
            break
        }
        guard let value = Double(number), value.isFinite else { return .failure(ConditionError(allowed)) }
        let isSeconds = metric.hasSuffix("_seconds")
        let scale: Double
        switch unit {
        case "ms": scale = 1e-3
        case "us": scale = 1e-6
        case "%": scale = 0.01
        default: scale = 1
        }
        if isSeconds != (unit == "ms" || unit == "us" || unit == "s") {
            return .failure(ConditionError(isSeconds ? "a duration (ms, s or us) for \(name)" : "no time unit for \(name)"))
        }
        return .success(AlertCondition(metric: metric, series: series, comparison: comparison, threshold: value * scale))
    }

    /// Why a condition did not parse.
    struct ConditionError: Error, Equatable {
        var allowed: String
        init(_ allowed: String) { self.allowed = allowed }
    }
}

/// `health_checks`: which subsystems /health checks and the limits it applies.
/// The seed's dict maps check names to Python function names; any string or `true` enables a check.
struct HealthChecksConfiguration: ConfigSection {
    var databaseConnection = true
    var redisConnection = true
    var modelPerformance = true
    var latencyMetrics = true
    var memoryUsage = true
    var cpuUsage = true
    /// Memory use (fraction of the limit) above which /health is degraded (seed: < 80 %).
    var maxMemoryFraction = 0.8
    /// CPU use (fraction) above which /health is degraded (seed: < 70 %).
    var maxCPUFraction = 0.7
    /// Model accuracy below which /health is degraded (seed: > 80 %).
    var minModelAccuracy = 0.8

    static var fields: [ConfigField<Self>] {
        [
            .toggle("database_connection", \.databaseConnection, doc: "Check the journal (SQLite) is writable."),
            .toggle("redis_connection", \.redisConnection, doc: "Check Redis answers (when multi_agent is enabled)."),
            .toggle("model_performance", \.modelPerformance, doc: "Check model accuracy ≥ min_model_accuracy."),
            .toggle("latency_metrics", \.latencyMetrics, doc: "Check end-to-end p99 ≤ ultra_latency.target_latency_ms."),
            .toggle("memory_usage", \.memoryUsage, doc: "Check memory use ≤ max_memory_fraction."),
            .toggle("cpu_usage", \.cpuUsage, doc: "Check CPU use ≤ max_cpu_fraction."),
            .double("max_memory_fraction", \.maxMemoryFraction, range: 0.01...1, doc: "Memory limit for /health, fraction."),
            .double("max_cpu_fraction", \.maxCPUFraction, range: 0.01...1, doc: "CPU limit for /health, fraction."),
            .double("min_model_accuracy", \.minModelAccuracy, range: 0...1, doc: "Accuracy floor for /health, fraction."),
        ]
    }
}

extension ConfigField {
    /// A check switch: `true`/`false`, or any non-empty string (the seed's `'check_redis_connection()'`) = enabled.
    static func toggle(_ key: String, _ keyPath: WritableKeyPath<Root, Bool>, doc: String) -> Self {
        ConfigField(key: key, doc: doc, decode: { root, value, path, context in
            guard case .scalar(let text) = value.kind, !text.isEmpty else {
                context.report(path: path, value: value, allowed: "true, false, or a check name (enabled)")
                return
            }
            root[keyPath: keyPath] = parseBool(text) ?? true
        }, render: { root, _ in .scalar(root[keyPath: keyPath] ? "true" : "false") })
    }
}
