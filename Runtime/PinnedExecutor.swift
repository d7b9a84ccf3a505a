import CLinuxShim
import Dispatch
import Hardware
import Logging
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// One OS thread pinned to one CPU that runs Swift jobs (as the `SerialExecutor`
/// of the actors placed on it, and as a `TaskExecutor`) and drains those actors'
/// channels in batches between jobs.
///
/// Jobs go into a preallocated lock-free MPSC ring of `UnownedJob` (no closure, no
/// allocation per job); a mutex-guarded overflow list takes the rare excess so
/// that a thread enqueuing onto its own full ring cannot deadlock. When idle the
/// thread spins, spins then parks on a futex, or parks, per `IdleStrategy`.
///
/// The loop is kept cheap because its cost is added to every hop: it reads no
/// clock (drainables read one when they need it), and the thread's own counters
/// live on a cache line of their own, so producers that read this object's fields
/// in `enqueue` never miss on a line the thread keeps writing. A `spin` executor
/// never parks, so `enqueue` and `wakeIfParked` skip the fence and park-word check.
public final class PinnedExecutor: ActorExecutor, @unchecked Sendable {
    // @unchecked: the fields touched by other threads are atomics, the lock-free
    // ring, or mutex-guarded; `threadCounters` are written only by the thread.

    /// Options; the defaults suit a normal actor.
    public struct Configuration: Sendable {
        /// Executor name (shown by the inspector).
        public var name: String
        /// CPU to pin to; nil leaves the thread unpinned.
        public var core: Int?
        /// NUMA node for the job ring (nil: default allocator).
        public var node: Int?
        public var idleStrategy: IdleStrategy
        /// Job ring capacity; excess jobs go to an overflow list.
        public var jobCapacity: Int
        /// Idle loop iterations before `spinThenPark` parks (about 10 ns each).
        public var spinIterations: Int
        /// Messages drained per channel per loop.
        public var batchSize: Int
        /// Upper bound of one park, in ns (a safety net; wake-ups are explicit).
        public var parkTimeoutNanos: Int64

        public init(name: String, core: Int? = nil, node: Int? = nil, idleStrategy: IdleStrategy = .spinThenPark,
                    jobCapacity: Int = 4096, spinIterations: Int = 20_000, batchSize: Int = 64,
                    parkTimeoutNanos: Int64 = 100_000_000) {
            self.name = name
            self.core = core
            self.node = node
            self.idleStrategy = idleStrategy
            self.jobCapacity = jobCapacity
            self.spinIterations = spinIterations
            self.batchSize = batchSize
            self.parkTimeoutNanos = parkTimeoutNanos
        }
    }

    private let headerPadding = CacheLinePadding()
    public let name: String
    public let core: Int?
    public let idleStrategy: IdleStrategy
    public let clock: any NanoClock
    let configuration: Configuration
    let logger: Logger

    /// The job ring's lock-free core (a trivial value: no retain per job); `jobRing` owns it.
    private let jobs: MPSCCore<UnownedJob>
    private let jobRing: MPSCRing<UnownedJob>
    private let overflow = Mutex<[UnownedJob]>([])
    private let overflowCount = Atomic<Int>(0)
    private let registry = Mutex<[any Drainable]>([])
    private let registryChanged = Atomic<Bool>(false)
    /// The executor thread's copy of the registry and the entries its loop calls
    /// unretained. Stored properties (thread-only), not locals: the optimiser may end a
    /// local's lifetime after its last use, which would free what the loop still calls.
    private var loopDrainables: [any Drainable] = []
    private var loopEntryOwners: [DrainEntry] = []
    private let running = Atomic<Bool>(true)
    private let finished = DispatchSemaphore(value: 0)
    private let started = DispatchSemaphore(value: 0)
    /// Futex word: 0 running, 1 parked.
    private let parkWord: UnsafeMutablePointer<UInt32>
    private let pinnedCore = Atomic<Int>(-1)
    private let threadIDValue = Atomic<Int32>(0)
    private let wakes = Atomic<UInt64>(0)
    /// Written by the executor thread only, on a line of their own: [0] jobs run, [1] parks.
    private let threadCounters: UnsafeMutablePointer<Int64>
    private let threadCounterBuffer: NodeLocalBuffer

    /// Starts the thread, pins it (logging and continuing unpinned if pinning fails),
    /// and returns once it runs.
    /// - Throws: `RuntimeError.invalidCapacity` / `.invalidBatchSize` for bad configuration.
    public init(_ configuration: Configuration, clock: any NanoClock = MonotonicClock(),
                logger: Logger = Logger(label: "quantum-agent.executor")) throws(RuntimeError) {
        guard configuration.batchSize >= 1, configuration.batchSize <= 65536 else {
            throw .invalidBatchSize(configuration.batchSize)
        }
        self.configuration = configuration
        self.name = configuration.name
        self.core = configuration.core
        self.idleStrategy = configuration.idleStrategy
        self.clock = clock
        self.logger = logger
        jobRing = try MPSCRing(capacity: configuration.jobCapacity, node: configuration.node)
        jobs = jobRing.core
        // The word alone on its cache line.
        parkWord = UnsafeMutableRawPointer.allocate(byteCount: 64, alignment: 64).bindMemory(to: UInt32.self, capacity: 16)
        parkWord.initialize(repeating: 0, count: 16)
        threadCounterBuffer = NodeLocalBuffer.allocate(byteCount: 128, node: configuration.node)
        threadCounters = threadCounterBuffer.base.bindMemory(to: Int64.self, capacity: 16)

        var thread = pthread_t()
        let context = Unmanaged.passRetained(self).toOpaque()
        let rc = pthread_create(&thread, nil, { raw in
            guard let raw else { return nil }
            let executor = Unmanaged<PinnedExecutor>.fromOpaque(raw).takeRetainedValue()
            executor.threadMain()
            return nil
        }, context)
        if rc != 0 {
            Unmanaged<PinnedExecutor>.fromOpaque(context).release()
            logger.critical("pthread_create failed", metadata: ["executor": "\(configuration.name)", "errno": "\(rc)"])
            running.store(false, ordering: .releasing)
            finished.signal()
            return
        }
        pthread_detach(thread)
        started.wait()
    }

    deinit {
        UnsafeMutableRawPointer(parkWord).deallocate()
        threadCounterBuffer.deallocate()
    }

    // MARK: Statistics

    /// The CPU the thread pinned itself to, or nil when it runs unpinned.
    public var pinnedTo: Int? { let value = pinnedCore.load(ordering: .acquiring); return value >= 0 ? value : nil }
    /// Linux thread id of the executor thread.
    public var threadID: Int32 { threadIDValue.load(ordering: .acquiring) }
    /// Jobs run so far.
    public var jobsExecuted: UInt64 { UInt64(qa_load_relaxed(threadCounters)) }
    /// Times the thread parked.
    public var parkCount: UInt64 { UInt64(qa_load_relaxed(threadCounters + 1)) }
    /// Times a producer woke the thread.
    public var wakeCount: UInt64 { wakes.load(ordering: .relaxed) }
    /// Jobs queued now (ring and overflow).
    public var queuedJobs: Int { jobs.count + overflowCount.load(ordering: .relaxed) }
    /// Whether the thread is still running.
    public var isRunning: Bool { running.load(ordering: .acquiring) }

    // MARK: Channels

    public func register(_ drainable: any Drainable) {
        registry.withLock { $0.append(drainable) }
        registryChanged.store(true, ordering: .releasing)
        forceWake()
    }

    public func unregister(_ drainable: any Drainable) {
        registry.withLock { list in list.removeAll { $0 === drainable } }
        registryChanged.store(true, ordering: .releasing)
        forceWake()
    }

    @inlinable
    public func wakeIfParked() {
        if idleStrategy == .spin { return }
        forceWake()
    }

    @usableFromInline
    func forceWake() {
        qa_fence_seq_cst()
        if qa_load32_acquire(parkWord) == 1, qa_cas32(parkWord, 1, 0) {
            _ = qa_futex_wake(parkWord, 1)
            wakes.add(1, ordering: .relaxed)
        }
    }

    // MARK: Jobs

    public func enqueue(_ job: consuming ExecutorJob) {
        let unowned = UnownedJob(job)
        // Read while the job is ours: once pushed it may run, and its task end, at once.
        let lines = JobCacheHints.lines(of: unowned)
        if overflowCount.load(ordering: .relaxed) > 0 || !jobs.push(unowned) {
            overflow.withLock { $0.append(unowned) }
            overflowCount.add(1, ordering: .releasing)
        }
        // A job from another thread is read next by this executor's core: demote its
        // lines (see JobCacheHints), after the push (measured faster than before it).
        if !isOnExecutorThread { JobCacheHints.demote(lines) }
        if idleStrategy != .spin { forceWake() }
    }

    public func asUnownedSerialExecutor() -> UnownedSerialExecutor {
        UnownedSerialExecutor(complexEquality: self)
    }

    public func asUnownedTaskExecutor() -> UnownedTaskExecutor {
        UnownedTaskExecutor(ordinary: self)
    }

    public func isSameExclusiveExecutionContext(other: PinnedExecutor) -> Bool { self === other }

    /// Traps unless called on this executor's thread (the contract of `checkIsolated`).
    public func checkIsolated() {
        precondition(isOnExecutorThread, "not on the thread of executor '\(name)'")
    }

    public func isIsolatingCurrentContext() -> Bool? { isOnExecutorThread }

    /// Whether the calling thread is this executor's thread.
    public var isOnExecutorThread: Bool {
        qa_get_current_executor() == Unmanaged.passUnretained(self).toOpaque()
    }

    /// Stops the thread after the jobs already queued and waits for it (unless called
    /// from the thread itself). Idempotent.
    public func shutdown() {
        guard running.exchange(false, ordering: .acquiringAndReleasing) else { return }
        forceWake()
        if !isOnExecutorThread { finished.wait() }
    }

    // MARK: The thread

    private func threadMain() {
        qa_set_current_executor(Unmanaged.passUnretained(self).toOpaque())
        threadIDValue.store(Affinity.threadID, ordering: .releasing)
        Affinity.nameCurrentThread(configuration.name)
        if let core = configuration.core,
           Affinity.pinCurrentThreadOrLog(to: core, logger: logger) {
            pinnedCore.store(core, ordering: .releasing)
        }
        started.signal()
        runLoop()
        qa_set_current_executor(nil)
        finished.signal()
    }

    /// One registered drainable as the loop sees it: a trivial value (no ARC when read).
    private struct LoopEntry {
        let probe: DrainProbe
        let entry: Unmanaged<DrainEntry>
    }

    private func runLoop() {
        // `loopDrainables` and `loopEntryOwners` keep the registered objects alive; each
        // pass reads only `loopEntries` (trivial values), so it retains nothing: a retain
        // per call would write the drainable's header line, which its producers read. A
        // probe (non-generic) skips `drain` for an empty mailbox.
        var loopEntries = UnsafeMutableBufferPointer<LoopEntry>.allocate(capacity: 0)
        defer {
            loopEntries.deallocate()
            loopEntryOwners = []
            loopDrainables = []
        }
        var idleIterations = 0
        let batch = configuration.batchSize
        let serial = asUnownedSerialExecutor()
        while true {
            if registryChanged.load(ordering: .acquiring) {
                registryChanged.store(false, ordering: .releasing)
                loopDrainables = registry.withLock { $0 }
                loopEntryOwners = loopDrainables.map(DrainEntry.make)
                loopEntries.deallocate()
                loopEntries = .allocate(capacity: loopDrainables.count)
                for index in loopDrainables.indices {
                    loopEntries.initializeElement(
                        at: index, to: LoopEntry(probe: loopDrainables[index].drainProbe,
                                                 entry: .passUnretained(loopEntryOwners[index])))
                }
            }
            var work = runJobs(max: batch, serial: serial)
            for index in 0..<loopEntries.count {
                let loopEntry = loopEntries[index]
                if loopEntry.probe.mayHaveWork {
                    work &+= loopEntry.entry._withUnsafeGuaranteedRef { $0.drain(budget: batch) }
                }
            }
            if work > 0 {
                idleIterations = 0
                continue
            }
            if !running.load(ordering: .acquiring) {
                if jobs.count == 0 && overflowCount.load(ordering: .acquiring) == 0 { return }
                continue
            }
            switch idleStrategy {
            case .spin:
                qa_cpu_relax()
            case .spinThenPark:
                idleIterations += 1
                if idleIterations < configuration.spinIterations {
                    qa_cpu_relax()
                } else {
                    park(loopDrainables)
                    idleIterations = 0
                }
            case .park:
                park(loopDrainables)
            }
        }
    }

    /// Runs up to `max` queued jobs, each with this executor's serial isolation.
    ///
    /// Jobs enqueued through the `TaskExecutor` face (a task that prefers this
    /// executor) run the same way: their preference is a property of the task, so
    /// they keep coming back to this thread. Running every job "on serial and task
    /// executor" instead makes the Swift runtime push and pop a task-executor
    /// record per job: ~85 ns more per actor hop here (same-core ping-pong round
    /// trip 290 ns → 123 ns without it).
    private func runJobs(max: Int, serial: UnownedSerialExecutor) -> Int {
        var count = 0
        while count < max, let job = jobs.pop() {
            JobCacheHints.prefetch(job)
            job.runSynchronously(on: serial)
            count += 1
        }
        if overflowCount.load(ordering: .acquiring) > 0 && jobs.count == 0 {
            let pending = overflow.withLock { list -> [UnownedJob] in
                let taken = list
                list.removeAll(keepingCapacity: true)
                return taken
            }
            overflowCount.subtract(pending.count, ordering: .releasing)
            for job in pending { job.runSynchronously(on: serial) }
            count += pending.count
        }
        if count > 0 { qa_store_relaxed(threadCounters, qa_load_relaxed(threadCounters) &+ Int64(count)) }
        return count
    }

    private func park(_ drainables: [any Drainable]) {
        qa_store32_release(parkWord, 1)
        qa_fence_seq_cst()
        var timeout = configuration.parkTimeoutNanos
        var mustRun = jobs.count > 0 || overflowCount.load(ordering: .acquiring) > 0
            || !running.load(ordering: .acquiring) || registryChanged.load(ordering: .acquiring)
        if !mustRun {
            let now = clock.now()
            for drainable in drainables {
                switch drainable.pendingWork(now: now) {
                case .none: break
                case .ready: mustRun = true
                case .at(let deadline):
                    if deadline <= now { mustRun = true } else { timeout = min(timeout, Int64(deadline - now)) }
                }
            }
        }
        if !mustRun {
            qa_store_relaxed(threadCounters + 1, qa_load_relaxed(threadCounters + 1) &+ 1)
            _ = qa_futex_wait(parkWord, 1, timeout)
        }
        qa_store32_release(parkWord, 0)
    }
}
