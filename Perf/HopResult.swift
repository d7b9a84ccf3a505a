import Histogram
import Runtime

/// One case of `perf hop`: one-way latency of a message hop, in ns, and throughput.
public struct HopResult: Sendable, Codable, Equatable {
    public var name: String
    public var oneWayP50: UInt64
    public var oneWayP99: UInt64
    public var oneWayP999: UInt64
    public var mean: Double
    public var max: UInt64
    public var messagesPerSecond: Double
    /// Round trip (two hops) p50 and p99 where the case measures it.
    public var roundTripP50: UInt64?
    public var roundTripP99: UInt64?
    public var samples: UInt64
    /// Placement notes (e.g. both sides share one CPU on a 1-CPU machine).
    public var note: String?

    enum CodingKeys: String, CodingKey {
        case name
        case oneWayP50 = "one_way_p50_ns"
        case oneWayP99 = "one_way_p99_ns"
        case oneWayP999 = "one_way_p999_ns"
        case mean = "mean_ns"
        case max = "max_ns"
        case messagesPerSecond = "msgs_per_s"
        case roundTripP50 = "rtt_p50_ns"
        case roundTripP99 = "rtt_p99_ns"
        case samples
        case note
    }

    init(name: String, oneWay: Histogram<UInt64>, roundTrip: Histogram<UInt64>?, hops: UInt64, elapsedNanos: UInt64, note: String?) {
        self.name = name
        let summary = LatencySummary(oneWay)
        oneWayP50 = summary.p50
        oneWayP99 = summary.p99
        oneWayP999 = summary.p999
        mean = (summary.mean * 10).rounded() / 10
        max = summary.max
        messagesPerSecond = elapsedNanos == 0 ? 0 : (Double(hops) * 1e9 / Double(elapsedNanos)).rounded()
        if let roundTrip, roundTrip.totalCount > 0 {
            roundTripP50 = roundTrip.valueAtPercentile(50)
            roundTripP99 = roundTrip.valueAtPercentile(99)
        }
        samples = summary.count
        self.note = note
    }
}

/// The document `perf hop --json` prints.
public struct HopReport: Sendable, Codable {
    public var benchmark = "hop"
    public var seconds: Double
    public var cpus: [Int]
    public var idleStrategy: String
    public var results: [HopResult]

    public init(seconds: Double, cpus: [Int], idleStrategy: String, results: [HopResult]) {
        self.seconds = seconds
        self.cpus = cpus
        self.idleStrategy = idleStrategy
        self.results = results
    }

    enum CodingKeys: String, CodingKey {
        case benchmark, seconds, cpus, results
        case idleStrategy = "idle_strategy"
    }
}
