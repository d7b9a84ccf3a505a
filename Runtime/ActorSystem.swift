import Dispatch
import Hardware
import Logging
import Synchronization

/// Spawns actors on the executors of a `CorePlan`, keeps them in a registry by
/// name (the receptionist the inspector reads), supervises them, and starts,
/// drains and stops them.
public final class ActorSystem: Sendable {
    /// Options.
    public struct Configuration: Sendable {
        /// Pin executor threads to their planned CPUs (`enable_hardware_optimization`).
        public var pinThreads: Bool
        /// Allocate rings on the executor's NUMA node.
        public var nodeLocalMemory: Bool
        /// Use `DeterministicExecutor`s driven by `runUntilIdle()` instead of threads.
        public var deterministic: Bool
        public var jobCapacity: Int
        public var spinIterations: Int
        public var batchSize: Int
        public var deadLetterCapacity: Int

        public init(pinThreads: Bool = true, nodeLocalMemory: Bool = true, deterministic: Bool = false,
                    jobCapacity: Int = 4096, spinIterations: Int = 20_000, batchSize: Int = 64,
                    deadLetterCapacity: Int = 1000) {
            self.pinThreads = pinThreads
            self.nodeLocalMemory = nodeLocalMemory
            self.deterministic = deterministic
            self.jobCapacity = jobCapacity
            self.spinIterations = spinIterations
            self.batchSize = batchSize
            self.deadLetterCapacity = deadLetterCapacity
        }
    }

    public let plan: CorePlan
    public let clock: any NanoClock
    public let deadLetters: DeadLetterQueue
    let logger: Logger
    private let executors: [String: any ActorExecutor]
    private let executorOrder: [String]
    private let cells = Mutex<[String: any AnyActorCell]>([:])
    private let cellOrder = Mutex<[String]>([])
    private let escalationHandler = Mutex<(@Sendable (String, String) -> Void)?>(nil)
    private let stopped = Atomic<Bool>(false)

    /// Creates one executor per planned executor (threads start at once).
    /// - Throws: `RuntimeError` for invalid executor options.
    public init(plan: CorePlan, configuration: Configuration = Configuration(), clock: any NanoClock = MonotonicClock(),
                logger: Logger = Logger(label: "quantum-agent.actors")) throws(RuntimeError) {
        self.plan = plan
        self.clock = clock
        self.logger = logger
        self.deadLetters = DeadLetterQueue(capacity: configuration.deadLetterCapacity)
        var executors: [String: any ActorExecutor] = [:]
        for planned in plan.executors {
            if configuration.deterministic {
                executors[planned.name] = DeterministicExecutor(name: planned.name, clock: clock, batchSize: configuration.batchSize)
            } else {
                executors[planned.name] = try PinnedExecutor(.init(
                    name: planned.name, core: configuration.pinThreads ? planned.core : nil,
                    node: configuration.nodeLocalMemory ? planned.node : nil, idleStrategy: planned.idleStrategy,
                    jobCapacity: configuration.jobCapacity, spinIterations: configuration.spinIterations,
                    batchSize: configuration.batchSize), clock: clock, logger: logger)
            }
        }
        self.executors = executors
        self.executorOrder = plan.executors.map(\.name)
        for note in plan.notes { logger.notice("core plan", metadata: ["note": "\(note)"]) }
    }

    /// The executor an actor of the plan runs on.
    /// - Throws: `RuntimeError.actorNotInPlan`.
    public func executor(forActor name: String) throws(RuntimeError) -> any ActorExecutor {
        guard let planned = plan.executor(for: name), let executor = executors[planned.name] else {
            throw .actorNotInPlan(name)
        }
        return executor
    }

    /// All executors, in plan order.
    public var allExecutors: [any ActorExecutor] { executorOrder.compactMap { executors[$0] } }

    /// Spawns an actor on its planned executor with a mailbox and a supervision policy.
    /// - Parameters:
    ///   - name: must be in the plan and unique.
    ///   - mailbox: channel options (name and NUMA node are filled in).
    ///   - parent: the actor it escalates to; nil escalates to the system.
    ///   - make: builds the actor for the executor it must use.
    /// - Throws: `RuntimeError.actorNotInPlan`, `.duplicateActor`, `.invalidCapacity`, `.systemStopped`.
    public func spawn<A: SupervisedActor>(
        _ name: String, mailbox: ChannelConfiguration? = nil, supervision: SupervisionPolicy = SupervisionPolicy(),
        parent: String? = nil, make: (any ActorExecutor) -> A
    ) async throws(RuntimeError) -> ActorRef<A> {
        guard let planned = plan.executor(for: name) else { throw .actorNotInPlan(name) }
        var config = mailbox ?? ChannelConfiguration(name: name)
        config.name = name
        if config.node == nil && executors[planned.name]?.core != nil { config.node = planned.node }
        let channel = try Channel<A.Message>(config)
        return try await spawn(name, channel: channel, supervision: supervision, parent: parent, make: make)
    }

    /// Spawns an actor whose mailbox was created beforehand (so that actors spawned
    /// earlier can already hold it and send to it).
    /// - Throws: `RuntimeError.actorNotInPlan`, `.duplicateActor`, `.systemStopped`.
    public func spawn<A: SupervisedActor>(
        _ name: String, channel: Channel<A.Message>, supervision: SupervisionPolicy = SupervisionPolicy(),
        parent: String? = nil, make: (any ActorExecutor) -> A
    ) async throws(RuntimeError) -> ActorRef<A> {
        guard !stopped.load(ordering: .acquiring) else { throw .systemStopped }
        let executor = try executor(forActor: name)
        guard let planned = plan.executor(for: name) else { throw .actorNotInPlan(name) }
        if cells.withLock({ $0[name] != nil }) { throw .duplicateActor(name) }
        let actor = make(executor)
        let snapshot = await actor.snapshot()
        let latencyClass = plan.executors.first { $0.name == planned.name }?.latencyClass ?? .normal
        let cell = ActorCell(name: name, parent: parent, actor: actor, initialSnapshot: snapshot, channel: channel,
                             executor: executor, policy: supervision, latencyClass: latencyClass,
                             deadLetters: deadLetters, logger: logger)
        cell.system = self
        let inserted = cells.withLock { cells -> Bool in
            guard cells[name] == nil else { return false }
            cells[name] = cell
            return true
        }
        guard inserted else { throw .duplicateActor(name) }
        cellOrder.withLock { $0.append(name) }
        executor.register(cell)
        return ActorRef(cell: cell)
    }

    /// The actor registered under `name`.
    public func lookup(_ name: String) -> (any AnyActorCell)? { cells.withLock { $0[name] } }

    /// Registered actor names in spawn order.
    public var actorNames: [String] { cellOrder.withLock { $0 } }

    /// Stats of every actor, in spawn order.
    public func stats() -> [ActorStats] {
        let order = actorNames
        let all = cells.withLock { $0 }
        return order.compactMap { all[$0]?.stats() }
    }

    /// Called with (actor, error) when an actor without a parent exceeds its restart intensity.
    public func onEscalation(_ handler: @escaping @Sendable (String, String) -> Void) {
        escalationHandler.withLock { $0 = handler }
    }

    func escalate(from child: String, parent: String?, error: String) {
        if let parent, let cell = lookup(parent) {
            cell.childEscalated(child, error: error)
        } else {
            logger.critical("escalation reached the actor system", metadata: ["actor": "\(child)", "error": "\(error)"])
            escalationHandler.withLock { $0 }?(child, error)
        }
    }

    func restartChildren(of parent: String, reason: String) {
        let children = cells.withLock { $0.values.filter { $0.parentName == parent } }
        for child in children { child.requestRestart(reason: "parent \(parent) restarted: \(reason)") }
    }

    /// Runs every deterministic executor until none has work (deterministic mode only).
    /// - Returns: jobs run plus messages delivered.
    @discardableResult
    public func runUntilIdle() -> Int {
        var total = 0
        while true {
            var work = 0
            for executor in allExecutors {
                if let deterministic = executor as? DeterministicExecutor { work += deterministic.run() }
            }
            total += work
            if work == 0 { return total }
        }
    }

    /// Waits until every mailbox is empty or `timeoutNanos` passes (wall time).
    /// - Returns: true when drained.
    public func drain(timeoutNanos: UInt64 = 5_000_000_000) -> Bool {
        let deadline = DispatchTime.now().uptimeNanoseconds &+ timeoutNanos
        while true {
            let busy = cells.withLock { $0.values.contains { cell in
                let stats = cell.stats()
                return stats.mailbox.depth > 0 && (stats.state == .running || stats.state == .backoff)
            } }
            if !busy { return true }
            if DispatchTime.now().uptimeNanoseconds > deadline { return false }
            usleep(200)
        }
    }

    /// Stops every actor and executor thread. Idempotent.
    public func stop() {
        guard !stopped.exchange(true, ordering: .acquiringAndReleasing) else { return }
        for cell in cells.withLock({ Array($0.values) }) { cell.stop() }
        for executor in allExecutors { executor.shutdown() }
    }
}

#if canImport(Glibc)
import Glibc
#endif

extension ActorSystem {
    /// Runs `body` while a thread of its own runs this deterministic system's
    /// executors, so that control-plane `await`s on its actors (whose jobs run only
    /// inside `runUntilIdle`) complete. The pump has stopped when this returns.
    /// On a system of pinned executors it simply runs `body`.
    public func pumping<T: Sendable>(_ body: @Sendable () async throws -> T) async throws -> T {
        let stop = Atomic<Bool>(false)
        let done = AsyncStream<Void>.makeStream()
        let thread = Thread { [self] in
            // Idle, the pump backs off from 20 µs to 1 ms between passes: a test suite runs
            // dozens of pumps at once, and at a fixed 20 µs each one took a good share of a
            // CPU while its body waited (27 of them starved a whole test run).
            var pause: UInt32 = 20
            while !stop.load(ordering: .acquiring) {
                if runUntilIdle() == 0 {
                    usleep(pause)
                    pause = min(pause * 2, 1_000)
                } else {
                    pause = 20
                }
            }
            done.continuation.finish()
        }
        thread.start()
        let result: Result<T, any Error>
        do { result = .success(try await body()) } catch { result = .failure(error) }
        stop.store(true, ordering: .releasing)
        for await _ in done.stream {}
        return try result.get()
    }
}

import Foundation
