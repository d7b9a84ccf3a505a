import Histogram
import Runtime
import Synchronization

/// Hot-path stages timed by the latency engine.
public enum PipelineStage: Int, CaseIterable, Sendable, Codable, CustomStringConvertible {
    case queue        // ingress stamp → engine picks the tick up
    case features
    case regime
    case learning     // prediction by the compiled model
    case labels       // label maturation and the learning / monitoring taps
    case decision
    case risk
    case execution
    /// Regime signals, model copies and controls applied on the engine's thread between two
    /// ticks (recorded only when there was one); it delays the next tick, so it is in that
    /// tick's `queue` time too.
    case control

    public var description: String {
        switch self {
        case .queue: return "queue"
        case .features: return "features"
        case .regime: return "regime"
        case .learning: return "learning"
        case .labels: return "labels"
        case .decision: return "decision"
        case .risk: return "risk"
        case .execution: return "execution"
        case .control: return "control"
        }
    }
}

/// The off-hot-path consumers the engine feeds through taps (see `ModuleTap`).
public enum PipelineTap: Int, CaseIterable, Sendable, Codable, CustomStringConvertible {
    case regime
    case learning
    case monitoring

    public var description: String {
        switch self {
        case .regime: return "regime"
        case .learning: return "learning"
        case .monitoring: return "monitoring"
        }
    }
}

/// Latency histograms and counters of the pipeline.
///
/// The engine's thread records into one of two sets of local histograms and
/// counters (raw memory: no lock, no allocation, no exclusivity check). Publishing
/// is a flip: the engine hands the set it filled to readers and goes on in the
/// other one, which costs two atomics — merging ~2 MB of HdrHistogram buckets into
/// the shared copy and clearing them happens on the reading thread (`snapshot`),
/// never on the hot path. If the previous set has not been collected yet, the
/// automatic flip (every `publishEvery` ticks) is skipped and the engine keeps
/// recording where it is; nothing is lost.
public final class PipelineMetrics: @unchecked Sendable {
    // @unchecked: the active set and `engine` are touched only by the engine's thread;
    // the set handed over (`full`) only by readers holding `shared`'s lock until they
    // hand it back; the hand-over is a release/acquire on `full`. `conflated` is atomic.

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
        /// Ticks replaced by a newer tick of the same symbol while the engine's queue
        /// was above its watermark (load shedding).
        public var conflated: UInt64
        /// Samples not sent to a module because its mailbox was above the tap's watermark,
        /// by tap (`PipelineTap.description`): the engine sheds rather than waits.
        public var shed: [String: UInt64]
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
        var shed = [UInt64](repeating: 0, count: PipelineTap.allCases.count)
    }

    /// Histograms per set: the stages, then end-to-end, then tick.
    private static let histogramCount = PipelineStage.allCases.count + 2
    private static let endToEndSlot = PipelineStage.allCases.count
    private static let tickSlot = PipelineStage.allCases.count + 1
    /// Counters per set: ticks, orders, rejected, fills, deadline misses, then one shed
    /// counter per tap.
    private static let shedBase = 5
    private static let counterCount = 5 + PipelineTap.allCases.count

    /// Engine-thread state: the active set, and ticks since the last flip.
    private struct EngineState {
        var active: Int
        var sincePublish: Int
    }

    private let shared = Mutex(Shared())
    private let histograms: UnsafeMutablePointer<Histogram<UInt64>>
    private let counters: UnsafeMutablePointer<UInt64>
    private let engine: UnsafeMutablePointer<EngineState>
    /// The set waiting to be merged by a reader, or −1.
    private let full = Atomic<Int>(-1)
    /// Written by the feed thread: on lines of its own, away from the engine's fields.
    private let conflatedCount = PaddedCounter()
    public let publishEvery: Int

    public init(publishEvery: Int = 4096) {
        self.publishEvery = max(1, publishEvery)
        histograms = .allocate(capacity: 2 * Self.histogramCount)
        for index in 0..<(2 * Self.histogramCount) { (histograms + index).initialize(to: .latencyNanos()) }
        counters = .allocate(capacity: 2 * Self.counterCount)
        counters.initialize(repeating: 0, count: 2 * Self.counterCount)
        engine = .allocate(capacity: 1)
        engine.initialize(to: EngineState(active: 0, sincePublish: 0))
    }

    deinit {
        histograms.deinitialize(count: 2 * Self.histogramCount)
        histograms.deallocate()
        counters.deallocate()
        engine.deallocate()
    }

    @inline(__always) private var activeHistograms: UnsafeMutablePointer<Histogram<UInt64>> {
        histograms + engine.pointee.active * Self.histogramCount
    }

    @inline(__always) private var activeCounters: UnsafeMutablePointer<UInt64> {
        counters + engine.pointee.active * Self.counterCount
    }

    @inline(__always) func stage(_ stage: PipelineStage, _ nanos: UInt64) {
        activeHistograms[stage.rawValue].recordClamped(nanos)
    }

    @inline(__always) func order(endToEnd nanos: UInt64) {
        activeHistograms[Self.endToEndSlot].recordClamped(nanos)
        activeCounters[1] &+= 1
    }

    @inline(__always) func rejected() { activeCounters[2] &+= 1 }
    @inline(__always) func fill() { activeCounters[3] &+= 1 }
    @inline(__always) func deadlineMiss() { activeCounters[4] &+= 1 }

    /// Counts a sample a tap did not send (engine thread only: the taps run there).
    @inline(__always) public func shed(_ tap: PipelineTap, count: Int = 1) {
        activeCounters[Self.shedBase + tap.rawValue] &+= UInt64(max(0, count))
    }

    /// Counts a tick shed by conflation (any thread: the producer's).
    @inline(__always) func conflated() { conflatedCount.value.add(1, ordering: .relaxed) }

    @inline(__always) func tickDone(_ nanos: UInt64) {
        activeHistograms[Self.tickSlot].recordClamped(nanos)
        activeCounters[0] &+= 1
        engine.pointee.sincePublish += 1
        if engine.pointee.sincePublish >= publishEvery {
            engine.pointee.sincePublish = 0
            _ = flip()
        }
    }

    /// Records a tick taken up at `now` by a consumer that does no work — the machine's floor
    /// that `perf e2e --executor floor` measures: the latency counts as the tick's queue time,
    /// its processing time and its end-to-end time (as if every tick were an order); no order
    /// is counted. Consumer thread only, like every recording method.
    @inline(__always) public func recordFloor(ingressNanos: UInt64, now: UInt64) {
        let nanos = now &- ingressNanos
        stage(.queue, nanos)
        activeHistograms[Self.endToEndSlot].recordClamped(nanos)
        tickDone(nanos)
    }

    /// Hands the active set to readers if the previous one was collected (engine thread).
    @inline(__always) private func flip() -> Bool {
        guard full.load(ordering: .acquiring) < 0 else { return false }
        let filled = engine.pointee.active
        engine.pointee.active = 1 - filled
        full.store(filled, ordering: .releasing)
        return true
    }

    /// Makes everything recorded so far visible to `snapshot` (engine thread only).
    /// O(1) unless the previous hand-over was never collected, in which case it is
    /// merged here first.
    public func publish() {
        engine.pointee.sincePublish = 0
        if !flip() {
            collect()
            _ = flip()
        }
    }

    /// Merges the handed-over set into the shared copy and clears it (reader side).
    private func collect() {
        shared.withLock { shared in
            let set = full.load(ordering: .acquiring)
            guard set >= 0 else { return }
            let h = histograms + set * Self.histogramCount
            let c = counters + set * Self.counterCount
            for index in 0..<PipelineStage.allCases.count {
                shared.stages[index].add(h[index])
                h[index].reset()
            }
            shared.endToEnd.add(h[Self.endToEndSlot])
            h[Self.endToEndSlot].reset()
            shared.tick.add(h[Self.tickSlot])
            h[Self.tickSlot].reset()
            shared.ticks &+= c[0]
            shared.orders &+= c[1]
            shared.rejected &+= c[2]
            shared.fills &+= c[3]
            shared.misses &+= c[4]
            for tap in PipelineTap.allCases { shared.shed[tap.rawValue] &+= c[Self.shedBase + tap.rawValue] }
            for index in 0..<Self.counterCount { c[index] = 0 }
            full.store(-1, ordering: .releasing)
        }
    }

    /// Everything published so far.
    public func snapshot() -> Snapshot {
        collect()
        let conflated = UInt64(conflatedCount.value.load(ordering: .relaxed))
        return shared.withLock { shared in
            Snapshot(
                endToEnd: LatencySummary(shared.endToEnd), tick: LatencySummary(shared.tick),
                stages: Dictionary(uniqueKeysWithValues: PipelineStage.allCases.map { ($0.description, LatencySummary(shared.stages[$0.rawValue])) }),
                ticks: shared.ticks, orders: shared.orders, rejectedByRisk: shared.rejected, fills: shared.fills,
                deadlineMisses: shared.misses, conflated: conflated,
                shed: Dictionary(uniqueKeysWithValues: PipelineTap.allCases.map { ($0.description, shared.shed[$0.rawValue]) }))
        }
    }
}
