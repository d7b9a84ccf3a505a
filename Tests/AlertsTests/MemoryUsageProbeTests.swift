import Foundation
import Testing
@testable import Alerts

/// A fixture tree shaped like /proc and /sys/fs/cgroup in a temporary directory.
final class MemoryFixture {
    let root: URL
    var probe: MemoryUsageProbe { MemoryUsageProbe(procRoot: root.path + "/proc", cgroupRoot: root.path + "/cgroup") }

    init(cgroup: String?, residentKiB: UInt64, memTotalKiB: UInt64 = 24_684_084) throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("memprobe-\(UUID().uuidString)")
        try write("proc/meminfo", "MemTotal:       \(memTotalKiB) kB\nMemFree:         1000 kB\n")
        try setResident(kib: residentKiB)
        if let cgroup { try write("proc/self/cgroup", cgroup) }
    }

    deinit { try? FileManager.default.removeItem(at: root) }

    func write(_ path: String, _ text: String) throws {
        let url = root.appendingPathComponent(path)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try text.write(to: url, atomically: true, encoding: .utf8)
    }

    func setResident(kib: UInt64) throws {
        try write("proc/self/status", "Name:\tquantum-agent\nVmPeak:\t 9999999 kB\nVmRSS:\t  \(kib) kB\nThreads:\t8\n")
    }
}

@Suite struct MemoryUsageProbeTests {
    static let gib: UInt64 = 1 << 30

    @Test func cgroupV2LimitIsTheSmallestMemoryMaxOnThePath() throws {
        let f = try MemoryFixture(cgroup: "0::/system.slice/agent.service\n", residentKiB: 1_000_000)
        try f.write("cgroup/system.slice/agent.service/memory.max", "\(Self.gib)\n")
        try f.write("cgroup/system.slice/memory.max", "max\n")
        var usage = try f.probe.read()
        #expect(usage == MemoryUsage(residentBytes: 1_024_000_000, limitBytes: Self.gib, limitSource: .cgroupV2))
        #expect(abs(usage.ratio - 1_024_000_000 / 1_073_741_824) < 1e-15)
        // A parent's smaller limit binds the child.
        try f.write("cgroup/system.slice/memory.max", "\(Self.gib / 2)\n")
        usage = try f.probe.read()
        #expect(usage.limitBytes == Self.gib / 2 && usage.limitSource == .cgroupV2)
        // "max" everywhere: physical memory.
        try f.write("cgroup/system.slice/agent.service/memory.max", "max\n")
        try f.write("cgroup/system.slice/memory.max", "max\n")
        usage = try f.probe.read()
        #expect(usage.limitBytes == 24_684_084 * 1024 && usage.limitSource == .memTotal)
    }

    @Test func cgroupV1MemoryControllerIsReadAndItsUnlimitedValueIgnored() throws {
        let f = try MemoryFixture(cgroup: "9:name=systemd:/\n4:memory:/process_api/abc\n1:cpu,cpuacct:/\n0::/\n",
                                  residentKiB: 2048)
        try f.write("cgroup/memory/process_api/abc/memory.limit_in_bytes", "9223372036854771712\n")
        #expect(try f.probe.read().limitSource == .memTotal)
        try f.write("cgroup/memory/process_api/memory.limit_in_bytes", "536870912\n")
        let usage = try f.probe.read()
        #expect(usage.limitBytes == 536_870_912 && usage.limitSource == .cgroupV1 && usage.residentBytes == 2048 * 1024)
    }

    @Test func aLimitAbovePhysicalMemoryAndNoCgroupFileGiveMemTotal() throws {
        let f = try MemoryFixture(cgroup: "0::/\n", residentKiB: 100, memTotalKiB: 1_000)
        try f.write("cgroup/memory.max", "\(Self.gib)\n")
        #expect(try f.probe.read() == MemoryUsage(residentBytes: 102_400, limitBytes: 1_024_000, limitSource: .memTotal))
        let none = try MemoryFixture(cgroup: nil, residentKiB: 100, memTotalKiB: 1_000)
        #expect(try none.probe.read().limitSource == .memTotal)
    }

    @Test func missingOrMalformedFilesAreNamed() throws {
        let f = try MemoryFixture(cgroup: "0::/\n", residentKiB: 1)
        try f.write("proc/self/status", "Name:\tx\nVmRSS:\tlots kB\n")
        #expect(throws: MemoryProbeError.malformed(path: f.root.path + "/proc/self/status",
                                                   detail: "'VmRSS:\tlots kB' is not 'VmRSS: <number> kB'")) { try f.probe.read() }
        try f.write("proc/self/cgroup", "garbage\n")
        try f.setResident(kib: 1)
        #expect(throws: MemoryProbeError.self) { try f.probe.read() }
        let nowhere = MemoryUsageProbe(procRoot: f.root.path + "/absent", cgroupRoot: f.root.path)
        #expect(throws: MemoryProbeError.unreadable(path: f.root.path + "/absent/self/status")) { try nowhere.read() }
    }

    @Test func memoryRuleFiresAbove90PercentResolvesAndCoolsDown() throws {
        let f = try MemoryFixture(cgroup: "0::/agent\n", residentKiB: 943_719)   // 0.9000 of 1 GiB is 943,718.4 KiB
        try f.write("cgroup/agent/memory.max", "\(Self.gib)\n")
        var m = try AlertManager(configuration: AlertManagerConfiguration(cooldownMinutes: 15))
        func observe(at t: UInt64) throws -> [AlertEvent] {
            let o = try f.probe.observation()
            return m.observe(metric: o.metric, value: o.value, series: o.series, now: t) + m.tick(now: t)
        }
        let raised = try observe(at: 0)
        #expect(raised.map(\.kind) == [.raised] && raised.first?.alert.rule == "high_memory_usage")
        #expect(raised.first.map { $0.alert.value > 0.9 && $0.alert.value < 0.9001 } == true)
        try f.setResident(kib: 943_718)   // just below 90 %
        #expect(try observe(at: minute).map(\.kind) == [.resolved])
        try f.setResident(kib: 1_000_000)
        #expect(try observe(at: 2 * minute).isEmpty)   // within the cooldown of the first notification
        #expect(try observe(at: 15 * minute - 1).isEmpty)
        #expect(try observe(at: 15 * minute).map(\.kind) == [.raised])
    }

    @Test func thisMachineIsReadable() throws {
        let usage = try MemoryUsageProbe().read()
        #expect(usage.residentBytes > 0 && usage.limitBytes > usage.residentBytes)
        #expect(usage.ratio > 0 && usage.ratio < 1)
    }
}
