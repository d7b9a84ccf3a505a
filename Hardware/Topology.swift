import Logging

/// The machine's CPUs as the scheduler sees them: logical CPUs, physical cores,
/// NUMA nodes, SMT siblings, shared caches and the CPUs isolated from the
/// scheduler (`isolcpus`). Read from `/sys` (and libnuma when present) or from a
/// fixture directory shaped like `/sys`, so a 16-core 2-node server can be
/// planned for on any machine.
public struct Topology: Sendable, Equatable, Codable {
    /// One logical CPU.
    public struct CPU: Sendable, Equatable, Codable {
        /// Logical CPU number (what `sched_setaffinity` takes).
        public var id: Int
        /// NUMA node holding this CPU (0 on a machine without NUMA).
        public var node: Int
        /// Physical core id within its package.
        public var coreID: Int
        /// Socket (package) id.
        public var package: Int
        /// Logical CPUs sharing this physical core, itself included, sorted.
        public var siblings: [Int]
        /// Whether the kernel keeps ordinary tasks off it (`isolcpus`).
        public var isolated: Bool

        public init(id: Int, node: Int, coreID: Int, package: Int, siblings: [Int], isolated: Bool) {
            self.id = id
            self.node = node
            self.coreID = coreID
            self.package = package
            self.siblings = siblings
            self.isolated = isolated
        }
    }

    /// A cache shared by a set of CPUs.
    public struct Cache: Sendable, Equatable, Codable {
        /// 1, 2 or 3.
        public var level: Int
        /// `Data`, `Instruction` or `Unified`.
        public var type: String
        /// Size in bytes, when the kernel reports it.
        public var sizeBytes: Int?
        /// The CPUs sharing this cache instance, sorted.
        public var cpus: [Int]
    }

    /// Online logical CPUs, sorted by id.
    public var cpus: [CPU]
    /// Distinct cache instances (deduplicated by level, type and CPU set).
    public var caches: [Cache]
    /// Whether libnuma reported NUMA support (false when loaded from a fixture without it).
    public var numaAvailable: Bool

    public init(cpus: [CPU], caches: [Cache], numaAvailable: Bool) {
        self.cpus = cpus.sorted { $0.id < $1.id }
        self.caches = caches
        self.numaAvailable = numaAvailable
    }

    /// Logical CPU ids.
    public var cpuIDs: [Int] { cpus.map(\.id) }
    /// NUMA node ids, sorted.
    public var nodes: [Int] { Array(Set(cpus.map(\.node))).sorted() }
    /// CPUs of one node, sorted.
    public func cpus(onNode node: Int) -> [Int] { cpus.filter { $0.node == node }.map(\.id) }
    /// Isolated CPUs, sorted.
    public var isolatedCPUs: [Int] { cpus.filter(\.isolated).map(\.id) }
    /// The CPU record for an id, or nil when it is not online.
    public func cpu(_ id: Int) -> CPU? { cpus.first { $0.id == id } }
    /// The node of a CPU, or nil when the CPU is not online.
    public func node(ofCPU id: Int) -> Int? { cpu(id)?.node }
    /// Number of physical cores (distinct sibling sets).
    public var physicalCoreCount: Int { Set(cpus.map(\.siblings)).count }
    /// The largest cache shared by `cpu`, usually its L3.
    public func lastLevelCache(of cpu: Int) -> Cache? {
        caches.filter { $0.cpus.contains(cpu) }.max { $0.level < $1.level }
    }

    /// A one-line summary for logs: `16 cores (32 CPUs), 2 nodes, isolated 2-7,10-15`.
    public var summary: String {
        let isolated = isolatedCPUs
        return "\(physicalCoreCount) cores (\(cpus.count) CPUs), \(nodes.count) node\(nodes.count == 1 ? "" : "s")"
            + (isolated.isEmpty ? "" : ", isolated \(CPUList.format(isolated))")
    }
}
