// Collects a RuntimeSample: actor stats from the ActorSystem, RSS, memory limit, process CPU.

import Alerts
import Foundation
import Runtime

/// Reads the runtime figures the monitor needs once per interval (off the hot path:
/// a few small `/proc` and cgroup reads).
public enum RuntimeSampler {
    /// A sample of `system` now. Unreadable files give 0 (the metric is then not exported).
    public static func sample(_ system: ActorSystem, ticksProcessed: UInt64? = nil,
                              ordersSent: UInt64? = nil) -> RuntimeSample {
        RuntimeSample(actors: system.stats(), cpuSeconds: ["process": processCPUSeconds()],
                      residentBytes: residentBytes(), memoryLimitBytes: memoryLimitBytes(),
                      ticksProcessed: ticksProcessed, ordersSent: ordersSent)
    }

    /// Process RSS from `/proc/self/statm` (resident pages × page size), bytes; 0 if unreadable.
    public static func residentBytes() -> UInt64 {
        guard let text = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8) else { return 0 }
        let fields = text.split(separator: " ")
        guard fields.count > 1, let pages = UInt64(fields[1]) else { return 0 }
        return pages &* UInt64(max(1, sysconf(Int32(_SC_PAGESIZE))))
    }

    /// The smallest cgroup memory limit on this process's path (v2 `memory.max` or v1
    /// `memory.limit_in_bytes`), else `MemTotal`, bytes; 0 if unknown (see `MemoryUsageProbe`).
    public static func memoryLimitBytes() -> UInt64 {
        (try? MemoryUsageProbe().read().limitBytes) ?? 0
    }

    /// User + system CPU time of the process, seconds.
    public static func processCPUSeconds() -> Double {
        var usage = rusage()
        guard getrusage(RUSAGE_SELF.rawValue, &usage) == 0 else { return 0 }
        let user = Double(usage.ru_utime.tv_sec) + Double(usage.ru_utime.tv_usec) / 1e6
        let system = Double(usage.ru_stime.tv_sec) + Double(usage.ru_stime.tv_usec) / 1e6
        return user + system
    }
}

/// Drives a monitor in production: every `metrics_interval` it sends a runtime sample and
/// `.evaluate` (one timer task for the whole monitor, not a task per message).
public final class MonitorTicker: Sendable {
    private let task: Task<Void, Never>

    /// Starts ticking at once.
    /// - Parameters:
    ///   - intervalMilliseconds: `metrics_interval` (≥ 10).
    ///   - totals: optional pipeline totals (ticks processed, orders sent) read at each tick.
    public init(monitor: ActorRef<ModelMonitor>, system: ActorSystem, intervalMilliseconds: Int,
                totals: (@Sendable () -> (ticks: UInt64, orders: UInt64))? = nil) {
        let interval = UInt64(max(10, intervalMilliseconds)) * 1_000_000
        task = Task.detached {
            while !Task.isCancelled {
                do { try await Task.sleep(nanoseconds: interval) } catch { return }
                let counts = totals?()
                monitor.send(.runtime(RuntimeSampler.sample(system, ticksProcessed: counts?.ticks,
                                                            ordersSent: counts?.orders)))
                monitor.send(.evaluate)
            }
        }
    }

    /// Stops ticking.
    public func stop() { task.cancel() }

    deinit { task.cancel() }
}
