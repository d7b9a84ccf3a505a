// Scheduling priority of the executor threads by latency class. On a machine with fewer
// cores than executors (2 vCPUs here), the regime detector, the learner and the monitor
// share cores with the feed thread and, whenever the scheduler moves them, with the
// engine; at equal priority the kernel gives each runnable thread an equal share, so a
// detector refitting or a learner training could take the engine's or the feed's time.
// Raising the nice value of the other classes (allowed without privilege) makes them
// yield: they get what the latency-critical threads leave.

#if canImport(Glibc)
import Glibc
#endif
import Hardware
import Logging
import Runtime

/// Nice values (Linux `setpriority`, −20…19; higher = less CPU under contention) by
/// latency class. `relativeToProcess` keeps the critical class at the process's own nice
/// value (an agent started with `nice -n -10` keeps its engine there) and puts the others
/// 10 and 15 above it.
struct ThreadPriorities: Sendable, Equatable {
    /// Latency-critical executors (the engine). Below 0 needs CAP_SYS_NICE; when refused,
    /// the thread stays at 0 and a notice is logged.
    var critical: Int32 = 0
    /// Normal executors (regime detector, learner). +10 gives a nice-0 thread about ten
    /// times their share of a contended CPU (kernel weights 1024 vs 110).
    var normal: Int32 = 10
    /// Background executors (monitor, alerts, coordination).
    var background: Int32 = 15

    /// Critical at the calling thread's nice value (the process's, for a thread that did
    /// not change its own), normal +10, background +15 (capped at 19).
    /// - Parameter critical: an absolute value for the critical class instead.
    static func relativeToProcess(critical: Int32? = nil) -> ThreadPriorities {
        var base: Int32 = 0
        #if os(Linux)
        errno = 0
        let value = getpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0)
        if errno == 0 { base = value }
        #endif
        return ThreadPriorities(critical: critical ?? base, normal: min(19, base + 10), background: min(19, base + 15))
    }

    func nice(for latencyClass: LatencyClass) -> Int32 {
        switch latencyClass {
        case .critical: return critical
        case .normal: return normal
        case .background: return background
        }
    }
}

extension AgentAssembly {
    /// Holds `runtime.cpu_wake_latency_us` (PM QoS) unless it is -1; a host that refuses it
    /// (no PM QoS, not root) is logged and the agent runs on without it.
    static func holdWakeLatency(microseconds: Int, logger: Logger) -> CPUWakeLatencyHold? {
        guard microseconds >= 0 else { return nil }
        do {
            let hold = try CPUWakeLatencyHold(microseconds: Int32(clamping: microseconds))
            logger.info("holding the CPU wake-up latency limit", metadata: [
                "limit_us": "\(microseconds)", "path": "\(hold.path)", "in_force_us": "\(CPUWakeLatencyHold.current().map(String.init) ?? "?")",
            ])
            return hold
        } catch {
            logger.notice("CPU wake-up latency left to the host (runtime.cpu_wake_latency_us)", metadata: ["error": "\(error)"])
            return nil
        }
    }

    /// Sets each pinned executor thread's nice value from its latency class in the plan.
    /// - Returns: the value applied per executor name (absent when the executor is not a
    ///   thread of its own, e.g. deterministic executors).
    @discardableResult
    static func applyPriorities(_ priorities: ThreadPriorities, system: ActorSystem, logger: Logger) -> [String: Int32] {
        var applied: [String: Int32] = [:]
        for executor in system.allExecutors {
            guard let pinned = executor as? PinnedExecutor, pinned.threadID > 0,
                  let planned = system.plan.executors.first(where: { $0.name == pinned.name }) else { continue }
            let nice = priorities.nice(for: planned.latencyClass)
            if setThreadNice(pinned.threadID, nice) {
                applied[pinned.name] = nice
            } else if nice < 0, setThreadNice(pinned.threadID, 0) {
                logger.notice("a negative nice value needs CAP_SYS_NICE: the thread stays at 0",
                              metadata: ["executor": "\(pinned.name)", "nice": "\(nice)"])
                applied[pinned.name] = 0
            } else {
                logger.warning("setpriority failed", metadata: ["executor": "\(pinned.name)", "nice": "\(nice)",
                                                                "errno": "\(errno)"])
            }
        }
        return applied
    }

    /// `setpriority(PRIO_PROCESS, tid, nice)`: on Linux the nice value is per thread.
    private static func setThreadNice(_ threadID: Int32, _ nice: Int32) -> Bool {
        #if os(Linux)
        return setpriority(__priority_which_t(PRIO_PROCESS.rawValue), id_t(threadID), nice) == 0
        #else
        return false
        #endif
    }
}
