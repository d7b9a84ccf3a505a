// Message types of the cluster wire protocol (Protocols/Wire).

/// The kind of a cluster message, carried as one byte in the wire header.
///
/// Raw values are part of the wire format (version 1): never renumber them.
public enum WireMessageType: UInt8, Sendable, CaseIterable, CustomStringConvertible {
    /// Liveness beacon, sent every `heartbeat_interval` on pub/sub.
    case heartbeat = 1
    /// A proposal submitted to a quorum decision.
    case proposal = 2
    /// One agent's vote on a proposal.
    case vote = 3
    /// The outcome of a proposal, with its fencing token.
    case decision = 4
    /// Emergency halt raised by any agent.
    case halt = 5
    /// Operator command that lifts an emergency halt.
    case resume = 6

    public var description: String {
        switch self {
        case .heartbeat: "heartbeat"
        case .proposal: "proposal"
        case .vote: "vote"
        case .decision: "decision"
        case .halt: "halt"
        case .resume: "resume"
        }
    }
}
