import Protocols
import Runtime
import Synchronization

/// The latency engine's market-data inbox, separate from its control mailbox so
/// that ticks can be shed under load while regime signals, model copies and
/// controls never are.
///
/// Below the watermark, ticks queue in arrival order (a bounded MPMC ring). When the
/// queue reaches `watermark` ticks — the engine is falling behind — new ticks go to a
/// `ConflatingChannel` keyed by symbol instead: a tick whose symbol already has one
/// waiting there replaces it (counted as conflated), so the engine processes at most
/// one stale tick per symbol and then the freshest price of each. The producer keeps
/// conflating until the engine has taken every conflated tick, which keeps each
/// symbol's ticks in order: everything in the ring is older than everything
/// conflated, and the engine empties the ring first. Drained in batches on the
/// engine's executor thread (no Task or allocation per tick).
public final class TickMailbox: Drainable, @unchecked Sendable {
    // @unchecked: the ring and the conflating channel are thread-safe; `handler` and
    // `receiver` are set once in `bind` before the mailbox is registered; the
    // `local*` counters are touched only by the consumer thread.

    /// Capacity and shedding threshold.
    public struct Configuration: Sendable, Equatable {
        /// Ticks queued in order at most (`max_queue_size`).
        public var capacity: Int
        /// Queue depth from which ticks are conflated per symbol (≤ capacity). The
        /// default, 512 ticks (or half a smaller capacity), is a couple of milliseconds
        /// of engine work: a backlog beyond it is already stale for a microsecond
        /// budget, so after a stall the engine catches up on the freshest price of each
        /// symbol instead of replaying thousands of old ticks.
        public var watermark: Int
        /// Symbols (dense indices 0..<symbols).
        public var symbols: Int

        /// - Parameters:
        ///   - watermark: nil = min(512, capacity / 2).
        public init(capacity: Int = 10_000, watermark: Int? = nil, symbols: Int) {
            self.capacity = max(2, capacity)
            self.watermark = min(max(1, watermark ?? min(512, self.capacity / 2)), self.capacity)
            self.symbols = max(1, symbols)
        }
    }

    /// Counters of the mailbox. Every tick sent is exactly one of `queued`,
    /// `conflatedNew` (first pending of its symbol above the watermark), `conflated`
    /// (replaced a pending one) or `rejected` (unknown symbol, closed).
    public struct Stats: Sendable, Equatable, Codable {
        public var queued: Int
        public var conflatedNew: Int
        public var conflated: Int
        public var rejected: Int
        public var delivered: Int
        public var depth: Int
        public var highWater: Int
    }

    public let configuration: Configuration
    private let ring: MPMCRing<Tick>
    private let slots: ConflatingChannel<Tick>
    private let metrics: PipelineMetrics?
    // Producer-written (`queued`, `rejected`) and consumer-written (`delivered`, `highWater`)
    // counters each on lines of their own (see `PaddedCounter`); `closed` is read per send.
    private let queued = PaddedCounter()
    private let rejected = PaddedCounter()
    private let delivered = PaddedCounter()
    private let highWater = PaddedCounter()
    private let closed = Atomic<Bool>(false)
    /// Symbols with a conflated tick waiting (an upper bound: raised before a key is
    /// queued, lowered after it is taken), so that neither side calls into the
    /// conflating channel while nothing is conflated.
    private let pendingConflated = PaddedCounter()
    private var localDelivered = 0
    private var receiver: (any ActorExecutor)?
    private var handler: ((Tick) -> Void)?

    /// - Parameter metrics: counts conflated ticks (`PipelineMetrics.Snapshot.conflated`).
    /// - Throws: `RuntimeError` when the capacity or symbol count is out of range.
    public init(_ configuration: Configuration, metrics: PipelineMetrics? = nil) throws(RuntimeError) {
        self.configuration = configuration
        ring = try MPMCRing(capacity: configuration.capacity)
        slots = try ConflatingChannel(name: "ticks-conflated", keyCount: configuration.symbols)
        self.metrics = metrics
    }

    /// Connects the mailbox to the engine: `handler` runs on `executor`'s thread for
    /// every tick delivered, and the executor starts draining the mailbox.
    public func bind(to executor: any ActorExecutor, handler: @escaping (Tick) -> Void) {
        self.handler = handler
        receiver = executor
        executor.register(self)
    }

    /// Stops accepting ticks and detaches from the executor.
    public func close() {
        closed.store(true, ordering: .releasing)
        receiver?.unregister(self)
    }

    /// Queues a tick, or conflates it when the queue is at its watermark. Never blocks
    /// (beyond a per-symbol spin lock held for a copy) and never drops a newer tick.
    @discardableResult
    public func send(_ tick: Tick) -> SendOutcome {
        if closed.load(ordering: .relaxed) {
            rejected.value.add(1, ordering: .relaxed)
            return .closed
        }
        let symbol = Int(tick.symbol)
        guard symbol >= 0, symbol < configuration.symbols else {
            rejected.value.add(1, ordering: .relaxed)
            return .invalidKey
        }
        // Conflate while any conflated tick is pending (keeps per-symbol order) or the
        // ordered queue has reached the watermark.
        if pendingConflated.value.load(ordering: .acquiring) > 0 || ring.count >= configuration.watermark || !ring.push(tick) {
            pendingConflated.value.add(1, ordering: .acquiringAndReleasing)
            let outcome = slots.send(tick, key: symbol)
            if outcome != .enqueued { pendingConflated.value.subtract(1, ordering: .acquiringAndReleasing) }
            if outcome == .conflated { metrics?.conflated() }
            receiver?.wakeIfParked()
            return outcome
        }
        queued.value.add(1, ordering: .relaxed)
        receiver?.wakeIfParked()
        return .enqueued
    }

    /// Ticks waiting: in order, plus one per symbol conflated.
    public var depth: Int { ring.count + (pendingConflated.value.load(ordering: .acquiring) > 0 ? slots.depth : 0) }

    /// Takes the next tick: the ordered queue first, then the conflated ones (consumer thread only).
    @inline(__always)
    public func receive() -> Tick? {
        if let tick = ring.pop() { return tick }
        guard pendingConflated.value.load(ordering: .acquiring) > 0, let taken = slots.receive() else { return nil }
        pendingConflated.value.subtract(1, ordering: .acquiringAndReleasing)
        return taken.message
    }

    // MARK: Drainable

    public func drain(budget: Int) -> Int {
        // Called on every pass of the executor's loop: an empty mailbox costs two loads.
        let queued = ring.count
        let conflating = pendingConflated.value.load(ordering: .acquiring) > 0
        if queued == 0 && !conflating { return 0 }
        guard let handler else { return 0 }
        let waiting = conflating ? queued + slots.depth : queued
        if waiting > highWater.value.load(ordering: .relaxed) { highWater.value.store(waiting, ordering: .relaxed) }
        var count = 0
        while count < budget, let tick = receive() {
            handler(tick)
            count += 1
        }
        localDelivered &+= count
        delivered.value.store(localDelivered, ordering: .releasing)
        return count
    }

    public func pendingWork(now: UInt64) -> PendingWork { depth > 0 ? .ready : .none }

    /// Waits (polling, wall time) until the engine has taken every tick or `timeoutNanos` passes.
    /// - Returns: true when empty.
    public func waitUntilEmpty(timeoutNanos: UInt64) -> Bool {
        let clock = MonotonicClock()
        let deadline = clock.now() &+ timeoutNanos
        while depth > 0 {
            if clock.now() > deadline { return false }
            usleep(100)
        }
        return true
    }

    public var stats: Stats {
        let conflation = slots.stats
        let waiting = depth
        return Stats(queued: queued.value.load(ordering: .relaxed), conflatedNew: conflation.enqueued,
                     conflated: conflation.conflated, rejected: rejected.value.load(ordering: .relaxed),
                     delivered: delivered.value.load(ordering: .acquiring), depth: waiting,
                     highWater: max(waiting, highWater.value.load(ordering: .relaxed)))
    }
}

#if canImport(Glibc)
import Glibc
#endif
