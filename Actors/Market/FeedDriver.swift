import CLinuxShim
import Foundation
import Hardware
import Logging
import Protocols
import Synchronization

/// Runs a `MarketSource` on a thread of its own: validates every record, stamps
/// accepted ticks at ingress (monotonic ns) with a sequence number, and hands
/// them to `sink` (the latency engine's channel). Bad records are rejected,
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
        var sequence: UInt64 = 0
        var sinceStats = 0
        do {
            try source.run(emit: { raw in
                switch validator.validate(raw) {
                case .success(var tick):
                    sequence &+= 1
                    tick.sequence = sequence
                    tick.ingressNanos = qa_monotonic_ns()
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
            }, malformed: { detail in
                validator.countMalformed()
                noteRejection(.malformed, detail: detail)
            }, shouldStop: { stopFlag.load(ordering: .relaxed) })
        } catch {
            logger.error("feed failed", metadata: ["feed": "\(source.name)", "error": "\(error)"])
            let message = "\(error)"
            statsLock.withLock { $0.error = message }
        }
        publishRejections()
        statsLock.withLock { $0.finished = true }
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
