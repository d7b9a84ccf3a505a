// Redis key and channel names of the cluster protocol.

import Protocols

/// Key and channel names under one namespace (default `qa`), so several clusters can
/// share a Redis and tests can isolate themselves.
public struct ClusterKeys: Sendable, Equatable {
    public let namespace: String

    public init(namespace: String = "qa") { self.namespace = namespace }

    /// Member key with PX expiry, refreshed by each heartbeat.
    public func member(_ id: String) -> String { "\(namespace):member:\(id)" }
    /// Pub/sub channel of heartbeats.
    public var heartbeatChannel: String { "\(namespace):heartbeat" }
    /// Pub/sub channel of halt/resume broadcasts.
    public var haltChannel: String { "\(namespace):halt" }
    /// Persisted emergency halt (present while halted).
    public var haltState: String { "\(namespace):halt:state" }
    /// Stream of proposals and votes.
    public var proposalStream: String { "\(namespace):proposals" }
    /// Stream of decisions.
    public var decisionStream: String { "\(namespace):decisions" }
    /// Fencing-token counter (INCR).
    public var fencingCounter: String { "\(namespace):fencing" }
    /// Leader lease (SET NX PX).
    public var leaderLease: String { "\(namespace):leader" }
    /// Votes hash of a proposal.
    public func votes(_ proposal: ProposalID) -> String { "\(namespace):votes:\(proposal)" }
    /// Decision hash of a proposal.
    public func decision(_ proposal: ProposalID) -> String { "\(namespace):decision:\(proposal)" }
}
