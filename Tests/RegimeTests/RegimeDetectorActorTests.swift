import Foundation
import Hardware
import Runtime
import Synchronization
import Testing
@testable import Regime

/// Collects what the actor emits (the emit callback runs on the actor's executor).
private final class Collected: Sendable {
    let updates = Mutex<[RegimeUpdate]>([])
    func append(_ u: RegimeUpdate) { updates.withLock { $0.append(u) } }
    var all: [RegimeUpdate] { updates.withLock { $0 } }
}

/// A refitter that keeps jobs until the test runs them, so the test decides when a fit finishes.
private final class ManualRefitter: Sendable {
    let jobs = Mutex<[(RegimeRefitJob, @Sendable (RegimeRefitResult) -> Void)]>([])
    var refitter: RegimeRefitter { { job, done in self.jobs.withLock { $0.append((job, done)) } } }
    var pending: Int { jobs.withLock { $0.count } }
    /// Fits every queued job on the calling thread and posts the results.
    func runAll() {
        let taken = jobs.withLock { list in let all = list; list.removeAll(); return all }
        for (job, done) in taken { done(RegimeRefitResult.fit(job)) }
    }
}

private func makeSystem() throws -> ActorSystem {
    let plan = try CorePlan.make([.init(name: "regime", latencyClass: .normal)], topology: Topology.current())
    return try ActorSystem(plan: plan, configuration: .init(deterministic: true), clock: VirtualClock())
}

private func series(_ n: Int, seed: UInt64) -> [Double] {
    var r = RegimeRandom(seed: seed)
    return (0..<n).map { i in (i / 150) % 2 == 0 ? 0.5 * r.normal() : 3 * r.normal() }
}

@Suite struct RegimeDetectorActorTests {
    @Test func emitsOneSignalPerObservationWithPerSymbolTicks() async throws {
        let system = try makeSystem()
        let out = Collected()
        let manual = ManualRefitter()
        let config = try RegimeEnsembleConfiguration().validated()
        let refitter = manual.refitter
        let ref = try await system.pumping {
            try await system.spawn("regime") { executor in
                RegimeDetector(executor: executor, configuration: config, refitter: refitter) { out.append($0) }
            }
        }
        for v in series(30, seed: 1) {
            #expect(ref.send(.observation(symbol: "AAA", value: v)).isAccepted)
            #expect(ref.send(.observation(symbol: "BBB", value: -v)).isAccepted)
        }
        _ = ref.send(.observation(symbol: "AAA", value: .nan))
        system.runUntilIdle()
        let all = out.all
        #expect(all.count == 60)
        #expect(all.filter { $0.symbol == "AAA" }.map(\.signal.tick) == Array(1...30))
        #expect(all.filter { $0.symbol == "BBB" }.map(\.signal.tick) == Array(1...30))
        let counters = try await system.pumping { await ref.actor.counters }
        #expect(counters.observations == 60 && counters.nonFinite == 1)
        system.stop()
    }

    @Test func refitRunsOffTheActorAndIsInstalledBeforeTheNextTick() async throws {
        let system = try makeSystem()
        let out = Collected()
        let manual = ManualRefitter()
        var c = RegimeEnsembleConfiguration()
        c.warmUp = 200
        c.refitInterval = 0
        c.states = 2
        let config = try c.validated()
        let refitter = manual.refitter
        let ref = try await system.pumping {
            try await system.spawn("regime") { executor in
                RegimeDetector(executor: executor, configuration: config, refitter: refitter) { out.append($0) }
            }
        }
        let x = series(600, seed: 2)
        for v in x.prefix(200) { _ = ref.send(.observation(symbol: "S", value: v)) }
        system.runUntilIdle()
        // The refit was handed over, not run: the actor kept ticking on unfitted detectors.
        #expect(manual.pending == 1)
        for v in x[200..<260] { _ = ref.send(.observation(symbol: "S", value: v)) }
        system.runUntilIdle()
        #expect(out.all.count == 260 && out.all.allSatisfy { $0.signal.uncertain })
        let before = try #require(try await system.pumping { await ref.actor.status(of: "S") })
        #expect(before.tick == 260 && before.fitted.isEmpty)
        manual.runAll()
        _ = ref.send(.installRefits)
        system.runUntilIdle()
        var counters = try await system.pumping { await ref.actor.counters }
        #expect(counters.refitsStarted == 1 && counters.refitsInstalled == 1)
        let after = try #require(try await system.pumping { await ref.actor.status(of: "S") })
        #expect(after.fitted.count == c.detectors.count)
        for v in x[260...] { _ = ref.send(.observation(symbol: "S", value: v)) }
        system.runUntilIdle()
        // Blocks of 150: rows 300..<450 are calm, 450..<600 turbulent.
        let states = out.all.map(\.signal.state)
        #expect(states[320..<450].filter { $0 == 0 }.count > 100, "calm block")
        #expect(states[470..<600].filter { $0 == 1 }.count > 100, "turbulent block")
        counters = try await system.pumping { await ref.actor.counters }
        #expect(counters.refitsDiscarded == 0)
        system.stop()
    }

    @Test func installedRefitMatchesASynchronousRefitOnTheSameData() throws {
        let x = series(500, seed: 3)
        var c = RegimeEnsembleConfiguration()
        c.refitInterval = 0
        let sync = try RegimeEnsemble(configuration: c), background = try RegimeEnsemble(configuration: c)
        for v in x.prefix(300) { sync.update(v); background.update(v) }
        let job = background.makeRefitJob()
        let result = RegimeRefitResult.fit(job)
        for v in x[300..<320] { background.update(v) }      // ticks while the fit runs
        #expect(background.install(result))
        // A fresh ensemble fitted on the same window and fed the same data agrees exactly.
        let fresh = try RegimeEnsemble(configuration: c)
        fresh.refit(window: Array(x.prefix(300)))
        for v in x.prefix(320) { fresh.update(v) }
        for (a, b) in zip(fresh.models, background.models) {
            #expect(a.update(x[320]) == b.update(x[320]), "\(a.name)")
        }
        // A result installs only into the ensemble that made its job.
        #expect(!sync.install(result))
    }

    @Test func restartRestoresEachSymbolFromItsRecentObservations() async throws {
        let system = try makeSystem()
        let out = Collected()
        let config = try RegimeEnsembleConfiguration().validated()
        let refitter = ManualRefitter().refitter
        let ref = try await system.pumping {
            try await system.spawn("regime") { executor in
                RegimeDetector(executor: executor, configuration: config, refitter: refitter) { out.append($0) }
            }
        }
        for v in series(300, seed: 4) { _ = ref.send(.observation(symbol: "Z", value: v)) }
        system.runUntilIdle()
        let snap = try await system.pumping { await ref.actor.snapshot() }
        #expect(snap.recent["Z"]?.count == 300)
        try await system.pumping { await ref.actor.restore(from: snap) }
        let z = try #require(try await system.pumping { await ref.actor.status(of: "Z") })
        #expect(z.tick == 300 && z.fitted.count == RegimeEnsembleConfiguration().detectors.count)
        _ = ref.send(.forget(symbol: "Z"))
        system.runUntilIdle()
        let symbols = try await system.pumping { await ref.actor.symbols }
        #expect(symbols.isEmpty)
        system.stop()
    }
}
