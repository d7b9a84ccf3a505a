// Settings of the cluster protocol (seed: multi_agent section of production_config.yaml).

/// Timing and quorum settings of the cluster protocol, with the seed's defaults.
public struct CoordinationConfiguration: Sendable, Equatable, Codable {
    /// Interval between heartbeats, ms (`heartbeat_interval`, 1000).
    public var heartbeatIntervalMs: Int
    /// Silence after which a member is evicted, ms (`heartbeat_timeout_ms`, 3000).
    public var heartbeatTimeoutMs: Int
    /// Fraction of live members whose approval decides a proposal (`consensus_threshold`, 0.75).
    public var consensusThreshold: Double
    /// Time without Redis after which an agent halts its own trading, ms (`agent_timeout_ms`, 5000).
    public var agentTimeoutMs: Int
    /// Whether emergency halts are persisted and broadcast (`emergency_coordination_enabled`, true).
    public var emergencyCoordinationEnabled: Bool
    /// Time a proposal stays open, ms (2000).
    public var proposalTimeoutMs: Int
    /// Leader lease time-to-live, ms (3000; renewed every third of it).
    public var leaseTTLMs: Int

    public init(
        heartbeatIntervalMs: Int = 1000, heartbeatTimeoutMs: Int = 3000, consensusThreshold: Double = 0.75,
        agentTimeoutMs: Int = 5000, emergencyCoordinationEnabled: Bool = true, proposalTimeoutMs: Int = 2000,
        leaseTTLMs: Int = 3000
    ) {
        self.heartbeatIntervalMs = heartbeatIntervalMs
        self.heartbeatTimeoutMs = heartbeatTimeoutMs
        self.consensusThreshold = consensusThreshold
        self.agentTimeoutMs = agentTimeoutMs
        self.emergencyCoordinationEnabled = emergencyCoordinationEnabled
        self.proposalTimeoutMs = proposalTimeoutMs
        self.leaseTTLMs = leaseTTLMs
    }

    /// Checks every field.
    /// - Throws: `CoordinationConfigurationError` naming the first field out of range.
    public func validate() throws(CoordinationConfigurationError) {
        func positive(_ name: String, _ value: Int) throws(CoordinationConfigurationError) {
            guard value > 0 else { throw .outOfRange(parameter: name, value: "\(value)", allowed: "> 0") }
        }
        try positive("heartbeat_interval", heartbeatIntervalMs)
        try positive("heartbeat_timeout_ms", heartbeatTimeoutMs)
        try positive("agent_timeout_ms", agentTimeoutMs)
        try positive("proposal_timeout_ms", proposalTimeoutMs)
        try positive("lease_ttl_ms", leaseTTLMs)
        guard heartbeatTimeoutMs > heartbeatIntervalMs else {
            throw .outOfRange(parameter: "heartbeat_timeout_ms", value: "\(heartbeatTimeoutMs)",
                              allowed: "> heartbeat_interval (\(heartbeatIntervalMs))")
        }
        guard consensusThreshold > 0, consensusThreshold <= 1 else {
            throw .outOfRange(parameter: "consensus_threshold", value: "\(consensusThreshold)", allowed: "(0, 1]")
        }
    }
}

/// A coordination setting out of range.
public enum CoordinationConfigurationError: Error, Equatable, Sendable, CustomStringConvertible {
    case outOfRange(parameter: String, value: String, allowed: String)

    public var description: String {
        switch self {
        case let .outOfRange(parameter, value, allowed): "multi_agent.\(parameter) = \(value) is out of range, allowed \(allowed)"
        }
    }
}
