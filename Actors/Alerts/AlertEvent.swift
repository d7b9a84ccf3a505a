// An alert event: what the AlertManager returns and the channels deliver.

/// What happened to an alert; the manager returns these and the shell sends each to the channels.
public struct AlertEvent: Sendable, Codable, Equatable {
    public enum Kind: String, Sendable, Codable {
        /// First notification of an alert.
        case raised
        /// Still firing after a cooldown period, or a snooze ended.
        case reminder
        case acknowledged
        case snoozed
        case resolved
    }

    public var kind: Kind
    /// The alert after the change.
    public var alert: Alert
    /// When it happened (ns, the shell's clock).
    public var at: UInt64

    public init(kind: Kind, alert: Alert, at: UInt64) {
        self.kind = kind
        self.alert = alert
        self.at = at
    }
}
