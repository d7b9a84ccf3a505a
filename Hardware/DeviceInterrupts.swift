import Foundation

/// Device interrupts delivered to each CPU since boot, from `/proc/interrupts`.
///
/// A device interrupt (a disk's completion queue, a NIC's ring) preempts whatever runs on
/// the CPU it is delivered to, and its bottom half often continues in a kernel worker bound
/// to that CPU (`kworker/N:…H`). Pinning and reserving a CPU for the engine does not move
/// them: the kernel routes them (`/proc/irq/N/smp_affinity`, `irqaffinity=`), and managed
/// interrupts (virtio and NVMe queues) cannot be moved at all. So the agent reports, for
/// each critical CPU, which devices interrupt it; an operator then picks another core or
/// tunes the host. Only numbered (device) lines are kept: the per-CPU system lines (`LOC`,
/// `RES`, `CAL`, `TLB`, …) hit every CPU alike.
public struct DeviceInterrupts: Sendable, Equatable {
    /// One numbered interrupt line.
    public struct Source: Sendable, Equatable {
        /// The IRQ number, e.g. 36.
        public var irq: Int
        /// The device's name as the kernel prints it last on the line, e.g. `virtio1-req.0`.
        public var device: String
        /// Interrupts since boot, by CPU id.
        public var perCPU: [Int: UInt64]

        public init(irq: Int, device: String, perCPU: [Int: UInt64]) {
            self.irq = irq
            self.device = device
            self.perCPU = perCPU
        }
    }

    /// Every numbered line, in the file's order.
    public var sources: [Source]

    public init(sources: [Source]) { self.sources = sources }

    /// The devices that interrupted `cpu` at least `minimum` times, most first.
    public func devices(on cpu: Int, minimum: UInt64 = 1) -> [(device: String, irq: Int, count: UInt64)] {
        sources.compactMap { source in
            guard let count = source.perCPU[cpu], count >= minimum else { return nil }
            return (source.device, source.irq, count)
        }
        .sorted { $0.count != $1.count ? $0.count > $1.count : $0.irq < $1.irq }
    }

    /// Reads `/proc/interrupts`; nil when it cannot be read or parsed (not Linux, no procfs).
    public static func current(path: String = "/proc/interrupts") -> DeviceInterrupts? {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return nil }
        return try? parse(text, source: path)
    }

    /// Parses the text of `/proc/interrupts`: a header of `CPUn` columns, then one line per
    /// interrupt, `N:` followed by one count per column, the controller and the device name.
    /// - Throws: `HardwareError.unreadableTopology` naming `source` and the line at fault when
    ///   the header has no CPU column or a numbered line has a count that is not a number.
    public static func parse(_ text: String, source: String) throws(HardwareError) -> DeviceInterrupts {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        guard let header = lines.first else {
            throw .unreadableTopology(path: source, reason: "line 1: empty, expected a header of CPU columns")
        }
        var columns: [Int] = []
        for field in header.split(whereSeparator: \.isWhitespace) {
            guard field.hasPrefix("CPU"), let id = Int(field.dropFirst(3)), id >= 0 else {
                throw .unreadableTopology(path: source, reason: "line 1: '\(field)' is not a CPU column (expected CPU0 CPU1 …)")
            }
            columns.append(id)
        }
        guard !columns.isEmpty else {
            throw .unreadableTopology(path: source, reason: "line 1: no CPU column")
        }
        var sources: [Source] = []
        for (index, line) in lines.enumerated().dropFirst() {
            let fields = line.split(whereSeparator: \.isWhitespace)
            guard let label = fields.first, label.hasSuffix(":"), let irq = Int(label.dropLast()), irq >= 0 else { continue }
            // A line may carry fewer counts than CPUs (the kernel stops at the last online one).
            let counts = fields.dropFirst().prefix(columns.count)
            var perCPU: [Int: UInt64] = [:]
            var taken = 0
            for field in counts {
                guard let count = UInt64(field) else { break }
                perCPU[columns[taken]] = count
                taken += 1
            }
            guard taken > 0 else {
                throw .unreadableTopology(path: source, reason: "line \(index + 1): IRQ \(irq) has no count")
            }
            let rest = fields.dropFirst(1 + taken)
            let device = rest.last.map(String.init) ?? "irq\(irq)"
            sources.append(Source(irq: irq, device: device, perCPU: perCPU))
        }
        return DeviceInterrupts(sources: sources)
    }
}

/// What on the host can still take a reserved CPU from its critical executor: whether the
/// kernel keeps other processes off it (`isolcpus`), and which devices interrupt it.
public struct HostInterference: Sendable, Equatable, CustomStringConvertible {
    public var cpu: Int
    /// Isolated from the scheduler's load balancing (`isolcpus=` or a cpuset partition).
    public var isolated: Bool
    /// Devices that interrupted the CPU since boot, most first (at most five).
    public var devices: [String]

    /// Nil when the CPU is isolated and no device interrupts it (nothing to report).
    public init?(cpu: Int, topology: Topology, interrupts: DeviceInterrupts?, minimum: UInt64 = 1000) {
        self.cpu = cpu
        isolated = topology.cpu(cpu)?.isolated ?? false
        devices = (interrupts?.devices(on: cpu, minimum: minimum) ?? []).prefix(5).map { "\($0.device) (IRQ \($0.irq), \($0.count) since boot)" }
        if isolated, devices.isEmpty { return nil }
    }

    public var description: String {
        var parts: [String] = []
        if !isolated { parts.append("not isolated: other processes and unbound kernel workers may run there (isolcpus=, nohz_full=)") }
        if !devices.isEmpty { parts.append("device interrupts: " + devices.joined(separator: ", ") + " (irqaffinity=, /proc/irq/N/smp_affinity)") }
        return "CPU \(cpu): " + parts.joined(separator: "; ")
    }
}
