// `runtime.reserve_critical_cpus`: the latency-critical executors' CPUs are theirs alone.
// Pinning the engine's thread does not keep the process's other threads (the cooperative
// pool, Dispatch workers, the HTTP event loops, the journal writer) off its CPU; each one
// the kernel balances there preempts the spinning engine for up to a scheduler slice. In
// `perf e2e` at 100k ticks/s the engine's thread was preempted ~200 times a second that way.

import Hardware
import Logging
import Runtime
import Synchronization

/// Keeps every thread of the agent but the critical executors' off the CPUs those
/// executors are pinned to (and their SMT siblings, which the core plan leaves idle).
final class CriticalCPUGuard: Sendable {
    let reservation: CPUReservation
    private let system: ActorSystem
    private let topology: Topology
    private let criticalExecutors: [String]
    private let totals = Mutex(Totals())

    struct Totals: Sendable, Equatable {
        /// Sweeps done (a sweep waits until every critical executor's thread has started).
        var sweeps = 0
        /// Threads moved off the reserved CPUs, over all sweeps.
        var moved = 0
    }

    /// A guard for the critical executors of `plan` that have a CPU of their own; nil when
    /// there is none (every CPU shared), or when no CPU would be left for the other threads.
    init?(plan: CorePlan, system: ActorSystem, topology: Topology) {
        let critical = plan.executors.filter { $0.latencyClass == .critical && !$0.sharesCore }
        var reserved = Set<Int>()
        for executor in critical {
            reserved.insert(executor.core)
            reserved.formUnion(topology.cpu(executor.core)?.siblings ?? [])
        }
        // A sibling some other executor was placed on stays usable (explicit placement).
        let others = Set(plan.executors.filter { $0.latencyClass != .critical }.map(\.core))
        reserved.subtract(others)
        guard let reservation = CPUReservation(reserved: reserved, cpus: topology.cpuIDs) else { return nil }
        self.reservation = reservation
        self.system = system
        self.topology = topology
        self.criticalExecutors = critical.map(\.name)
    }

    var snapshot: Totals { totals.withLock { $0 } }

    /// What the process cannot keep off the reserved CPUs: other processes (unless the CPU is
    /// isolated) and device interrupts. Logged once at start, so an operator who sees a
    /// latency tail knows where to look; `perf e2e` traced its remaining tail to exactly these.
    func reportHostInterference(logger: Logger, interrupts: DeviceInterrupts? = .current()) {
        for cpu in reservation.reserved.sorted() {
            guard let interference = HostInterference(cpu: cpu, topology: topology, interrupts: interrupts) else { continue }
            logger.notice("a reserved CPU is still shared with the host", metadata: [
                "cpu": "\(cpu)", "isolated": "\(interference.isolated)", "detail": "\(interference)",
            ])
        }
    }

    /// Moves the other threads off the reserved CPUs. Returns nil (and does nothing) while a
    /// critical executor's thread has not started: it could not be told apart yet.
    @discardableResult
    func sweep() -> CPUReservation.Sweep? {
        var exempt = Set<Int32>()
        for name in criticalExecutors {
            guard let pinned = system.allExecutors.first(where: { $0.name == name }) as? PinnedExecutor,
                  pinned.threadID > 0 else { return nil }
            exempt.insert(pinned.threadID)
        }
        let result = reservation.sweep(exempt: exempt)
        totals.withLock {
            $0.sweeps += 1
            $0.moved += result.moved
        }
        return result
    }

    /// The first sweep, retried for up to a second while the critical threads start; logs the layout.
    func start(logger: Logger) async {
        for _ in 0..<100 {
            if let result = sweep() {
                logger.notice("CPUs reserved for the critical executors", metadata: [
                    "reserved": "\(reservation.reserved)", "others_on": "\(reservation.housekeeping)",
                    "threads_moved": "\(result.moved)", "executors": "\(criticalExecutors)",
                ])
                reportHostInterference(logger: logger)
                return
            }
            try? await Task.sleep(nanoseconds: 10_000_000)
        }
        logger.warning("critical executor threads did not start within 1 s: CPUs not reserved yet (retried every housekeeping pass)")
    }
}
