// The sampled taps the pipeline sends to the model monitor (one enum, small payloads, so a
// tap is one channel slot and recording it is O(1) without allocation).

import Runtime

/// A stage of the tick-to-order pipeline, the `stage` label of the latency metrics.
public enum PipelineStage: Int, Sendable, Codable, CaseIterable {
    case market, features, regime, learning, decide, risk, execution, endToEnd

    /// The label value (`end_to_end` for the whole path).
    public var label: String {
        switch self {
        case .market: return "market"
        case .features: return "features"
        case .regime: return "regime"
        case .learning: return "learning"
        case .decide: return "decide"
        case .risk: return "risk"
        case .execution: return "execution"
        case .endToEnd: return "end_to_end"
        }
    }
}

/// A labelled prediction of one model: predicted P(label = 1) and the realised label.
public struct PredictionSample: Sendable, Equatable {
    /// Dense model index (position in `ModelMonitorConfiguration.models`).
    public var model: Int
    public var probability: Double
    public var label: Bool

    public init(model: Int, probability: Double, label: Bool) {
        self.model = model
        self.probability = probability
        self.label = label
    }
}

/// The realised PnL of one decision, quote currency.
public struct DecisionSample: Sendable, Equatable {
    public var model: Int
    /// Dense symbol index (position in `ModelMonitorConfiguration.symbols`).
    public var symbol: Int
    public var pnl: Double

    public init(model: Int, symbol: Int, pnl: Double) {
        self.model = model
        self.symbol = symbol
        self.pnl = pnl
    }
}

/// One value of a monitored feature (drift input).
public struct FeatureSample: Sendable, Equatable {
    /// Dense feature index (position in `ModelMonitorConfiguration.features`).
    public var feature: Int
    public var value: Double

    public init(feature: Int, value: Double) {
        self.feature = feature
        self.value = value
    }
}

/// One measured stage time, nanoseconds (`stage = .endToEnd`: order time − tick ingress).
public struct LatencySample: Sendable, Equatable {
    public var stage: PipelineStage
    public var nanoseconds: UInt64

    public init(stage: PipelineStage, nanoseconds: UInt64) {
        self.stage = stage
        self.nanoseconds = nanoseconds
    }
}

/// The state an online learner's drift detector reports (ADWIN, DDM, EDDM, …).
public struct DetectorSample: Sendable, Equatable {
    public var model: Int
    public var detector: String
    /// 0 stable, 1 warning, 2 drift.
    public var state: Int

    public init(model: Int, detector: String, state: Int) {
        self.model = model
        self.detector = detector
        self.state = state
    }
}

/// A model version going live (deploy, champion swap or the result of a rollback).
public struct ModelVersionSample: Sendable, Equatable {
    public var model: Int
    public var version: String
    /// The version's accuracy when deployed (baseline of the degradation ratio), in (0, 1].
    public var baselineAccuracy: Double

    public init(model: Int, version: String, baselineAccuracy: Double) {
        self.model = model
        self.version = version
        self.baselineAccuracy = baselineAccuracy
    }
}

/// Runtime counters, sampled once per interval (see `RuntimeSampler`).
public struct RuntimeSample: Sendable, Equatable {
    /// Every actor's stats (mailbox depth, high-water mark, drops, restarts, processed).
    public var actors: [ActorStats]
    /// Cumulative CPU seconds per executor (or `process`), for the CPU usage ratio.
    public var cpuSeconds: [String: Double]
    /// Process resident set size, bytes.
    public var residentBytes: UInt64
    /// Memory limit (cgroup or physical), bytes; 0 when unknown.
    public var memoryLimitBytes: UInt64
    /// Pipeline totals since start (exact even when the tick taps are sampled); nil: not reported.
    public var ticksProcessed: UInt64?
    public var ordersSent: UInt64?

    public init(actors: [ActorStats] = [], cpuSeconds: [String: Double] = [:], residentBytes: UInt64 = 0,
                memoryLimitBytes: UInt64 = 0, ticksProcessed: UInt64? = nil, ordersSent: UInt64? = nil) {
        self.actors = actors
        self.cpuSeconds = cpuSeconds
        self.residentBytes = residentBytes
        self.memoryLimitBytes = memoryLimitBytes
        self.ticksProcessed = ticksProcessed
        self.ordersSent = ordersSent
    }
}

/// Cluster health as the coordination module sees it.
public struct ClusterSample: Sendable, Equatable {
    public var membersAlive: Int
    /// Seconds since the last heartbeat of each member.
    public var heartbeatAgeSeconds: [String: Double]
    /// `heartbeat_interval`, seconds (> 0).
    public var heartbeatIntervalSeconds: Double
    /// Proposal → decision time of the last interval, ns.
    public var consensusLatency: LatencySummary
    /// Redis round trip of the last interval, ns.
    public var redisRoundTrip: LatencySummary
    public var halted: Bool

    public init(membersAlive: Int, heartbeatAgeSeconds: [String: Double] = [:], heartbeatIntervalSeconds: Double = 1,
                consensusLatency: LatencySummary = .empty, redisRoundTrip: LatencySummary = .empty, halted: Bool = false) {
        self.membersAlive = membersAlive
        self.heartbeatAgeSeconds = heartbeatAgeSeconds
        self.heartbeatIntervalSeconds = heartbeatIntervalSeconds
        self.consensusLatency = consensusLatency
        self.redisRoundTrip = redisRoundTrip
        self.halted = halted
    }
}

/// A message to the model monitor. Data taps are sampled by the pipeline and sent with
/// `ActorRef.send`, which never blocks (the monitor's channel drops the oldest tap when full,
/// and counts it); `.evaluate` asks for one evaluation (the `MonitorTicker` sends it every
/// `metrics_interval`).
public enum MonitorTap: Sendable {
    case tick(TickSample)
    case prediction(PredictionSample)
    case feature(FeatureSample)
    case decision(DecisionSample)
    case latency(LatencySample)
    /// One order sent (used for orders/s when `RuntimeSample.ordersSent` is not reported).
    case order
    case detector(DetectorSample)
    case deployed(ModelVersionSample)
    case runtime(RuntimeSample)
    case cluster(ClusterSample)
    /// Compute every metric, export it, evaluate alert rules and the rollback guard.
    case evaluate
}
