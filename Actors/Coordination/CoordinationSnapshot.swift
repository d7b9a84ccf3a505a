// What the Coordination actor restarts from after a failure.

import Protocols

/// State kept across a supervised restart of the Coordination actor. Membership is
/// rebuilt from heartbeats and the halt is also re-read from Redis, so only what Redis
/// cannot tell back is kept: the halt as known locally, the last applied fencing token,
/// and the recent decisions.
public struct CoordinationSnapshot: Sendable, Equatable {
    public var halt: HaltRecord?
    public var lastAppliedToken: UInt64
    public var recentDecisions: [Decision]
}
