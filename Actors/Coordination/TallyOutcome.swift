// Result of the atomic Lua vote tally.

import Protocols

/// What ``ClusterScripts/tally`` returned for one vote.
public struct TallyOutcome: Sendable, Equatable {
    /// State of the proposal after the vote.
    public enum Status: Int64, Sendable {
        case pending = 0
        case approved = 1
        case rejected = 2
    }

    public var status: Status
    public var approvals: Int
    public var rejections: Int
    /// Fencing token (INCR) when approved, else 0.
    public var fencingToken: UInt64
    /// `true` for exactly one vote: the one whose tally decided the proposal. Its sender
    /// broadcasts the decision unless the script appended it (``decisionAppended``).
    public var decidedByThisVote: Bool
    /// The script appended the decision certificate itself, in the step that decided it.
    public var decisionAppended: Bool

    public init(status: Status, approvals: Int, rejections: Int, fencingToken: UInt64, decidedByThisVote: Bool,
                decisionAppended: Bool = false) {
        self.status = status
        self.approvals = approvals
        self.rejections = rejections
        self.fencingToken = fencingToken
        self.decidedByThisVote = decidedByThisVote
        self.decisionAppended = decisionAppended
    }

    /// Parses the script's reply `{status, approvals, rejections, token, decidedNow, appended}`.
    /// - Throws: `CoordinationError.unexpectedTallyReply`.
    public init(reply: RedisReply) throws(CoordinationError) {
        guard let parts = reply.array, parts.count == 6,
              let raw = parts[0].integer, let status = Status(rawValue: raw),
              let approvals = parts[1].integer, let rejections = parts[2].integer,
              let token = parts[3].integer, token >= 0, let now = parts[4].integer, let appended = parts[5].integer
        else { throw .unexpectedTallyReply(reply.description) }
        self.init(status: status, approvals: Int(approvals), rejections: Int(rejections),
                  fencingToken: UInt64(token), decidedByThisVote: now == 1, decisionAppended: appended == 1)
    }
}

/// Errors of the coordination layer.
public enum CoordinationError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The tally script answered with something other than six integers.
    case unexpectedTallyReply(String)

    public var description: String {
        switch self {
        case let .unexpectedTallyReply(reply): "tally script: expected {status, approvals, rejections, token, decided_now, appended}, got \(reply)"
        }
    }
}
