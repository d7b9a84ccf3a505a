// Per-reason counters of dropped cluster messages.

/// Counts of accepted messages and of dropped ones per ``DropReason``.
public struct DropCounters: Sendable, Equatable, Codable {
    /// Messages admitted.
    public var accepted: UInt64 = 0
    public var forged: UInt64 = 0
    public var replayed: UInt64 = 0
    public var stale: UInt64 = 0
    public var future: UInt64 = 0
    public var malformed: UInt64 = 0
    public var tooManySenders: UInt64 = 0

    public init() {}

    /// The counter for `reason`.
    public subscript(reason: DropReason) -> UInt64 {
        get {
            switch reason {
            case .forged: forged
            case .replayed: replayed
            case .stale: stale
            case .future: future
            case .malformed: malformed
            case .tooManySenders: tooManySenders
            }
        }
        set {
            switch reason {
            case .forged: forged = newValue
            case .replayed: replayed = newValue
            case .stale: stale = newValue
            case .future: future = newValue
            case .malformed: malformed = newValue
            case .tooManySenders: tooManySenders = newValue
            }
        }
    }

    /// All drops, whatever the reason.
    public var dropped: UInt64 {
        DropReason.allCases.reduce(0) { $0 + self[$1] }
    }
}
