// Everything one agent's Coordination actor needs to join a cluster.

import Protocols

/// Identity, Redis, key and timing of one cluster agent.
public struct CoordinationSettings: Sendable {
    /// This agent's identifier (1...64 UTF-8 bytes, unique in the cluster, not starting
    /// with `operator:`).
    public var agentID: String
    /// Where the cluster's Redis is.
    public var redis: RedisConfiguration
    /// The shared HMAC key (from `QUANTUM_AGENT_CLUSTER_KEY` / `_FILE`, never from YAML).
    public var key: WireKey
    /// Heartbeat, quorum, timeout settings (seed `multi_agent` section).
    public var protocolConfiguration: CoordinationConfiguration
    /// Redis key namespace (several clusters or tests can share one Redis).
    public var namespace: String
    /// Interval of the ticker that drives the state machines, ms (default: a fifth of the
    /// heartbeat interval, within 5...100): the eviction delay bound is
    /// `heartbeat_timeout + one tick`.
    public var tickIntervalMs: Int
    /// `multi_agent.shared_book`: approved order intents are executed by exactly one agent
    /// through the `executors` consumer group, and a dead agent's pending ones are reclaimed.
    public var sharedBook: Bool
    /// Approximate cap of the proposal and decision streams (`XADD MAXLEN ~`).
    public var streamMaxLength: Int
    /// Decisions kept for `status()`.
    public var recentDecisions: Int

    public init(
        agentID: String, redis: RedisConfiguration, key: WireKey,
        protocolConfiguration: CoordinationConfiguration = CoordinationConfiguration(),
        namespace: String = "qa", tickIntervalMs: Int? = nil, sharedBook: Bool = false,
        streamMaxLength: Int = 10_000, recentDecisions: Int = 20
    ) {
        self.agentID = agentID
        self.redis = redis
        self.key = key
        self.protocolConfiguration = protocolConfiguration
        self.namespace = namespace
        self.tickIntervalMs = tickIntervalMs ?? min(100, max(5, protocolConfiguration.heartbeatIntervalMs / 5))
        self.sharedBook = sharedBook
        self.streamMaxLength = streamMaxLength
        self.recentDecisions = recentDecisions
    }

    /// Prefix of sender identifiers that speak for an operator (resume is accepted only
    /// from them).
    public static let operatorPrefix = "operator:"

    /// Checks identity and timing.
    /// - Throws: `CoordinationConfigurationError` naming the bad field.
    public func validate() throws(CoordinationConfigurationError) {
        try protocolConfiguration.validate()
        let length = agentID.utf8.count
        guard length >= 1, length <= WireHeader.maxSenderLength, !agentID.hasPrefix(Self.operatorPrefix),
              !agentID.contains(where: { $0 == "*" || $0 == "?" || $0 == "[" || $0.isWhitespace })
        else {
            throw .outOfRange(parameter: "agent_id", value: "'\(agentID)'",
                              allowed: "1...\(WireHeader.maxSenderLength) bytes, no spaces or glob characters, not starting with '\(Self.operatorPrefix)'")
        }
        guard tickIntervalMs > 0, tickIntervalMs < protocolConfiguration.heartbeatIntervalMs else {
            throw .outOfRange(parameter: "tick_interval_ms", value: "\(tickIntervalMs)",
                              allowed: "1...\(protocolConfiguration.heartbeatIntervalMs - 1)")
        }
    }
}
