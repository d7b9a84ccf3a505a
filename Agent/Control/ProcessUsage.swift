// Memory and CPU of this process, read from /proc (and the cgroup limit when there is one),
// for /health's memory and cpu checks.

import Alerts
import Foundation
import Synchronization

/// One sample of this process's resource use.
struct ProcessUsage: Sendable, Equatable {
    /// Resident set size, bytes.
    var residentBytes: UInt64?
    /// The memory limit: the cgroup's (v1 or v2), else MemTotal, bytes.
    var memoryLimitBytes: UInt64?
    /// CPU time used since the previous sample over the wall time × cores (nil on the first sample).
    var cpuFraction: Double?
    /// Online cores.
    var cores: Int

    /// `residentBytes / memoryLimitBytes`.
    var memoryFraction: Double? {
        guard let resident = residentBytes, let limit = memoryLimitBytes, limit > 0 else { return nil }
        return Double(resident) / Double(limit)
    }
}

/// Samples `ProcessUsage`; keeps the previous CPU reading to compute a rate. Thread-safe.
final class ProcessUsageSampler: Sendable {
    private let previous = Mutex<(cpuSeconds: Double, wall: Double)?>(nil)
    private let root: String

    /// - Parameter procRoot: `/proc` (a fixture directory in tests).
    init(procRoot: String = "/proc") { self.root = procRoot }

    /// Reads memory through `MemoryUsageProbe` (VmRSS, the cgroup limit, MemTotal) and CPU
    /// time from /proc/self/stat.
    func sample() -> ProcessUsage {
        let cores = ProcessInfo.processInfo.activeProcessorCount
        // The same reading as the memory-usage alert rule: cgroup v1 or v2 limit, else MemTotal.
        let memory = try? MemoryUsageProbe(procRoot: root).read()
        var cpu: Double?
        if let cpuSeconds = cpuSecondsUsed() {
            let wall = Date().timeIntervalSince1970
            cpu = previous.withLock { last in
                defer { last = (cpuSeconds, wall) }
                guard let last, wall > last.wall else { return nil }
                return max(0, (cpuSeconds - last.cpuSeconds) / ((wall - last.wall) * Double(cores)))
            }
        }
        return ProcessUsage(residentBytes: memory?.residentBytes, memoryLimitBytes: memory?.limitBytes, cpuFraction: cpu,
                            cores: cores)
    }

    /// utime + stime of /proc/self/stat, seconds.
    private func cpuSecondsUsed() -> Double? {
        guard let stat = read("\(root)/self/stat"), let close = stat.lastIndex(of: ")") else { return nil }
        // Fields after "comm)": state is field 3; utime and stime are fields 14 and 15.
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        guard fields.count > 12, let utime = Double(fields[11]), let stime = Double(fields[12]) else { return nil }
        return (utime + stime) / Double(sysconf(Int32(_SC_CLK_TCK)))
    }

    private func read(_ path: String) -> String? { try? String(contentsOfFile: path, encoding: .utf8) }
}
