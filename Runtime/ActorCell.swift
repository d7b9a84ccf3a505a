import CLinuxShim
import Hardware
import Histogram
import Logging
import Synchronization

/// What the system keeps of every actor, whatever its message type.
public protocol AnyActorCell: AnyObject, Sendable {
    var name: String { get }
    var parentName: String? { get }
    func stats() -> ActorStats
    /// Asks the cell to restart its actor from its last snapshot on its own executor.
    func requestRestart(reason: String)
    /// A child escalated: restart this actor (counted against its own intensity) and its children.
    func childEscalated(_ child: String, error: String)
    func stop()
}

/// Runs one supervised actor: drains its channel on the actor's executor thread,
/// delivers each message through an `ExecutorThreadCall`, measures handler latency,
/// takes snapshots, and restarts or escalates on failure.
public final class ActorCell<A: SupervisedActor>: AnyActorCell, Drainable, @unchecked Sendable {
    // @unchecked: `executorLocal` state is touched only on the executor's thread
    // (inside `drain`); cross-thread state is in `shared` (a Mutex) or atomics.

    private let headerPadding = CacheLinePadding()
    public let name: String
    public let parentName: String?
    public let actor: A
    public let channel: Channel<A.Message>
    public let executor: any ActorExecutor
    public let policy: SupervisionPolicy
    let latencyClass: LatencyClass
    let deadLetters: DeadLetterQueue
    let logger: Logger
    weak var system: ActorSystem?

    private struct Shared {
        var histogram = Histogram<UInt64>.latencyNanos()
        var restarts = 0
        var lastError: String?
        var state = ActorState.running
        var lastStatsTime: UInt64 = 0
        var lastStatsProcessed: UInt64 = 0
        var restartRequests: [String] = []
    }

    private let shared = Mutex(Shared())
    private let processed = Atomic<UInt64>(0)
    /// Attention words the executor's probe reads on every pass (a line of their own):
    /// [0] a restart was requested (set by any thread), [1] the actor is in backoff
    /// (executor thread only). Either makes the executor call `drain` with an empty mailbox.
    private let attention: UnsafeMutablePointer<Int64>
    public let drainProbe: DrainProbe
    // Executor-thread-only state.
    private var lastSnapshot: A.Snapshot
    private var sinceSnapshot = 0
    private var resumeAt: UInt64 = 0
    private var state = ActorState.running
    private var restartTimes: [UInt64] = []
    private var failure: (message: String, error: String)?
    private let latencies: UnsafeMutablePointer<UInt64>
    private var latencyCount = 0
    private let latencyCapacity: Int
    // The actor's methods as the drain calls them (no isolation slow path, no allocation).
    private let receiveCall = ExecutorThreadCall<A, A.Message, Void, any Error> { actor, message in try actor.receive(message) }
    private let snapshotCall = ExecutorThreadCall<A, Void, A.Snapshot, Never> { actor, _ in actor.snapshot() }
    private let restoreCall = ExecutorThreadCall<A, A.Snapshot, Void, Never> { actor, snapshot in actor.restore(from: snapshot) }

    init(name: String, parent: String?, actor: A, initialSnapshot: A.Snapshot, channel: Channel<A.Message>,
         executor: any ActorExecutor, policy: SupervisionPolicy, latencyClass: LatencyClass,
         deadLetters: DeadLetterQueue, logger: Logger) {
        self.name = name
        self.parentName = parent
        self.actor = actor
        self.lastSnapshot = initialSnapshot
        self.channel = channel
        self.executor = executor
        self.policy = policy
        self.latencyClass = latencyClass
        self.deadLetters = deadLetters
        self.logger = logger
        latencyCapacity = 1024
        latencies = .allocate(capacity: latencyCapacity)
        attention = UnsafeMutableRawPointer.allocate(byteCount: 64, alignment: 64).bindMemory(to: Int64.self, capacity: 8)
        attention.initialize(repeating: 0, count: 8)
        drainProbe = channel.drainProbe.adding(attention: attention, count: 2)
        channel.attach(to: executor) { [unowned self] message in self.deliver(message) }
    }

    deinit {
        latencies.deallocate()
        UnsafeMutableRawPointer(attention).deallocate()
    }

    // MARK: Delivery (executor thread)

    private func deliver(_ message: A.Message) -> Bool {
        let clock = executor.clock
        let start = clock.now()
        do {
            try receiveCall(actor, message)
        } catch {
            failure = (String(describing: message), String(describing: error))
            return false
        }
        let end = clock.now()
        if latencyCount < latencyCapacity {
            latencies[latencyCount] = end &- start
            latencyCount += 1
        }
        sinceSnapshot += 1
        if sinceSnapshot >= policy.snapshotInterval {
            lastSnapshot = snapshotCall(actor, ())
            sinceSnapshot = 0
        }
        return true
    }

    public func drain(budget: Int) -> Int {
        if qa_load_acquire(attention) != 0 { handleRestartRequests(now: executor.clock.now()) }
        if state == .failed || state == .stopped { return 0 }
        if state == .backoff {
            if executor.clock.now() < resumeAt { return 0 }
            state = .running
            qa_store_relaxed(attention + 1, 0)
            shared.withLock { $0.state = .running }
        }
        let count = channel.drain(budget: budget)
        if count > 0 { processed.add(UInt64(count), ordering: .relaxed) }
        if latencyCount > 0 || failure != nil { publish() }
        return count
    }

    /// Moves the batch's handler latencies into the shared histogram and handles a
    /// failure (reading the clock only then).
    private func publish() {
        let count = latencyCount
        latencyCount = 0
        let failed = failure
        failure = nil
        shared.withLock { shared in
            for index in 0..<count { shared.histogram.recordClamped(latencies[index]) }
            if let failed { shared.lastError = failed.error }
        }
        if let failed { handleFailure(message: failed.message, error: failed.error, now: executor.clock.now()) }
    }

    private func handleFailure(message: String, error: String, now: UInt64) {
        deadLetters.append(DeadLetter(actor: name, message: message, error: error, time: now))
        restartTimes.removeAll { now &- $0 > policy.periodNanos }
        restartTimes.append(now)
        if restartTimes.count > policy.intensity {
            escalate(error: error)
            return
        }
        restart(now: now, reason: error)
    }

    private func restart(now: UInt64, reason: String) {
        let snapshot = lastSnapshot
        restoreCall(actor, snapshot)
        sinceSnapshot = 0
        resumeAt = now &+ policy.backoff(forRestart: max(restartTimes.count, 1))
        state = .backoff
        qa_store_relaxed(attention + 1, 1)
        shared.withLock { shared in
            shared.restarts += 1
            shared.state = .backoff
        }
        logger.warning("actor restarted", metadata: [
            "actor": "\(name)", "reason": "\(reason)", "backoff_ns": "\(resumeAt &- now)",
        ])
    }

    private func escalate(error: String) {
        state = .failed
        qa_store_relaxed(attention + 1, 0)
        shared.withLock { $0.state = .failed }
        logger.critical("actor failed: restart intensity exceeded, escalating", metadata: [
            "actor": "\(name)", "parent": "\(parentName ?? "system")", "error": "\(error)",
            "intensity": "\(policy.intensity)", "period_ns": "\(policy.periodNanos)",
        ])
        system?.escalate(from: name, parent: parentName, error: error)
    }

    private func handleRestartRequests(now: UInt64) {
        qa_store_release(attention, 0)
        let reasons = shared.withLock { shared -> [String] in
            let taken = shared.restartRequests
            shared.restartRequests.removeAll()
            return taken
        }
        for reason in reasons {
            if reason.hasPrefix("escalation:") {
                restartTimes.removeAll { now &- $0 > policy.periodNanos }
                restartTimes.append(now)
                if restartTimes.count > policy.intensity {
                    escalate(error: reason)
                    return
                }
                system?.restartChildren(of: name, reason: reason)
            } else {
                restartTimes.removeAll()
            }
            restart(now: now, reason: reason)
        }
    }

    public func pendingWork(now: UInt64) -> PendingWork {
        if qa_load_acquire(attention) != 0 { return .ready }
        switch state {
        case .failed, .stopped: return .none
        case .backoff: return channel.depth > 0 ? .at(resumeAt) : .none
        case .running: return channel.depth > 0 ? .ready : .none
        }
    }

    // MARK: Cross-thread

    public func requestRestart(reason: String) {
        shared.withLock { $0.restartRequests.append(reason) }
        qa_store_release(attention, 1)
        executor.wakeIfParked()
    }

    public func childEscalated(_ child: String, error: String) {
        requestRestart(reason: "escalation: child \(child) failed: \(error)")
    }

    public func stop() {
        shared.withLock { $0.state = .stopped }
        executor.unregister(self)
        channel.close()
    }

    /// Sends a message to the actor's mailbox.
    @inlinable
    @discardableResult
    public func send(_ message: A.Message) -> SendOutcome { channel.send(message) }

    public func stats() -> ActorStats {
        let plannedCore = executor.core
        // The executor takes this lock after every batch to record its handler latencies: hold
        // it only to copy the histogram (an element-wise add, ~7 µs), and summarise the copy
        // (percentile scans and the mean, ~0.3 ms) after releasing it.
        var latencies = Histogram<UInt64>.latencyNanos()
        var stats = shared.withLock { shared in
            latencies.add(shared.histogram)
            // Read under the lock: two concurrent callers (health and the API) must not see
            // time or the count go backwards between them.
            let now = executor.clock.now()
            let total = processed.load(ordering: .relaxed)
            let elapsed = now &- shared.lastStatsTime
            let rate = shared.lastStatsTime == 0 || now <= shared.lastStatsTime || total < shared.lastStatsProcessed
                ? 0 : Double(total &- shared.lastStatsProcessed) * 1e9 / Double(elapsed)
            shared.lastStatsTime = now
            shared.lastStatsProcessed = total
            return ActorStats(
                name: name, parent: parentName, executor: executor.name, core: plannedCore,
                idleStrategy: executor.idleStrategy, latencyClass: latencyClass, state: shared.state,
                mailbox: channel.stats, processed: total, ratePerSecond: rate,
                handlerLatency: .empty, restarts: shared.restarts, lastError: shared.lastError)
        }
        stats.handlerLatency = LatencySummary(latencies)
        return stats
    }
}

/// A handle to a spawned actor: send it messages, or `await` its methods.
public struct ActorRef<A: SupervisedActor>: Sendable {
    public let cell: ActorCell<A>
    public var actor: A { cell.actor }
    public var name: String { cell.name }

    /// Sends a message through the actor's channel (never blocks).
    @inlinable
    @discardableResult
    public func send(_ message: A.Message) -> SendOutcome { cell.channel.send(message) }

    /// Sends without waking the actor's executor if it is parked (see `Channel.sendWithoutWaking`).
    @inlinable
    @discardableResult
    public func sendWithoutWaking(_ message: A.Message) -> SendOutcome { cell.channel.sendWithoutWaking(message) }

    public func stats() -> ActorStats { cell.stats() }
}
