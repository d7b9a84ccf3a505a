import CLinuxShim
import Hardware
import Synchronization

/// An executor that runs nothing until told to: `run()` executes queued jobs and
/// drains registered channels on the calling thread, in FIFO order, until idle.
/// With a `VirtualClock` it makes actor tests and replay reproducible (the
/// counterpart of NIO's EmbeddedEventLoop). Same protocol as `PinnedExecutor`.
public final class DeterministicExecutor: ActorExecutor, @unchecked Sendable {
    // @unchecked: queued jobs and registrations are mutex-guarded; `run` marks the
    // calling thread as this executor's for `checkIsolated`.

    public let name: String
    public let core: Int? = nil
    public let idleStrategy: IdleStrategy = .park
    public let clock: any NanoClock
    public let batchSize: Int
    private let jobs = Mutex<[UnownedJob]>([])
    private let registry = Mutex<[any Drainable]>([])
    private let wakeups = Atomic<Int>(0)

    public init(name: String = "deterministic", clock: any NanoClock = VirtualClock(), batchSize: Int = 64) {
        self.name = name
        self.clock = clock
        self.batchSize = max(1, batchSize)
    }

    public func enqueue(_ job: consuming ExecutorJob) {
        let unowned = UnownedJob(job)
        jobs.withLock { $0.append(unowned) }
    }

    public func asUnownedSerialExecutor() -> UnownedSerialExecutor { UnownedSerialExecutor(complexEquality: self) }
    public func asUnownedTaskExecutor() -> UnownedTaskExecutor { UnownedTaskExecutor(ordinary: self) }
    public func isSameExclusiveExecutionContext(other: DeterministicExecutor) -> Bool { self === other }

    public func checkIsolated() {
        precondition(isRunningHere, "not inside DeterministicExecutor '\(name)'.run()")
    }

    public func isIsolatingCurrentContext() -> Bool? { isRunningHere }

    private var isRunningHere: Bool { qa_get_current_executor() == Unmanaged.passUnretained(self).toOpaque() }

    public func register(_ drainable: any Drainable) { registry.withLock { $0.append(drainable) } }
    public func unregister(_ drainable: any Drainable) { registry.withLock { list in list.removeAll { $0 === drainable } } }
    public func wakeIfParked() { wakeups.add(1, ordering: .relaxed) }
    public func shutdown() {}

    /// How many times producers signalled new work (each send counts once).
    public var wakeupCount: Int { wakeups.load(ordering: .relaxed) }

    /// Runs jobs and drains channels on the calling thread until nothing is ready.
    /// - Returns: the number of jobs run plus messages delivered.
    @discardableResult
    public func run() -> Int {
        let previous = qa_get_current_executor()
        qa_set_current_executor(Unmanaged.passUnretained(self).toOpaque())
        defer { qa_set_current_executor(previous) }
        var total = 0
        while true {
            var work = 0
            let batch = jobs.withLock { list -> [UnownedJob] in
                let taken = list
                list.removeAll()
                return taken
            }
            for job in batch {
                job.runSynchronously(isolatedTo: asUnownedSerialExecutor(), taskExecutor: asUnownedTaskExecutor())
            }
            work += batch.count
            let drainables = registry.withLock { $0 }
            for drainable in drainables { work += drainable.drain(budget: batchSize) }
            total += work
            if work == 0 { return total }
        }
    }

    /// The earliest deadline a registered channel is waiting for (restart backoff), if any.
    public func nextDeadline() -> UInt64? {
        let now = clock.now()
        var earliest: UInt64?
        for drainable in registry.withLock({ $0 }) {
            if case .at(let deadline) = drainable.pendingWork(now: now) {
                earliest = min(earliest ?? deadline, deadline)
            }
        }
        return earliest
    }
}
