/// Where each actor's executor runs.
///
/// Rules, in order:
/// 1. Explicit core lists from config are honoured first (validated against the topology).
/// 2. Each `critical` actor gets an executor on a physical core of its own, isolated
///    CPUs first, one logical CPU per physical core (its SMT siblings stay idle).
/// 3. `normal` actors are packed, four to a shared executor, onto the cores critical
///    actors left (non-isolated first, the critical actors' node first, CPU 0 last).
/// 4. `background` actors share one executor kept off critical cores (lowest CPU).
/// When cores run out the plan is *oversubscribed*: extra executors share the
/// least-loaded CPU, the plan says so, and a `spin` executor that shares a CPU
/// falls back to `spinThenPark` (two spinners on one core cost milliseconds).
public struct CorePlan: Sendable, Equatable {
    /// One actor to place.
    public struct Request: Sendable, Equatable {
        public var name: String
        public var latencyClass: LatencyClass
        public var idleStrategy: IdleStrategy
        /// Explicit CPUs from config; the first one is used.
        public var cores: [Int]?

        public init(name: String, latencyClass: LatencyClass, idleStrategy: IdleStrategy = .spinThenPark, cores: [Int]? = nil) {
            self.name = name
            self.latencyClass = latencyClass
            self.idleStrategy = idleStrategy
            self.cores = cores
        }
    }

    /// One executor thread and what runs on it.
    public struct Executor: Sendable, Equatable {
        /// Stable name, e.g. `critical-3`, `normal-1`, `background-0`.
        public var name: String
        /// Logical CPU the thread is pinned to.
        public var core: Int
        /// NUMA node of that CPU (for node-local memory).
        public var node: Int
        /// The idle strategy that will be used (after any fallback).
        public var idleStrategy: IdleStrategy
        /// The idle strategy that was asked for.
        public var requestedIdleStrategy: IdleStrategy
        /// Actors served by this executor, in request order.
        public var actors: [String]
        /// Whether another executor of this plan is pinned to the same CPU.
        public var sharesCore: Bool
        /// Highest latency class among its actors.
        public var latencyClass: LatencyClass
    }

    /// Executors in creation order.
    public var executors: [Executor]
    /// True when some CPU hosts more than one executor.
    public var oversubscribed: Bool
    /// Human-readable decisions worth logging (fallbacks, sharing).
    public var notes: [String]

    /// The executor an actor was placed on.
    public func executor(for actor: String) -> Executor? {
        executors.first { $0.actors.contains(actor) }
    }

    /// Builds a plan.
    /// - Throws: `HardwareError.unknownCore` for an explicit core that is not online,
    ///   `.duplicateActor`, `.noCores`.
    public static func make(_ requests: [Request], topology: Topology) throws(HardwareError) -> CorePlan {
        var builder = try Builder(topology: topology)
        var seen = Set<String>()
        for request in requests {
            guard seen.insert(request.name).inserted else { throw .duplicateActor(request.name) }
            if let cores = request.cores, let bad = cores.first(where: { topology.cpu($0) == nil }) {
                throw .unknownCore(core: bad, actor: request.name, available: topology.cpuIDs)
            }
        }
        for request in requests where request.cores?.isEmpty == false { builder.placeExplicit(request) }
        for request in requests where request.cores?.isEmpty != false && request.latencyClass == .critical {
            builder.placeCritical(request)
        }
        for request in requests where request.cores?.isEmpty != false && request.latencyClass == .normal {
            builder.placeNormal(request)
        }
        for request in requests where request.cores?.isEmpty != false && request.latencyClass == .background {
            builder.placeBackground(request)
        }
        return builder.finish()
    }
}

extension CorePlan {
    fileprivate struct Builder {
        let topology: Topology
        var executors: [Executor] = []
        var notes: [String] = []
        /// CPUs reserved by critical executors (with their SMT siblings).
        var criticalCPUs = Set<Int>()
        /// One CPU per physical core, in the order critical actors take them.
        let criticalCandidates: [Int]
        /// Cursor for round-robin packing of normal actors.
        var normalCursor = 0

        init(topology: Topology) throws(HardwareError) {
            guard !topology.cpus.isEmpty else { throw .noCores }
            self.topology = topology
            var firstOfCore: [Int] = []
            var seenCores = Set<[Int]>()
            for cpu in topology.cpus where seenCores.insert(cpu.siblings).inserted {
                firstOfCore.append(cpu.id)
            }
            // Isolated first (by node, then id); then the rest from the highest id down,
            // so CPU 0 (interrupts, housekeeping) is taken last.
            let isolated = firstOfCore.filter { topology.cpu($0)?.isolated == true }
                .sorted { (topology.node(ofCPU: $0) ?? 0, $0) < (topology.node(ofCPU: $1) ?? 0, $1) }
            let others = firstOfCore.filter { topology.cpu($0)?.isolated != true }.sorted(by: >)
            criticalCandidates = isolated + others
        }

        func load(of cpu: Int) -> Int { executors.filter { $0.core == cpu }.count }

        func leastLoaded(among cpus: [Int]) -> Int {
            let pool = cpus.isEmpty ? topology.cpuIDs : cpus
            return pool.min { (load(of: $0), $0) < (load(of: $1), $1) } ?? 0
        }

        mutating func addExecutor(name: String, core: Int, request: Request) {
            if load(of: core) > 0 {
                notes.append("executor \(name) shares CPU \(core) with \(executors.filter { $0.core == core }.map(\.name).joined(separator: ", "))")
            }
            executors.append(Executor(
                name: name, core: core, node: topology.node(ofCPU: core) ?? 0,
                idleStrategy: request.idleStrategy, requestedIdleStrategy: request.idleStrategy,
                actors: [request.name], sharesCore: false, latencyClass: request.latencyClass))
        }

        mutating func reserveCritical(_ cpu: Int) {
            criticalCPUs.insert(cpu)
            for sibling in topology.cpu(cpu)?.siblings ?? [] { criticalCPUs.insert(sibling) }
        }

        mutating func placeExplicit(_ request: Request) {
            guard let firstCore = request.cores?.first else { return }
            let core = request.cores?.first { load(of: $0) == 0 } ?? firstCore
            if request.latencyClass == .critical { reserveCritical(core) }
            if request.latencyClass != .critical, let index = executors.firstIndex(where: {
                $0.core == core && $0.latencyClass == request.latencyClass && $0.name.hasPrefix("explicit")
            }) {
                executors[index].actors.append(request.name)
                return
            }
            addExecutor(name: "explicit-\(core)-\(request.name)", core: core, request: request)
        }

        mutating func placeCritical(_ request: Request) {
            if let free = criticalCandidates.first(where: { !criticalCPUs.contains($0) && load(of: $0) == 0 }) {
                reserveCritical(free)
                addExecutor(name: "critical-\(free)-\(request.name)", core: free, request: request)
            } else {
                let core = leastLoaded(among: criticalCandidates)
                notes.append("no free core for critical actor \(request.name): oversubscribed onto CPU \(core)")
                addExecutor(name: "critical-\(core)-\(request.name)", core: core, request: request)
            }
        }

        /// CPUs left for normal and background work: not reserved by a critical executor.
        var sharedPool: [Int] { topology.cpuIDs.filter { !criticalCPUs.contains($0) } }

        mutating func join(_ request: Request, prefix: String, core: Int) {
            if let index = executors.firstIndex(where: { $0.core == core && $0.name.hasPrefix(prefix) }) {
                executors[index].actors.append(request.name)
                if request.idleStrategy == .spin && executors[index].requestedIdleStrategy != .spin {
                    executors[index].requestedIdleStrategy = .spin
                    executors[index].idleStrategy = .spin
                }
            } else {
                addExecutor(name: "\(prefix)-\(core)", core: core, request: request)
            }
        }

        /// Normal actors per shared executor before the next CPU is used.
        static let normalPacking = 4

        mutating func placeNormal(_ request: Request) {
            // One logical CPU per physical core not taken by critical executors; prefer
            // non-isolated cores (isolated ones are kept for critical work), the critical
            // actors' node first, and CPU 0 (interrupts, housekeeping) last.
            var seen = Set<[Int]>()
            let pool = sharedPool.filter { cpu in seen.insert(topology.cpu(cpu)?.siblings ?? [cpu]).inserted }
            if pool.isEmpty {
                let core = leastLoaded(among: [])
                notes.append("no core left for normal actor \(request.name): oversubscribed onto CPU \(core)")
                join(request, prefix: "normal", core: core)
                return
            }
            let criticalNode = executors.first { $0.latencyClass == .critical }.map(\.node) ?? 0
            let ordered = pool.sorted { a, b in
                func rank(_ cpu: Int) -> (Int, Int, Int, Int) {
                    let info = topology.cpu(cpu)
                    return (cpu == 0 ? 1 : 0, info?.isolated == true ? 1 : 0, info?.node == criticalNode ? 0 : 1, cpu)
                }
                return rank(a) < rank(b)
            }
            let core = ordered[(normalCursor / Self.normalPacking) % ordered.count]
            normalCursor += 1
            join(request, prefix: "normal", core: core)
        }

        mutating func placeBackground(_ request: Request) {
            let pool = sharedPool
            if let existing = executors.first(where: { $0.name.hasPrefix("background") }) {
                join(request, prefix: "background", core: existing.core)
            } else if let core = pool.min() {
                join(request, prefix: "background", core: core)
            } else {
                let core = leastLoaded(among: [])
                notes.append("no non-critical core for background actor \(request.name): oversubscribed onto CPU \(core)")
                join(request, prefix: "background", core: core)
            }
        }

        mutating func finish() -> CorePlan {
            var oversubscribed = false
            for index in executors.indices {
                let shared = load(of: executors[index].core) > 1
                executors[index].sharesCore = shared
                oversubscribed = oversubscribed || shared
                if shared && executors[index].idleStrategy == .spin {
                    executors[index].idleStrategy = .spinThenPark
                    notes.append("executor \(executors[index].name) asked to spin but shares CPU \(executors[index].core): using spinThenPark")
                }
            }
            return CorePlan(executors: executors, oversubscribed: oversubscribed, notes: notes)
        }
    }
}
