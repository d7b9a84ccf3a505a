import Foundation
import Hardware
import Runtime
import Synchronization
import Testing
@testable import Learning

/// What the learner emitted.
private final class Sink: Sendable {
    let predictions = Mutex<[OnlinePrediction]>([])
    let versions = Mutex<[ModelVersion]>([])
    var outputs: OnlineLearnerOutputs {
        OnlineLearnerOutputs(prediction: { p in self.predictions.withLock { $0.append(p) } },
                             version: { v in self.versions.withLock { $0.append(v) } })
    }
    var last: OnlinePrediction? { predictions.withLock { $0.last } }
    var count: Int { predictions.withLock { $0.count } }
}

/// Deterministic 2-feature rows: label = x0 > x1, or the reverse after a flip.
private struct Rows {
    var state: UInt64
    mutating func uniform() -> Double {
        state = state &* 6364136223846793005 &+ 1442695040888963407
        return Double(state >> 11) / Double(UInt64(1) << 53)
    }
    mutating func next(flipped: Bool = false) -> ([Double], Double) {
        let x = [uniform(), uniform()]
        return (x, (x[0] > x[1]) != flipped ? 0.01 : -0.01)
    }
}

private let horizon: UInt64 = 1_000_000_000

/// A deterministic system with one `learning` actor.
private struct Harness {
    let system: ActorSystem
    let ref: ActorRef<OnlineLearner>
    let sink = Sink()

    init(_ configuration: OnlineLearnerConfiguration) async throws {
        let topology = Topology(cpus: [.init(id: 0, node: 0, coreID: 0, package: 0, siblings: [0], isolated: false)],
                                caches: [], numaAvailable: false)
        let plan = try CorePlan.make([.init(name: "learning", latencyClass: .normal)], topology: topology)
        system = try ActorSystem(plan: plan, configuration: .init(deterministic: true), clock: VirtualClock())
        let (system, outputs) = (system, sink.outputs)
        ref = try await system.pumping {
            try await OnlineLearner.spawn(in: system, configuration: configuration, outputs: outputs)
        }
    }

    func send(_ message: OnlineLearnerMessage) { #expect(ref.send(message) == .enqueued) }

    /// Features at `t` seconds, then (if given) their label, processed at once.
    func row(_ symbol: String, _ t: UInt64, _ x: [Double], _ forwardReturn: Double) {
        send(.features(symbol: symbol, time: t * horizon, values: x))
        send(.label(symbol: symbol, observedAt: t * horizon, forwardReturn: forwardReturn))
    }

    func status() async throws -> OnlineLearnerStatus { try await control { await $0.status() } }

    /// A control-plane call on the learner.
    func control<T: Sendable>(_ call: @escaping @Sendable (OnlineLearner) async -> T) async throws -> T {
        let actor = ref.actor
        return try await system.pumping { await call(actor) }
    }

    func predict(_ x: [Double]) async throws -> (probability: Double, version: Int)? {
        try await control { await $0.predict(x) }
    }
}

private func config(_ model: String = "online-gd", path: String? = nil, features: Int = 2) -> OnlineLearnerConfiguration {
    OnlineLearnerConfiguration(model: model, seed: 42, featureCount: features, horizonNanos: horizon, statePath: path)
}

private func temporaryPath(_ name: String) -> String {
    FileManager.default.temporaryDirectory.appendingPathComponent("qa-learner-\(UUID().uuidString)-\(name)").path
}

@Suite struct OnlineLearnerTests {
    @Test func predictsAtOnceWithProbabilityAndVersion() async throws {
        let h = try await Harness(config())
        h.send(.features(symbol: "BTC", time: 5, values: [0.3, 0.7]))
        h.system.runUntilIdle()
        let p = try #require(h.sink.last)
        #expect(p == OnlinePrediction(symbol: "BTC", time: 5, probabilityUp: 0.5, modelVersion: 0))
        let s = try await h.status()
        #expect(s.pending == 1 && s.counters.predictions == 1 && s.counters.learned == 0)
    }

    @Test func learningNeverDelaysAPredictionQueuedBehindALabel() async throws {
        let h = try await Harness(config())
        // Label of t=0, then features of t=1, queued together: the prediction for t=1 is
        // made before the label is learned (the model is still the untrained one).
        h.send(.features(symbol: "ETH", time: 0, values: [0.9, 0.1]))
        h.system.runUntilIdle()
        h.send(.label(symbol: "ETH", observedAt: 0, forwardReturn: 0.02))
        h.send(.features(symbol: "ETH", time: horizon, values: [0.9, 0.1]))
        h.system.runUntilIdle()
        let predictions = h.sink.predictions.withLock { $0 }
        #expect(predictions.map(\.probabilityUp) == [0.5, 0.5])
        var s = try await h.status()
        #expect(s.counters.learned == 1 && s.backlog == 0)
        // With nothing queued the example is learned right after its label.
        h.send(.label(symbol: "ETH", observedAt: horizon, forwardReturn: 0.02))
        h.system.runUntilIdle()
        s = try await h.status()
        #expect(s.counters.learned == 2)
        h.send(.features(symbol: "ETH", time: 2 * horizon, values: [0.9, 0.1]))
        h.system.runUntilIdle()
        #expect((h.sink.last?.probabilityUp ?? 0) > 0.5)
    }

    @Test func learnsTheSignOfTheForwardReturnAcrossSymbols() async throws {
        let h = try await Harness(config())
        var rows = Rows(state: 11)
        for t in 0..<3000 as Range<UInt64> {
            let (x, r) = rows.next()
            h.row(t % 2 == 0 ? "A" : "B", t, x, r)
            if t % 500 == 499 { h.system.runUntilIdle() }
        }
        h.system.runUntilIdle()
        let s = try await h.status()
        #expect(s.counters.learned == 3000 && s.counters.rejected == 0 && s.pending == 0)
        let up = try #require(try await h.predict([0.9, 0.1]))
        let down = try #require(try await h.predict([0.1, 0.9]))
        #expect(up.probability > 0.7 && down.probability < 0.3)
    }

    @Test func conceptFlipPromotesAChallengerAndRollbackRestoresTheChampion() async throws {
        let h = try await Harness(config())
        h.send(.rollback)
        h.system.runUntilIdle()
        #expect(try await h.status().lastError == .rollback(.nothingToRollBack))
        var rows = Rows(state: 1)
        for t in 0..<6000 as Range<UInt64> {
            let (x, r) = rows.next(flipped: t >= 2000)
            h.row("A", t, x, r)
            if t % 1000 == 999 { h.system.runUntilIdle() }
        }
        h.system.runUntilIdle()
        let promoted = try #require(h.sink.versions.withLock { $0.first })
        #expect(promoted.reason == .challengerPromoted && promoted.parent == 0)
        let before = try await h.status().modelVersion
        h.send(.rollback)
        h.send(.features(symbol: "A", time: 7000 * horizon, values: [0.5, 0.2]))
        h.system.runUntilIdle()
        let rolled = try #require(h.sink.versions.withLock { $0.last })
        #expect(rolled.reason == .rollback && rolled.parent == before)
        #expect(h.sink.last?.modelVersion == rolled.id)
        #expect(try await h.status().counters.rollbacks == 1)
    }

    @Test func badMessagesAreCountedNotThrown() async throws {
        let h = try await Harness(config())
        h.send(.features(symbol: "A", time: 1, values: [1, 2, 3]))
        h.send(.features(symbol: "A", time: 2, values: [1, .nan]))
        h.send(.label(symbol: "Z", observedAt: 1, forwardReturn: 0.1))
        h.send(.features(symbol: "A", time: 3, values: [1, 2]))
        h.send(.label(symbol: "A", observedAt: 3, forwardReturn: .infinity))
        h.send(.label(symbol: "A", observedAt: 3, forwardReturn: 0))
        h.system.runUntilIdle()
        let s = try await h.status()
        #expect(s.counters.rejected == 4)
        #expect(s.counters.zeroReturns == 1 && s.counters.learned == 0 && s.counters.predictions == 1)
        #expect(h.ref.stats().restarts == 0)
    }

    @Test func featuresWithoutALabelExpireAfterTwoHorizons() async throws {
        let h = try await Harness(config())
        h.send(.features(symbol: "A", time: 0, values: [0, 1]))
        h.send(.features(symbol: "A", time: horizon, values: [0, 1]))
        h.send(.features(symbol: "A", time: 3 * horizon, values: [0, 1]))
        h.system.runUntilIdle()
        var s = try await h.status()
        #expect(s.counters.expired == 1 && s.pending == 2)
        // A label for t=3h skips the unlabelled t=h row.
        h.send(.label(symbol: "A", observedAt: 3 * horizon, forwardReturn: -0.01))
        h.system.runUntilIdle()
        s = try await h.status()
        #expect(s.counters.expired == 2 && s.pending == 0 && s.counters.learned == 1)
    }

    @Test func regimeChangesStoreTheChampionPerRegime() async throws {
        let h = try await Harness(config())
        var rows = Rows(state: 5)
        h.send(.regime("calm"))
        for t in 0..<300 as Range<UInt64> { let (x, r) = rows.next(); h.row("A", t, x, r) }
        h.send(.regime("volatile"))
        for t in 300..<600 as Range<UInt64> { let (x, r) = rows.next(); h.row("A", t, x, r) }
        h.system.runUntilIdle()
        let s = try await h.status()
        #expect(s.regime == "volatile" && s.storedRegimes == ["calm"])
    }

    @Test func stateIsSavedToItsFileAndRestoredAfterARestart() async throws {
        let path = temporaryPath("state.json")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let first = try await Harness(config("stream-rf", path: path))
        var rows = Rows(state: 9)
        for t in 0..<800 as Range<UInt64> { let (x, r) = rows.next(); first.row("A", t, x, r) }
        first.send(.save)
        first.system.runUntilIdle()
        let saved = try await first.status()
        #expect(saved.counters.saves == 1 && FileManager.default.fileExists(atPath: path))
        let expected = try await first.predict([0.8, 0.3])

        let second = try await Harness(config("stream-rf", path: path))
        let restored = try await second.status()
        #expect(restored.loadError == nil)
        #expect(restored.samples == 800 && restored.versions == saved.versions)
        let got = try await second.predict([0.8, 0.3])
        #expect(got?.probability == expected?.probability && got?.version == expected?.version)
    }

    @Test func corruptStateFileLogsATypedErrorAndStartsFresh() async throws {
        let path = temporaryPath("corrupt.json")
        defer { try? FileManager.default.removeItem(atPath: path) }
        try Data("{\"format\": \"quantum-agent.learning.model\", \"formatVersion\": 1, \"manager\": {\"trunc".utf8)
            .write(to: URL(fileURLWithPath: path))
        let h = try await Harness(config(path: path))
        let s = try await h.status()
        guard case let .stateUnreadable(p, .corrupt)? = s.loadError else {
            Issue.record("expected stateUnreadable(.corrupt), got \(String(describing: s.loadError))")
            return
        }
        #expect(p == path && s.samples == 0 && s.modelVersion == 0)
        h.row("A", 0, [0.9, 0.1], 0.01)
        h.system.runUntilIdle()
        #expect(try await h.status().counters.learned == 1)
    }

    @Test func stateOfAnotherShapeIsIncompatible() async throws {
        let path = temporaryPath("shape.json")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let first = try await Harness(config(path: path, features: 3))
        first.send(.save)
        first.system.runUntilIdle()
        let second = try await Harness(config(path: path, features: 2))
        guard case .stateIncompatible? = try await second.status().loadError else {
            Issue.record("expected stateIncompatible")
            return
        }
        let third = try await Harness(config("incremental-svm", path: path, features: 3))
        guard case .stateIncompatible? = try await third.status().loadError else {
            Issue.record("expected stateIncompatible for another model family")
            return
        }
    }

    @Test func snapshotAndRestoreRoundTripTheModel() async throws {
        let h = try await Harness(config())
        var rows = Rows(state: 3)
        for t in 0..<200 as Range<UInt64> { let (x, r) = rows.next(); h.row("A", t, x, r) }
        h.system.runUntilIdle()
        let snapshot = try await h.control { await $0.snapshot() }
        for t in 200..<400 as Range<UInt64> { let (x, r) = rows.next(); h.row("A", t, x, r) }
        h.system.runUntilIdle()
        #expect(try await h.status().samples == 400)
        try await h.control { await $0.restore(from: snapshot) }
        #expect(try await h.status().samples == 200)
    }

    @Test func invalidConfigurationIsATypedError() {
        #expect(throws: OnlineLearnerError.invalidConfiguration(name: "feature_count", value: "0", allowed: "1...100000")) {
            _ = try OnlineLearner.Setup(config(features: 0))
        }
        #expect(throws: OnlineLearnerError.self) { _ = try OnlineLearner.Setup(config("svm")) }
        var c = config()
        c.parameters = ["learning_rate=-1"]
        #expect(throws: OnlineLearnerError.self) { _ = try OnlineLearner.Setup(c) }
    }
}
