import CLinuxShim

/// Keeps this process's threads off the CPUs its latency-critical executors own.
///
/// Pinning the engine's thread to a CPU does not keep other threads away from that CPU:
/// the kernel balances every unpinned thread (Swift's cooperative pool, Dispatch workers,
/// the HTTP server's event loops, the journal writer) over all the CPUs the process may
/// use, and a thread that lands on the engine's CPU takes turns with it — each turn a
/// preemption of the engine of up to a scheduler slice (milliseconds). A reservation
/// restricts every other thread of the process to the *housekeeping* CPUs (all CPUs but
/// the reserved ones), as `isolcpus`/`taskset` would, but from inside the process.
///
/// New threads inherit their creator's affinity, so a thread started later by a
/// housekeeping thread stays off the reserved CPUs; one started by a pinned executor's
/// thread (a Dispatch worker it woke) inherits that executor's CPU, which is why the
/// agent sweeps again periodically.
public struct CPUReservation: Sendable, Equatable {
    /// CPUs only the exempt (pinned) threads may use.
    public let reserved: [Int]
    /// CPUs every other thread is restricted to.
    public let housekeeping: [Int]

    /// A reservation of `reserved` out of `cpus`; nil when nothing would be reserved or no
    /// CPU would be left for housekeeping (then the reservation would starve the process).
    public init?(reserved: some Sequence<Int>, cpus: some Sequence<Int>) {
        let all = Set(cpus)
        let kept = Set(reserved).intersection(all)
        let rest = all.subtracting(kept)
        guard !kept.isEmpty, !rest.isEmpty else { return nil }
        self.reserved = kept.sorted()
        self.housekeeping = rest.sorted()
    }

    /// What one sweep did.
    public struct Sweep: Sendable, Equatable {
        /// Threads examined (all of the process's at the time of the sweep).
        public var threads = 0
        /// Threads whose affinity included a reserved CPU and now excludes it.
        public var moved = 0
        /// Threads that ended during the sweep or refused the change (counted, skipped).
        public var failed = 0

        public init(threads: Int = 0, moved: Int = 0, failed: Int = 0) {
            self.threads = threads
            self.moved = moved
            self.failed = failed
        }
    }

    /// Restricts every thread of the process except `exempt` (Linux thread ids, e.g. the
    /// critical executors' threads) whose affinity includes a reserved CPU: it keeps its
    /// other CPUs, or gets the housekeeping CPUs when it had no other.
    @discardableResult
    public func sweep(exempt: Set<Int32>) -> Sweep {
        sweep(threads: Self.threadIDs(), exempt: exempt)
    }

    /// The same for the listed threads only.
    @discardableResult
    public func sweep(threads: [Int32], exempt: Set<Int32> = []) -> Sweep {
        var result = Sweep()
        let reservedSet = Set(reserved)
        for tid in threads where !exempt.contains(tid) {
            result.threads += 1
            guard let current = Self.affinity(ofThread: tid) else {
                result.failed += 1
                continue
            }
            guard current.contains(where: reservedSet.contains) else { continue }
            let kept = current.filter { !reservedSet.contains($0) }
            if Self.setAffinity(ofThread: tid, to: kept.isEmpty ? housekeeping : kept) {
                result.moved += 1
            } else {
                result.failed += 1
            }
        }
        return result
    }

    /// The Linux thread ids of this process (empty when /proc is unreadable).
    public static func threadIDs() -> [Int32] {
        var capacity = 256
        while true {
            var tids = [Int32](repeating: 0, count: capacity)
            let count = Int(tids.withUnsafeMutableBufferPointer { qa_list_threads($0.baseAddress, Int32(capacity)) })
            if count < 0 { return [] }
            if count <= capacity { return Array(tids.prefix(count)) }
            capacity = count + 64
        }
    }

    /// The CPUs thread `tid` (0: the calling thread) may run on, or nil when it is gone.
    public static func affinity(ofThread tid: Int32) -> [Int]? {
        var capacity = 256
        while true {
            var cpus = [Int32](repeating: 0, count: capacity)
            let count = Int(cpus.withUnsafeMutableBufferPointer { qa_thread_affinity(tid, $0.baseAddress, Int32(capacity)) })
            if count < 0 { return nil }
            if count <= capacity { return cpus.prefix(count).map(Int.init) }
            capacity = count
        }
    }

    /// Restricts thread `tid` (0: the calling thread) to `cpus`; false when it is gone or refused.
    @discardableResult
    public static func setAffinity(ofThread tid: Int32, to cpus: [Int]) -> Bool {
        guard !cpus.isEmpty, cpus.allSatisfy({ $0 >= 0 && $0 <= Int(Int32.max) }) else { return false }
        let values = cpus.map { Int32($0) }
        return values.withUnsafeBufferPointer { qa_set_thread_affinity(tid, $0.baseAddress, Int32($0.count)) } == 0
    }
}
