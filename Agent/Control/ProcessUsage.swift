// Memory and CPU of this process, read from /proc (and the cgroup limit when there is one),
// for /health's memory and cpu checks.

import Foundation
import Synchronization

/// One sample of this process's resource use.
struct ProcessUsage: Sendable, Equatable {
    /// Resident set size, bytes.
    var residentBytes: UInt64?
    /// The memory limit: the cgroup's `memory.max`, else MemTotal, bytes.
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

    /// Reads /proc/self/statm, /proc/self/stat, the cgroup limit and /proc/meminfo.
    func sample() -> ProcessUsage {
        let cores = ProcessInfo.processInfo.activeProcessorCount
        let pageSize = UInt64(sysconf(Int32(_SC_PAGESIZE)))
        let resident = read("\(root)/self/statm")?.split(separator: " ").dropFirst().first
            .flatMap { UInt64($0) }.map { $0 * pageSize }
        let cgroupLimit = read("/sys/fs/cgroup/memory.max").flatMap { UInt64($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
        let memTotal = read("\(root)/meminfo")?.split(separator: "\n")
            .first { $0.hasPrefix("MemTotal:") }?
            .split(separator: " ").dropFirst().first.flatMap { UInt64($0) }.map { $0 * 1024 }
        let limit = [cgroupLimit, memTotal].compactMap { $0 }.min()
        var cpu: Double?
        if let cpuSeconds = cpuSecondsUsed() {
            let wall = Date().timeIntervalSince1970
            cpu = previous.withLock { last in
                defer { last = (cpuSeconds, wall) }
                guard let last, wall > last.wall else { return nil }
                return max(0, (cpuSeconds - last.cpuSeconds) / ((wall - last.wall) * Double(cores)))
            }
        }
        return ProcessUsage(residentBytes: resident, memoryLimitBytes: limit, cpuFraction: cpu, cores: cores)
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
