import Histogram
import Runtime
import Synchronization

/// Hot-path stages timed by the latency engine.
public enum PipelineStage: Int, CaseIterable, Sendable, Codable, CustomStringConvertible {
    case queue        // ingress stamp → engine picks the tick up
    case features
    case regime
    case learning
    case decision
    case risk
    case execution

    public var description: String {
        switch self {
        case .queue: return "queue"
        case .features: return "features"
        case .regime: return "regime"
        case .learning: return "learning"
        case .decision: return "decision"
        case .risk: return "risk"
        case .execution: return "execution"
        }
    }
}

/// Latency histograms and counters of the pipeline. Recorded on the engine's
/// thread into local histograms (no lock, no allocation) and published to a
/// shared copy every `publishEvery` ticks, which any thread can snapshot.
public final class PipelineMetrics: @unchecked Sendable {
    // @unchecked: `local*` fields are touched only by the engine's thread; `shared` is a Mutex.

    /// A snapshot for status lines, `/metrics` and `perf e2e`.
    public struct Snapshot: Sendable, Codable, Equatable {
        /// Ingress → order handed to the venue, for ticks that produced an order.
        public var endToEnd: LatencySummary
        /// Ingress → tick fully processed, for every tick.
        public var tick: LatencySummary
        public var stages: [String: LatencySummary]
        public var ticks: UInt64
        public var orders: UInt64
        public var rejectedByRisk: UInt64
        public var fills: UInt64
        public var deadlineMisses: UInt64
    }

    private struct Shared {
        var endToEnd = Histogram<UInt64>.latencyNanos()
        var tick = Histogram<UInt64>.latencyNanos()
        var stages = PipelineStage.allCases.map { _ in Histogram<UInt64>.latencyNanos() }
        var ticks: UInt64 = 0
        var orders: UInt64 = 0
        var rejected: UInt64 = 0
        var fills: UInt64 = 0
        var misses: UInt64 = 0
    }

    private let shared = Mutex(Shared())
    private var localEndToEnd = Histogram<UInt64>.latencyNanos()
    private var localTick = Histogram<UInt64>.latencyNanos()
    private var localStages = PipelineStage.allCases.map { _ in Histogram<UInt64>.latencyNanos() }
    private var localTicks: UInt64 = 0
    private var localOrders: UInt64 = 0
    private var localRejected: UInt64 = 0
    private var localFills: UInt64 = 0
    private var localMisses: UInt64 = 0
    private var sincePublish = 0
    public let publishEvery: Int

    public init(publishEvery: Int = 4096) { self.publishEvery = max(1, publishEvery) }

    @inline(__always) func stage(_ stage: PipelineStage, _ nanos: UInt64) {
        localStages[stage.rawValue].recordClamped(nanos)
    }

    @inline(__always) func order(endToEnd nanos: UInt64) {
        localEndToEnd.recordClamped(nanos)
        localOrders &+= 1
    }

    @inline(__always) func rejected() { localRejected &+= 1 }
    @inline(__always) func fill() { localFills &+= 1 }
    @inline(__always) func deadlineMiss() { localMisses &+= 1 }

    @inline(__always) func tickDone(_ nanos: UInt64) {
        localTick.recordClamped(nanos)
        localTicks &+= 1
        sincePublish += 1
        if sincePublish >= publishEvery { publish() }
    }

    /// Moves local counts to the shared copy (engine thread only).
    public func publish() {
        sincePublish = 0
        shared.withLock { shared in
            shared.endToEnd.add(localEndToEnd)
            shared.tick.add(localTick)
            for index in localStages.indices { shared.stages[index].add(localStages[index]) }
            shared.ticks &+= localTicks
            shared.orders &+= localOrders
            shared.rejected &+= localRejected
            shared.fills &+= localFills
            shared.misses &+= localMisses
        }
        localEndToEnd.reset()
        localTick.reset()
        for index in localStages.indices { localStages[index].reset() }
        localTicks = 0
        localOrders = 0
        localRejected = 0
        localFills = 0
        localMisses = 0
    }

    /// Everything published so far.
    public func snapshot() -> Snapshot {
        shared.withLock { shared in
            Snapshot(
                endToEnd: LatencySummary(shared.endToEnd), tick: LatencySummary(shared.tick),
                stages: Dictionary(uniqueKeysWithValues: PipelineStage.allCases.map { ($0.description, LatencySummary(shared.stages[$0.rawValue])) }),
                ticks: shared.ticks, orders: shared.orders, rejectedByRisk: shared.rejected, fills: shared.fills,
                deadlineMisses: shared.misses)
        }
    }
}
