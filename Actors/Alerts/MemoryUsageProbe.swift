// Memory use as a fraction of the memory limit, for the `high_memory_usage` rule:
// resident memory of the process / (cgroup memory limit if one is set, else MemTotal).

import Foundation

/// Where the memory limit came from.
public enum MemoryLimitSource: String, Sendable, Codable, Equatable {
    /// cgroup v2 `memory.max` (the smallest numeric one on the process's cgroup path).
    case cgroupV2 = "cgroup_v2"
    /// cgroup v1 `memory.limit_in_bytes` (the smallest on the path, "unlimited" values ignored).
    case cgroupV1 = "cgroup_v1"
    /// `MemTotal` of `/proc/meminfo` (no cgroup limit, or one above physical memory).
    case memTotal = "meminfo"
}

/// One reading of the process's memory use.
public struct MemoryUsage: Sendable, Equatable, Codable {
    /// Resident set size (`VmRSS` of `/proc/self/status`), bytes.
    public var residentBytes: UInt64
    /// The memory limit, bytes (> 0).
    public var limitBytes: UInt64
    public var limitSource: MemoryLimitSource

    /// residentBytes / limitBytes: `quantum_agent_memory_usage_ratio`.
    public var ratio: Double { Double(residentBytes) / Double(limitBytes) }
}

/// Why memory use could not be read.
public enum MemoryProbeError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A file that must exist could not be read.
    case unreadable(path: String)
    /// A file's content is not in the expected format.
    case malformed(path: String, detail: String)

    public var description: String {
        switch self {
        case let .unreadable(path): return "cannot read \(path) (needed for the memory-usage alert)"
        case let .malformed(path, detail): return "\(path) is not in the expected format: \(detail)"
        }
    }
}

/// Reads the process's resident memory and its memory limit from `/proc` and the cgroup
/// filesystem. The roots are parameters so that tests point them at fixture directories.
///
/// Limit: the process's cgroup is read from `<procRoot>/self/cgroup`. With a cgroup v1 memory
/// controller (`N:memory:/path` or a list containing `memory`), the limit is the smallest
/// `memory.limit_in_bytes` from `<cgroupRoot>/memory/path` up to `<cgroupRoot>/memory`
/// (values ≥ 2⁶² mean "unlimited"); otherwise (cgroup v2, `0::/path`) the smallest numeric
/// `memory.max` from `<cgroupRoot>/path` up to `<cgroupRoot>` ("max" means unlimited). A
/// parent's limit binds its children, hence the minimum over the path. With no limit, or one
/// above physical memory, the limit is `MemTotal` of `<procRoot>/meminfo`.
/// Resident memory: `VmRSS` of `<procRoot>/self/status` (kB).
public struct MemoryUsageProbe: Sendable, Equatable {
    /// Metric the reading is observed as.
    public static let metric = "quantum_agent_memory_usage_ratio"
    /// Root of procfs (default `/proc`).
    public var procRoot: String
    /// Root of the cgroup filesystem (default `/sys/fs/cgroup`).
    public var cgroupRoot: String

    public init(procRoot: String = "/proc", cgroupRoot: String = "/sys/fs/cgroup") {
        self.procRoot = procRoot
        self.cgroupRoot = cgroupRoot
    }

    /// Reads the files (a few small reads; off the hot path, e.g. once per `metrics_interval`).
    /// - Throws: `MemoryProbeError` naming the file that is missing or malformed.
    public func read() throws(MemoryProbeError) -> MemoryUsage {
        let statusPath = procRoot + "/self/status"
        let resident = try Self.kilobytes(field: "VmRSS:", in: statusPath) * 1024
        let memTotalPath = procRoot + "/meminfo"
        let memTotal = try Self.kilobytes(field: "MemTotal:", in: memTotalPath) * 1024
        guard memTotal > 0 else { throw .malformed(path: memTotalPath, detail: "MemTotal is 0") }
        if let (limit, source) = try cgroupLimit(), limit < memTotal {
            return MemoryUsage(residentBytes: resident, limitBytes: limit, limitSource: source)
        }
        return MemoryUsage(residentBytes: resident, limitBytes: memTotal, limitSource: .memTotal)
    }

    /// The reading as the observation the `high_memory_usage` rule evaluates.
    /// - Throws: `MemoryProbeError`.
    public func observation() throws(MemoryProbeError) -> MetricObservation {
        MetricObservation(metric: Self.metric, value: try read().ratio)
    }

    /// The smallest cgroup memory limit on the process's cgroup path, or nil when none is set.
    func cgroupLimit() throws(MemoryProbeError) -> (UInt64, MemoryLimitSource)? {
        let cgroupPath = procRoot + "/self/cgroup"
        guard let text = Self.contents(cgroupPath) else { return nil }  // no cgroups: MemTotal
        var v2Path: String?
        for line in text.split(separator: "\n") {
            let parts = line.split(separator: ":", maxSplits: 2, omittingEmptySubsequences: false)
            guard parts.count == 3 else {
                throw .malformed(path: cgroupPath, detail: "line '\(line)' is not hierarchy:controllers:path")
            }
            if parts[1].split(separator: ",").contains("memory") {
                let limit = smallestLimit(directory: cgroupRoot + "/memory", path: String(parts[2]),
                                          file: "memory.limit_in_bytes")
                return limit.map { ($0, .cgroupV1) }
            }
            if parts[0] == "0", parts[1].isEmpty { v2Path = String(parts[2]) }
        }
        guard let v2Path else { return nil }
        return smallestLimit(directory: cgroupRoot, path: v2Path, file: "memory.max").map { ($0, .cgroupV2) }
    }

    /// The smallest numeric limit in `file` from `directory + path` up to `directory`.
    private func smallestLimit(directory: String, path: String, file: String) -> UInt64? {
        var components = path.split(separator: "/").map(String.init)
        var smallest: UInt64?
        while true {
            let dir = components.isEmpty ? directory : directory + "/" + components.joined(separator: "/")
            if let text = Self.contents(dir + "/" + file),
               let value = UInt64(text.trimmingCharacters(in: .whitespacesAndNewlines)),
               value > 0, value < 1 << 62 {
                smallest = min(smallest ?? value, value)
            }
            if components.isEmpty { break }
            components.removeLast()
        }
        return smallest
    }

    private static func contents(_ path: String) -> String? {
        try? String(contentsOfFile: path, encoding: .utf8)
    }

    /// The value of a `Name:   1234 kB` line.
    private static func kilobytes(field: String, in path: String) throws(MemoryProbeError) -> UInt64 {
        guard let text = contents(path) else { throw .unreadable(path: path) }
        guard let line = text.split(separator: "\n").first(where: { $0.hasPrefix(field) }) else {
            throw .malformed(path: path, detail: "no \(field) line")
        }
        let words = line.dropFirst(field.count).split(whereSeparator: { $0 == " " || $0 == "\t" })
        guard let first = words.first, let value = UInt64(first), words.count < 2 || words[1] == "kB" else {
            throw .malformed(path: path, detail: "'\(line)' is not '\(field) <number> kB'")
        }
        return value
    }
}
