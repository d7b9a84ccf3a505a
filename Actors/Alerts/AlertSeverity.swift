// Alert severities (seed 004: info | warning | critical).

/// How urgent an alert is. Ordered: info < warning < critical.
public enum AlertSeverity: String, Sendable, Codable, CaseIterable, Comparable {
    case info
    case warning
    case critical

    private var rank: Int {
        switch self {
        case .info: return 0
        case .warning: return 1
        case .critical: return 2
        }
    }

    public static func < (lhs: AlertSeverity, rhs: AlertSeverity) -> Bool { lhs.rank < rhs.rank }
}
