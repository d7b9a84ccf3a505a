// Counters of one Coordination actor, for monitoring and alerts.

import Protocols

/// What a Coordination actor counted since it started.
public struct CoordinationCounters: Sendable, Equatable, Codable {
    /// Accepted and dropped incoming messages, per reason, over all channels.
    public var messages = DropCounters()
    /// Proposals, decisions, duplicates, stale tokens.
    public var consensus = ConsensusCounters()
    /// Times this agent halted itself for lack of Redis.
    public var selfHalts: UInt64 = 0
    /// Members evicted for silence.
    public var evictions: UInt64 = 0
    /// Redis commands that failed (connection or server error).
    public var redisFailures: UInt64 = 0
    /// Heartbeats published.
    public var heartbeats: UInt64 = 0
    /// Resume requests refused (not from an operator).
    public var resumesRefused: UInt64 = 0
    /// Shared-book intents executed, and how many of them were reclaimed from dead agents.
    public var intentsExecuted: UInt64 = 0
    public var intentsReclaimed: UInt64 = 0

    public init() {}

    enum CodingKeys: String, CodingKey {
        case messages, consensus, heartbeats, evictions
        case selfHalts = "self_halts"
        case redisFailures = "redis_failures"
        case resumesRefused = "resumes_refused"
        case intentsExecuted = "intents_executed"
        case intentsReclaimed = "intents_reclaimed"
    }
}

extension DropCounters {
    /// Sum of two counter sets.
    static func + (lhs: DropCounters, rhs: DropCounters) -> DropCounters {
        var sum = DropCounters()
        sum.accepted = lhs.accepted + rhs.accepted
        for reason in DropReason.allCases { sum[reason] = lhs[reason] + rhs[reason] }
        return sum
    }
}
