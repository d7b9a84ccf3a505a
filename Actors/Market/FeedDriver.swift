import CLinuxShim
import Foundation
import Hardware
import Logging
import Protocols
import Runtime
import Synchronization

/// Runs a `MarketSource` on a thread of its own, or polls a `PollableMarketSource` on an
/// executor's thread (`startPolled`): validates every record, stamps
/// accepted ticks at ingress (monotonic ns) with a sequence number, and hands
/// them to `sink` (the latency engine's channel, or the engine itself when polled). Bad records are rejected,
/// counted per kind and logged once per kind; the feed keeps running.
public final class FeedDriver: @unchecked Sendable {
    // @unchecked: `validator` and `lastLogged` are touched only by the feed thread;
    // everything read from other threads is an atomic or behind `statsLock`.

    /// Counters, safe to read from any thread.
    public struct Stats: Sendable, Equatable, Codable {
        public var accepted: Int
        public var rejected: [String: Int]
        public var malformed: Int
        /// Ticks the sink refused (queue full with policy reject).
        public var sinkRefused: Int
        /// Monotonic ns of the last accepted tick (0 before any).
        public var lastTickNanos: UInt64
        public var finished: Bool
        public var error: String?

        public var rejectedTotal: Int { rejected.values.reduce(0, +) }
    }

    public let source: any MarketSource
    public let symbols: SymbolTable
    let logger: Logger
    private var validator: TickValidator
    private var loggedKinds = Set<FeedRejection>()
    private let stopFlag = Atomic<Bool>(false)
    private let acceptedCount = Atomic<Int>(0)
    private let refusedCount = Atomic<Int>(0)
    private let lastTick = Atomic<UInt64>(0)
    private let statsLock = Mutex<Stats>(Stats(accepted: 0, rejected: [:], malformed: 0, sinkRefused: 0, lastTickNanos: 0, finished: false))
    private let done = DispatchSemaphore(value: 0)
    private let startedFlag = Atomic<Bool>(false)
    /// Sequence number of the last accepted tick (used by the one thread that runs the source).
    private var sequence: UInt64 = 0
    /// The drainable when the source is polled on an executor (`startPolled`).
    private let polled = Mutex<PolledFeed?>(nil)

    public init(source: any MarketSource, symbols: SymbolTable, logger: Logger = Logger(label: "quantum-agent.feed")) {
        self.source = source
        self.symbols = symbols
        self.logger = logger
        self.validator = TickValidator(symbols: symbols)
    }

    /// Starts the feed thread (pinned to `core` when given). `sink` returns whether the tick was accepted.
    public func start(core: Int? = nil, sink: @escaping @Sendable (Tick) -> Bool) {
        guard !startedFlag.exchange(true, ordering: .acquiringAndReleasing) else { return }
        let thread = Thread { [self] in
            Affinity.nameCurrentThread("feed")
            if let core { Affinity.pinCurrentThreadOrLog(to: core, logger: logger) }
            runLoop(sink: sink)
            done.signal()
        }
        thread.name = "feed"
        thread.start()
    }

    /// Asks the feed to stop and waits (up to `timeoutSeconds`) for its thread to end.
    @discardableResult
    public func stop(timeoutSeconds: Double = 5) -> Bool {
        stopFlag.store(true, ordering: .releasing)
        guard startedFlag.load(ordering: .acquiring) else { return true }
        polled.withLock { $0 }?.wake()
        let finished = done.wait(timeout: .now() + timeoutSeconds) == .success
        if finished { done.signal() }
        return finished
    }

    /// Waits until the source ends by itself (finite sources); true when it did within the timeout.
    public func waitUntilFinished(timeoutSeconds: Double) -> Bool {
        let finished = done.wait(timeout: .now() + timeoutSeconds) == .success
        if finished { done.signal() }
        return finished
    }

    public var stats: Stats {
        var snapshot = statsLock.withLock { $0 }
        snapshot.accepted = acceptedCount.load(ordering: .relaxed)
        snapshot.sinkRefused = refusedCount.load(ordering: .relaxed)
        snapshot.lastTickNanos = lastTick.load(ordering: .relaxed)
        return snapshot
    }

    private func runLoop(sink: @Sendable (Tick) -> Bool) {
        var sinceStats = 0
        do {
            try source.run(emit: { raw in
                intake(raw, ingress: nil, sink: sink, sinceStats: &sinceStats)
            }, malformed: { detail in
                validator.countMalformed()
                noteRejection(.malformed, detail: detail)
            }, shouldStop: { stopFlag.load(ordering: .relaxed) })
        } catch {
            logger.error("feed failed", metadata: ["feed": "\(source.name)", "error": "\(error)"])
            let message = "\(error)"
            statsLock.withLock { $0.error = message }
        }
        finish()
    }

    /// Validates one record, stamps it (at `ingress`, else now) with the next sequence number
    /// and hands it to `sink`; a bad record is counted and logged once per kind.
    private func intake(_ raw: RawTick, ingress: UInt64?, sink: (Tick) -> Bool, sinceStats: inout Int) {
        switch validator.validate(raw) {
        case .success(var tick):
            sequence &+= 1
            tick.sequence = sequence
            tick.ingressNanos = ingress ?? qa_monotonic_ns()
            if sink(tick) {
                acceptedCount.add(1, ordering: .relaxed)
            } else {
                refusedCount.add(1, ordering: .relaxed)
            }
            lastTick.store(tick.ingressNanos, ordering: .relaxed)
        case .failure(let kind):
            noteRejection(kind, detail: "\(raw.symbol) price \(raw.price) size \(raw.size) time \(raw.timeNanos)")
        }
        sinceStats += 1
        if sinceStats >= 4096 {
            sinceStats = 0
            publishRejections()
        }
    }

    private func finish() {
        publishRejections()
        statsLock.withLock { $0.finished = true }
    }

    // MARK: Polled on an executor's thread

    /// Runs `source` on `executor`'s own thread instead of a feed thread: a drainable the
    /// executor polls on every pass of its loop takes each record once it is due, and hands
    /// it to `sink` right there — for the latency engine, straight into the pipeline (no
    /// queue, no hop between cores). A paced record is stamped with the time it was *due*,
    /// not when the poll got to it, so whatever delayed the poll (a busy engine, a
    /// preempted thread) counts in the end-to-end latency. `stop` and `waitUntilFinished`
    /// work as for the thread.
    /// - Parameter sink: called on `executor`'s thread only.
    public func startPolled(_ source: any PollableMarketSource, on executor: any ActorExecutor,
                            sink: @escaping (Tick) -> Bool) {
        guard !startedFlag.exchange(true, ordering: .acquiringAndReleasing) else { return }
        let poller = PolledFeed(driver: self, poller: source.makePoller(), executor: executor, sink: sink)
        polled.withLock { $0 = poller }
        executor.register(poller)
    }

    /// The drainable of `startPolled`.
    private final class PolledFeed: Drainable, @unchecked Sendable {
        // @unchecked: `poller`, `sink` and `sinceStats` are used by the executor's thread only
        // (drain, pendingWork); `ended` is atomic.
        private let driver: FeedDriver
        private let poller: any MarketPoller
        private let sink: (Tick) -> Bool
        private weak var executor: (any ActorExecutor)?
        private var sinceStats = 0
        let ended = Atomic<Bool>(false)

        init(driver: FeedDriver, poller: any MarketPoller, executor: any ActorExecutor, sink: @escaping (Tick) -> Bool) {
            self.driver = driver
            self.poller = poller
            self.sink = sink
            self.executor = executor
        }

        func drain(budget: Int) -> Int {
            if ended.load(ordering: .relaxed) { return 0 }
            if driver.stopFlag.load(ordering: .relaxed) {
                end()
                return 0
            }
            var handled = 0
            var now: UInt64 = 0  // read only when a paced tick might not be due yet
            while handled < budget {
                guard let due = poller.nextDue else {
                    end()
                    break
                }
                if due > now {
                    now = qa_monotonic_ns()
                    if due > now { break }
                }
                let raw = poller.next(now: now)
                driver.intake(raw, ingress: due == 0 ? nil : due, sink: sink, sinceStats: &sinceStats)
                handled += 1
            }
            return handled
        }

        /// Lets a parked executor see a stop.
        func wake() { executor?.wakeIfParked() }

        func pendingWork(now: UInt64) -> PendingWork {
            if ended.load(ordering: .relaxed) { return .none }
            if driver.stopFlag.load(ordering: .relaxed) { return .ready }
            guard let due = poller.nextDue else { return .ready }
            return due <= now ? .ready : .at(due)
        }

        /// Unregisters (on the executor's thread) and reports the feed finished.
        private func end() {
            guard !ended.exchange(true, ordering: .acquiringAndReleasing) else { return }
            executor?.unregister(self)
            driver.finish()
            driver.done.signal()
        }
    }

    private func noteRejection(_ kind: FeedRejection, detail: String) {
        if loggedKinds.insert(kind).inserted {
            logger.warning("feed record rejected (logged once per kind; all are counted)", metadata: [
                "feed": "\(source.name)", "kind": "\(kind)", "record": "\(detail)",
            ])
        }
        publishRejections()
    }

    private func publishRejections() {
        let counts = Dictionary(uniqueKeysWithValues: FeedRejection.allCases.compactMap { kind -> (String, Int)? in
            let count = validator.count(kind)
            return count > 0 && kind != .malformed ? (kind.description, count) : nil
        })
        let malformed = validator.count(.malformed)
        statsLock.withLock { stats in
            stats.rejected = counts
            stats.malformed = malformed
        }
    }
}
