import Foundation
import Testing
@testable import Learning

/// Deterministic 2-feature stream whose concept flips: label = x0 > x1, or the reverse.
private struct FlipStream {
    var state: UInt64
    mutating func uniform() -> Double {
        state = state &* 6364136223846793005 &+ 1442695040888963407
        return Double(state >> 11) / Double(UInt64(1) << 53)
    }
    mutating func next(flipped: Bool) -> ([Double], Bool) {
        let x = [uniform(), uniform()]
        return (x, (x[0] > x[1]) != flipped)
    }
}

@Suite struct ModelManagerTests {
    func manager(_ config: ModelManager.Configuration = .init()) throws -> ModelManager {
        try ModelManager(model: .onlineGD(try LogisticRegression(dimension: 2)), configuration: config, time: 0)
    }

    @Test func challengerReplacesChampionAfterAbruptConceptFlip() throws {
        var m = try manager()
        var s = FlipStream(state: 1)
        var promoted: ModelVersion?
        for t in 0..<6000 {
            let (x, y) = s.next(flipped: t >= 2000)
            if let v = m.learn(x, label: y, time: Double(t)).newVersion { promoted = promoted ?? v }
        }
        let v = try #require(promoted)
        #expect(v.reason == .challengerPromoted)
        #expect(v.parent == 0 && v.id == 1)
        #expect(v.time >= 2000)
        let recent = try #require(v.metrics.recentAccuracy), replaced = try #require(v.metrics.replacedAccuracy)
        #expect(recent > replaced)
        #expect(m.versions.map(\.id) == [0] + m.versions.dropFirst().map(\.id))
        #expect(m.currentVersion >= 1)
        #expect(m.predict([0.9, 0.1]).version == m.currentVersion)
    }

    @Test func championIsKeptWhenStreamIsStationary() throws {
        var m = try manager()
        var s = FlipStream(state: 7)
        for t in 0..<5000 {
            let (x, y) = s.next(flipped: false)
            _ = m.learn(x, label: y, time: Double(t))
        }
        #expect(m.versions.count == 1)
        #expect(m.currentVersion == 0)
    }

    @Test func rollbackRestoresThePreviousChampion() throws {
        var m = try manager()
        #expect(throws: ModelManagerError.nothingToRollBack) { try m.rollback(time: 1) }
        var s = FlipStream(state: 3)
        for t in 0..<6000 {
            let (x, y) = s.next(flipped: t >= 2000)
            _ = m.learn(x, label: y, time: Double(t))
        }
        let before = m.currentVersion
        let (previousModel, _) = try #require(m.previous)
        let v = try m.rollback(time: 9999)
        #expect(v.reason == .rollback && v.parent == before && v.time == 9999)
        #expect(m.champion == previousModel)
    }

    @Test func storedRegimeModelIsReinstatedWhenItsRegimeReturns() throws {
        var config = ModelManager.Configuration()
        config.regimeTrial = 100
        var m = try manager(config)
        var s = FlipStream(state: 11)
        var reinstated: ModelVersion?
        // Regime A (concept 1), B (flipped concept), then A again.
        for t in 0..<9000 {
            let regime = t < 3000 || t >= 6000 ? "A" : "B"
            let (x, y) = s.next(flipped: regime == "B")
            if let v = m.learn(x, label: y, time: Double(t), regime: regime).newVersion, v.reason == .regimeReinstated {
                reinstated = reinstated ?? v
            }
        }
        let v = try #require(reinstated)
        #expect(v.regime == "A")
        #expect(v.time >= 6000 && v.time < 6000 + 200)
        #expect(m.storedRegimes == ["A", "B"])
    }
}

@Suite struct ModelStoreTests {
    func trainedManager(_ model: AnyOnlineModel) throws -> ModelManager {
        var m = try ModelManager(model: model, time: 0)
        let data = SEAStream.variantSwitching(rowsPerVariant: 400)
        for (i, (x, y)) in zip(data.features, data.labels).enumerated() { _ = m.learn(x, label: y, time: Double(i)) }
        return m
    }

    @Test func snapshotRoundTripRestoresIdenticalModelsOfEveryFamily() throws {
        var rf = AdaptiveRandomForest.Configuration()
        rf.models = 3
        let models: [AnyOnlineModel] = [
            .onlineGD(try LogisticRegression(dimension: 3)),
            .incrementalSVM(try PegasosSVM(dimension: 3)),
            .streamRF(try AdaptiveRandomForest(dimension: 3, configuration: rf)),
            .ensemble(try WeightedEnsemble(members: [.onlineGD(try LogisticRegression(dimension: 3)),
                                                     .incrementalSVM(try PegasosSVM(dimension: 3))])),
        ]
        for model in models {
            var original = try trainedManager(model)
            var restored = try ModelStore.decode(try ModelStore.encode(original))
            #expect(restored == original, "\(model.kind)")
            // Same future behaviour, learning included.
            var s = try SEAStream(variant: 2, noise: 0.1, seed: 5)
            for t in 0..<300 {
                let (x, y) = s.next()
                #expect(restored.predict(x).probability == original.predict(x).probability)
                _ = original.learn(x, label: y, time: Double(t))
                _ = restored.learn(x, label: y, time: Double(t))
            }
        }
    }

    @Test func truncatedOrGarbageBytesGiveATypedError() throws {
        let data = try ModelStore.encode(try trainedManager(.onlineGD(try LogisticRegression(dimension: 3))))
        for cut in [0, 1, 10, data.count / 2, data.count - 1] {
            #expect(throws: ModelStoreError.self) { try ModelStore.decode(data.prefix(cut)) }
        }
        var garbage = Data(count: 4096)
        for i in garbage.indices { garbage[i] = UInt8(truncatingIfNeeded: i &* 131 &+ 7) }
        #expect(throws: ModelStoreError.self) { try ModelStore.decode(garbage) }
        #expect(throws: ModelStoreError.corrupt("no readable header (2 bytes)")) { try ModelStore.decode(Data("{}".utf8)) }
    }

    @Test func foreignFormatAndNewerVersionAreRejected() throws {
        let data = try ModelStore.encode(try trainedManager(.onlineGD(try LogisticRegression(dimension: 3))))
        let text = String(decoding: data, as: UTF8.self)
        let newer = text.replacingOccurrences(of: "\"formatVersion\":1", with: "\"formatVersion\":2")
        #expect(throws: ModelStoreError.unsupportedVersion(found: 2, supported: 1)) {
            try ModelStore.decode(Data(newer.utf8))
        }
        let foreign = text.replacingOccurrences(of: ModelStore.formatName, with: "other.tool")
        #expect(throws: ModelStoreError.wrongFormat(found: "other.tool")) { try ModelStore.decode(Data(foreign.utf8)) }
    }

    @Test func tamperedTreeIndicesAreRejectedAsInconsistent() throws {
        var rf = AdaptiveRandomForest.Configuration()
        rf.models = 2
        let data = try ModelStore.encode(try trainedManager(.streamRF(try AdaptiveRandomForest(dimension: 3, configuration: rf))))
        let text = String(decoding: data, as: UTF8.self)
        #expect(text.contains("\"feature\":"))
        // Point every split at a feature that does not exist.
        let tampered = text.replacingOccurrences(of: "\"feature\":0,", with: "\"feature\":7,")
            .replacingOccurrences(of: "\"feature\":1,", with: "\"feature\":7,")
            .replacingOccurrences(of: "\"feature\":2,", with: "\"feature\":7,")
        #expect(tampered != text)
        #expect(throws: ModelStoreError.inconsistentState) { try ModelStore.decode(Data(tampered.utf8)) }
    }
}
