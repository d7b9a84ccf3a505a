// A threshold rule evaluated on metric samples.

/// Comparison of a sample against a rule's threshold.
public enum AlertComparison: String, Sendable, Codable, CaseIterable {
    case greaterThan = ">"
    case greaterThanOrEqual = ">="
    case lessThan = "<"
    case lessThanOrEqual = "<="
    case equal = "=="

    /// True when `value <op> threshold`; false for NaN.
    public func holds(_ value: Double, _ threshold: Double) -> Bool {
        switch self {
        case .greaterThan: return value > threshold
        case .greaterThanOrEqual: return value >= threshold
        case .lessThan: return value < threshold
        case .lessThanOrEqual: return value <= threshold
        case .equal: return value == threshold
        }
    }
}

/// An alert rule: "`metric` (optionally only the series `series`) `comparison` `threshold`"
/// raises an alert of `severity`. One alert exists per (rule, series) key.
///
/// A rule with a `rate` is evaluated on counters instead of samples: its value is the
/// increase of `rate.numerator` (divided by that of `rate.denominator`, when set) over a
/// sliding window of `rate.windowSeconds` (see `AlertRule.Rate`).
public struct AlertRule: Sendable, Codable, Equatable {
    /// Unique rule name, e.g. `high_latency`; the first part of the dedup key.
    public var name: String
    /// Metric name the rule watches (METRICS.md), e.g. `quantum_agent_drift_score_ratio`.
    public var metric: String
    /// When set, only samples whose series labels equal this string are evaluated
    /// (e.g. `stage="end_to_end",quantile="0.99"`).
    public var series: String?
    public var comparison: AlertComparison
    public var threshold: Double
    public var severity: AlertSeverity
    /// Human-readable summary used in notifications.
    public var summary: String
    /// Actions the seed attaches (e.g. `slack`, `auto_rollback`, `restart_agent`); informative.
    public var actions: [String]
    /// When set, the rule's value is a rate over a sliding window of counters, not a sample.
    public var rate: Rate?

    public init(name: String, metric: String, series: String? = nil, comparison: AlertComparison,
                threshold: Double, severity: AlertSeverity, summary: String, actions: [String] = [],
                rate: Rate? = nil) {
        self.name = name
        self.metric = metric
        self.series = series
        self.comparison = comparison
        self.threshold = threshold
        self.severity = severity
        self.summary = summary
        self.actions = actions
        self.rate = rate
    }

    /// Checks the rule. - Throws: `AlertError.invalidParameter` naming the field.
    public func validate() throws(AlertError) {
        guard !name.isEmpty else { throw .invalidParameter(name: "rule.name", value: "\"\"", allowed: "a non-empty name") }
        guard !metric.isEmpty else { throw .invalidParameter(name: "rule.metric (\(name))", value: "\"\"", allowed: "a metric name") }
        guard threshold.isFinite else {
            throw .invalidParameter(name: "rule.threshold (\(name))", value: "\(threshold)", allowed: "a finite number")
        }
        try rate?.validate(rule: name)
    }

    /// Dedup key of this rule for a series: `name` or `name{series}`.
    public func key(series: String) -> String {
        series.isEmpty ? name : "\(name){\(series)}"
    }
}
