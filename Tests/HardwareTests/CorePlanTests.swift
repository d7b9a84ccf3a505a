import Foundation
import Testing
@testable import Hardware

private let fixture = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .appendingPathComponent("Fixtures/sys-16core-2node").path

/// The agent's actors as the pipeline issue will place them.
private let pipeline: [CorePlan.Request] = [
    .init(name: "feed", latencyClass: .critical, idleStrategy: .spin),
    .init(name: "features", latencyClass: .critical, idleStrategy: .spin),
    .init(name: "latency-engine", latencyClass: .critical, idleStrategy: .spin),
    .init(name: "risk", latencyClass: .critical, idleStrategy: .spin),
    .init(name: "execution", latencyClass: .critical, idleStrategy: .spin),
    .init(name: "regime", latencyClass: .normal),
    .init(name: "learning", latencyClass: .normal),
    .init(name: "monitoring", latencyClass: .normal),
    .init(name: "coordination", latencyClass: .normal),
    .init(name: "journal", latencyClass: .background),
    .init(name: "var", latencyClass: .background),
]

private func twoCPUMachine() -> Topology {
    Topology(cpus: [
        .init(id: 0, node: 0, coreID: 0, package: 0, siblings: [0], isolated: false),
        .init(id: 1, node: 0, coreID: 1, package: 0, siblings: [1], isolated: false),
    ], caches: [], numaAvailable: true)
}

@Suite struct CorePlanTests {
    @Test func sixteenCoreServerGivesCriticalActorsIsolatedCoresOfTheirOwn() throws {
        let plan = try CorePlan.make(pipeline, topology: try Topology.load(sysfsRoot: fixture))
        #expect(!plan.oversubscribed)
        let critical = ["feed", "features", "latency-engine", "risk", "execution"].map { plan.executor(for: $0)?.core }
        #expect(critical == [2, 3, 4, 5, 6])
        for name in ["feed", "features", "latency-engine", "risk", "execution"] {
            let executor = try #require(plan.executor(for: name))
            #expect(executor.actors == [name])
            #expect(executor.idleStrategy == .spin)
            #expect(executor.node == 0)
            #expect(!executor.sharesCore)
        }
        // Normal actors packed onto one executor on a non-isolated core of node 0 (not CPU 0).
        let normal = try #require(plan.executor(for: "regime"))
        #expect(normal.core == 1)
        #expect(normal.actors == ["regime", "learning", "monitoring", "coordination"])
        // Background work shares one executor off the critical cores.
        let background = try #require(plan.executor(for: "journal"))
        #expect(background.core == 0)
        #expect(background.actors == ["journal", "var"])
        #expect(plan.executors.count == 7)
    }

    @Test func criticalActorsNeverShareAPhysicalCoreWithTheirSMTSibling() throws {
        let topology = try Topology.load(sysfsRoot: fixture)
        let requests = (0..<12).map { CorePlan.Request(name: "c\($0)", latencyClass: .critical, idleStrategy: .spin) }
        let plan = try CorePlan.make(requests, topology: topology)
        let cores = plan.executors.map(\.core)
        let physical = cores.compactMap { topology.cpu($0)?.siblings }
        #expect(Set(physical).count == 12)
        #expect(Array(cores.prefix(12)) == [2, 3, 4, 5, 6, 7, 10, 11, 12, 13, 14, 15])
        #expect(!plan.oversubscribed)
    }

    @Test func twoCoreMachineIsOversubscribedAndSpinnersFallBackToSpinThenPark() throws {
        let plan = try CorePlan.make(pipeline, topology: twoCPUMachine())
        #expect(plan.oversubscribed)
        #expect(plan.executor(for: "feed")?.core == 1)
        #expect(plan.executor(for: "features")?.core == 0)
        for executor in plan.executors where executor.sharesCore {
            #expect(executor.idleStrategy != .spin, "\(executor.name) shares CPU \(executor.core) but spins")
        }
        #expect(plan.notes.contains { $0.contains("asked to spin but shares CPU") })
        // Every actor is placed.
        for request in pipeline { #expect(plan.executor(for: request.name) != nil) }
    }

    @Test func twoSpinnersOnTwoCoresKeepSpinning() throws {
        let plan = try CorePlan.make([
            .init(name: "a", latencyClass: .critical, idleStrategy: .spin),
            .init(name: "b", latencyClass: .critical, idleStrategy: .spin),
        ], topology: twoCPUMachine())
        #expect(!plan.oversubscribed)
        #expect(plan.executors.map(\.idleStrategy) == [.spin, .spin])
    }

    @Test func explicitCoresAreHonoured() throws {
        let plan = try CorePlan.make([
            .init(name: "risk", latencyClass: .critical, idleStrategy: .spin, cores: [9]),
            .init(name: "feed", latencyClass: .critical),
        ], topology: try Topology.load(sysfsRoot: fixture))
        #expect(plan.executor(for: "risk")?.core == 9)
        #expect(plan.executor(for: "risk")?.node == 1)
        #expect(plan.executor(for: "feed")?.core == 2)
    }

    @Test func aCoreThatDoesNotExistIsNamedInTheError() throws {
        let error = #expect(throws: HardwareError.self) {
            try CorePlan.make([.init(name: "risk", latencyClass: .critical, cores: [42])], topology: twoCPUMachine())
        }
        #expect(error == .unknownCore(core: 42, actor: "risk", available: [0, 1]))
        #expect(error?.description == "core 42 for actor 'risk' does not exist on this machine; available cores: 0-1")
    }

    @Test func duplicateActorsAreRejected() {
        #expect(throws: HardwareError.duplicateActor("a")) {
            try CorePlan.make([.init(name: "a", latencyClass: .normal), .init(name: "a", latencyClass: .critical)],
                              topology: twoCPUMachine())
        }
    }

    @Test func unknownIdleStrategyAndLatencyClassNameTheValue() throws {
        #expect(try IdleStrategy(parsing: "spin-then-park") == .spinThenPark)
        #expect(try IdleStrategy(parsing: "PARK") == .park)
        let error = #expect(throws: HardwareError.self) { try IdleStrategy(parsing: "yield") }
        #expect(error?.description == "unknown idle strategy 'yield': expected one of spin, spinThenPark, park")
        #expect(throws: HardwareError.unknownLatencyClass("urgent")) { try LatencyClass(parsing: "urgent") }
    }
}

@Suite struct AffinityTests {
    @Test func pinnedThreadRunsOnItsCore() async throws {
        let cpus = Topology.current().cpuIDs
        let target = try #require(cpus.last)
        let observed = await withCheckedContinuation { (continuation: CheckedContinuation<(Int?, [Int]?), Never>) in
            let thread = Thread {
                let pinned = (try? Affinity.pinCurrentThread(to: target)) != nil
                var seen: Int?
                if pinned {
                    for _ in 0..<100 { seen = Affinity.currentCPU; if seen != target { break } }
                }
                continuation.resume(returning: (seen, Affinity.currentAffinity))
            }
            thread.start()
        }
        #expect(observed.0 == target)
        #expect(observed.1 == [target])
    }

    @Test func pinningToAMissingCPUFailsWithErrno() {
        #expect(throws: HardwareError.self) { try Affinity.pinCurrentThread(to: 100_000) }
    }

    @Test func nodeLocalBufferIsZeroedAndUsable() {
        let buffer = NodeLocalBuffer.allocate(byteCount: 4096, node: 0)
        defer { buffer.deallocate() }
        let bytes = buffer.base.bindMemory(to: UInt8.self, capacity: 4096)
        #expect((0..<4096).allSatisfy { bytes[$0] == 0 })
        bytes[4095] = 7
        #expect(bytes[4095] == 7)
        let fallback = NodeLocalBuffer.allocate(byteCount: 128, node: 99)
        #expect(fallback.node == nil)
        fallback.deallocate()
    }
}
