// Result of `quantum-agent perf consensus`.

/// Percentiles of a set of nanosecond samples.
public struct Percentiles: Sendable, Equatable, Codable {
    public var count: Int
    public var p50Ns: UInt64
    public var p99Ns: UInt64
    public var maxNs: UInt64

    /// Nearest-rank percentiles of `samples` (zeros when empty).
    public init(_ samples: [UInt64]) {
        let sorted = samples.sorted()
        count = sorted.count
        func rank(_ p: Double) -> UInt64 {
            guard !sorted.isEmpty else { return 0 }
            let index = Int((p * Double(sorted.count)).rounded(.up)) - 1
            return sorted[min(max(index, 0), sorted.count - 1)]
        }
        p50Ns = rank(0.50)
        p99Ns = rank(0.99)
        maxNs = sorted.last ?? 0
    }

    enum CodingKeys: String, CodingKey {
        case count
        case p50Ns = "p50_ns"
        case p99Ns = "p99_ns"
        case maxNs = "max_ns"
    }
}

/// `{"benchmark":"consensus","agents":…,"rounds":…,"decision":{"p50_ns":…,"p99_ns":…,"max_ns":…},…}`.
public struct ConsensusReport: Sendable, Equatable, Codable {
    /// Heartbeat cost: one pipelined write (PUBLISH + SET PX + two GETs) per interval per agent.
    public struct Heartbeat: Sendable, Equatable, Codable {
        public var intervalMs: Int
        /// Signed heartbeat message size, bytes.
        public var messageBytes: Int
        /// Time of the heartbeat round trip on the Coordination actor's thread.
        public var roundTrip: Percentiles

        enum CodingKeys: String, CodingKey {
            case intervalMs = "interval_ms"
            case messageBytes = "message_bytes"
            case roundTrip = "round_trip"
        }
    }

    /// When the last agent reached one ``Coordination/ConsensusStage`` of a round, after
    /// the proposal was sent (percentiles over the rounds): where a decision's time goes.
    public struct StageTime: Sendable, Equatable, Codable {
        public var stage: String
        public var since: Percentiles

        enum CodingKeys: String, CodingKey {
            case stage
            case since = "since_propose"
        }
    }

    public var benchmark = "consensus"
    public var agents: Int
    public var rounds: Int
    public var completed: Int
    public var timeouts: Int
    /// Proposal sent → decision applied by the last of the agents.
    public var decision: Percentiles
    /// The decision's path stage by stage (last agent to reach each stage).
    public var stages: [StageTime]
    public var heartbeat: Heartbeat
    /// PUBLISH → delivered to a subscriber thread, same run.
    public var pubsubBaseline: Percentiles
    /// XADD → delivered to a consumer thread blocked in XREADGROUP, same run: one hop.
    public var streamBaseline: Percentiles
    public var redis: String
    /// Idle strategy of the agents' executors.
    public var idleStrategy: String
    /// Pause between rounds, ms (0: the next proposal as soon as every agent applied the last).
    public var pauseMs: Int
    /// CPU wake-up latency limit held during the run (PM QoS), µs; `nil`: the host's own.
    public var cpuWakeLatencyUs: Int? = nil

    enum CodingKeys: String, CodingKey {
        case benchmark, agents, rounds, completed, timeouts, decision, stages, heartbeat, redis
        case pubsubBaseline = "pubsub_baseline"
        case streamBaseline = "stream_baseline"
        case idleStrategy = "idle_strategy"
        case pauseMs = "pause_ms"
        case cpuWakeLatencyUs = "cpu_wake_latency_us"
    }

    /// Every key always present: `cpu_wake_latency_us` is an explicit `null` when not held.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(benchmark, forKey: .benchmark)
        try container.encode(agents, forKey: .agents)
        try container.encode(rounds, forKey: .rounds)
        try container.encode(completed, forKey: .completed)
        try container.encode(timeouts, forKey: .timeouts)
        try container.encode(decision, forKey: .decision)
        try container.encode(stages, forKey: .stages)
        try container.encode(heartbeat, forKey: .heartbeat)
        try container.encode(pubsubBaseline, forKey: .pubsubBaseline)
        try container.encode(streamBaseline, forKey: .streamBaseline)
        try container.encode(redis, forKey: .redis)
        try container.encode(idleStrategy, forKey: .idleStrategy)
        try container.encode(pauseMs, forKey: .pauseMs)
        try container.encode(cpuWakeLatencyUs, forKey: .cpuWakeLatencyUs)
    }
}
