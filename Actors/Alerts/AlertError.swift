// Errors thrown by the AlertManager and the channels' configuration.

/// Everything the alert engine can reject; each message says what is wrong and what is allowed.
public enum AlertError: Error, Equatable, Sendable, CustomStringConvertible {
    /// No active or historical alert has this id.
    case unknownAlert(id: UInt64)
    /// The alert is resolved; it can no longer be acknowledged or snoozed.
    case alreadyResolved(id: UInt64)
    /// A snooze duration outside the allowed range (nanoseconds).
    case invalidSnoozeDuration(nanoseconds: UInt64, maximumNanoseconds: UInt64)
    /// Two rules share a name.
    case duplicateRule(name: String)
    /// A rule or configuration field is invalid.
    case invalidParameter(name: String, value: String, allowed: String)

    public var description: String {
        switch self {
        case let .unknownAlert(id):
            return "alert \(id) does not exist (neither active nor in the history)"
        case let .alreadyResolved(id):
            return "alert \(id) is already resolved; only active alerts can be acknowledged or snoozed"
        case let .invalidSnoozeDuration(ns, maximum):
            return "snooze duration \(Double(ns) / 1e9) s is out of range; allowed: 1 s ... \(Double(maximum) / 1e9) s"
        case let .duplicateRule(name):
            return "alert rule '\(name)' is defined twice; rule names must be unique"
        case let .invalidParameter(name, value, allowed):
            return "\(name) = \(value) is invalid; allowed: \(allowed)"
        }
    }
}
