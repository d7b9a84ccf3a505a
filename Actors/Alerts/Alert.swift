// One alert: the record the AlertManager keeps per dedup key.

/// Life-cycle state of an alert.
public enum AlertState: String, Sendable, Codable {
    /// Condition holds; notifications are sent (first one, then reminders after each cooldown).
    case firing
    /// An operator acknowledged it: no more reminders; it still resolves when the condition clears.
    case acknowledged
    /// Silenced until `snoozedUntil`; then back to firing with an immediate reminder.
    case snoozed
    /// Condition cleared (or cleared by hand); kept in the bounded history.
    case resolved
}

/// An alert instance. Times are nanoseconds on the clock the shell passes as `now`
/// (use wall-clock Unix-epoch nanoseconds so that JSON consumers can read them).
public struct Alert: Sendable, Codable, Equatable {
    /// Unique, increasing id (never reused).
    public var id: UInt64
    /// Dedup key: rule name plus series, e.g. `model_drift` or `data_quality_low{symbol="BTCUSD"}`.
    public var key: String
    public var rule: String
    public var metric: String
    public var severity: AlertSeverity
    public var summary: String
    public var state: AlertState
    /// Last sample value that matched the rule.
    public var value: Double
    public var threshold: Double
    public var firstSeenAt: UInt64
    public var lastSeenAt: UInt64
    /// Number of matching samples merged into this alert (deduplication).
    public var occurrences: Int
    /// Time of the last notification sent to channels; `nil` while suppressed by the cooldown.
    public var notifiedAt: UInt64?
    public var notifications: Int
    public var acknowledgedBy: String?
    public var acknowledgedAt: UInt64?
    public var snoozedUntil: UInt64?
    public var resolvedAt: UInt64?
}
