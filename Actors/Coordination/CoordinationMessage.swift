// Messages of the Coordination actor's channel.

import Protocols

/// Which cluster stream a consumer thread reads.
public enum ClusterStream: String, Sendable, Equatable {
    case proposals
    case decisions
}

/// What the Coordination actor's channel carries. Reader threads (pub/sub, stream
/// consumers) and the ticker thread feed it; nothing blocks the actor waiting for Redis
/// replies to arrive on those connections.
public enum CoordinationMessage: Sendable {
    /// Advance the state machines to now (from the ticker thread).
    case tick
    /// A pub/sub message (heartbeat or halt channel).
    case pubsub(channel: String, payload: [UInt8])
    /// Stream entries read through this agent's consumer group, with the monotonic time
    /// (ns) the reader thread received them.
    case streamEntries(ClusterStream, [StreamEntry], pending: Bool, readAtNs: UInt64)
    /// A reader thread (re)connected: Redis is reachable.
    case readerConnected(source: String, reconnected: Bool)
    /// A reader thread lost its connection (it reconnects by itself).
    case readerDisconnected(source: String, error: RedisError)
    /// Propose a value to the cluster (fire-and-forget form of `propose(topic:value:)`).
    case propose(DecisionTopic, [UInt8])
    /// Raise an emergency halt (fire-and-forget form of `halt(reason:)`).
    case halt(reason: String)
}
