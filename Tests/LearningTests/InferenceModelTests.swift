import Foundation
import Testing
@testable import Learning

/// The compiled inference form must predict exactly (bit for bit) what the learner's
/// own model predicts, for every family, at every stage of training.
@Suite struct InferenceModelTests {
    /// A 6-feature stream (the engine's feature count) with a concept that drifts
    /// abruptly at `flip`, values of mixed scale, and exact ties and zeros now and then.
    struct Stream {
        var state: UInt64
        mutating func uniform() -> Double {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Double(state >> 11) / Double(UInt64(1) << 53)
        }
        mutating func next(step: Int, flip: Int) -> ([Double], Bool) {
            var x = (0..<6).map { _ in uniform() * 2 - 1 }
            x[1] *= 1e-3
            x[4] = (x[4] * 4).rounded()  // few distinct values
            if step % 97 == 0 { x[2] = 0 }
            let score = x[0] + 0.5 * x[1] * 1000 - 0.3 * x[3]
            return (x, (score > 0) != (step >= flip))
        }
    }

    func check(model: String, samples: Int, checkpoints: Set<Int>, probes: Int = 400) throws -> Int {
        var manager = try LearnEvaluation(model: model, parameters: [], seed: 7).makeManager(dimension: 6)
        var stream = Stream(state: 11)
        var probe = Stream(state: 5)
        var compared = 0
        for step in 0...samples {
            if checkpoints.contains(step) {
                let compiled = InferenceModel(manager)
                #expect(compiled.version == manager.currentVersion)
                #expect(compiled.kind == manager.champion.kind)
                for p in 0..<probes {
                    let (x, _) = probe.next(step: p, flip: .max)
                    let expected = manager.predict(x).probability
                    let got = compiled.predictProbability(x)
                    #expect(got.bitPattern == expected.bitPattern,
                            "\(model) after \(step) samples, probe \(p): \(got) != \(expected)")
                    compared += 1
                }
                // Too few features: the families' own fallbacks.
                #expect(compiled.predictProbability([0.1]).bitPattern == manager.predict([0.1]).probability.bitPattern)
            }
            let (x, y) = stream.next(step: step, flip: samples / 2)
            _ = manager.learn(x, label: y, time: Double(step))
        }
        return compared
    }

    static let checkpoints: Set<Int> = [0, 1, 2, 5, 30, 51, 120, 400, 1000, 2500, 4000, 6000]

    @Test func compiledLogisticRegressionPredictsExactlyAsTheLearner() throws {
        #expect(try check(model: "online-gd", samples: 6000, checkpoints: Self.checkpoints) > 4000)
    }

    @Test func compiledSVMPredictsExactlyAsTheLearner() throws {
        #expect(try check(model: "incremental-svm", samples: 6000, checkpoints: Self.checkpoints) > 4000)
    }

    @Test func compiledAdaptiveRandomForestPredictsExactlyAsTheLearner() throws {
        #expect(try check(model: "stream-rf", samples: 6000, checkpoints: Self.checkpoints) > 4000)
    }

    @Test func compiledEnsemblePredictsExactlyAsTheLearner() throws {
        #expect(try check(model: "ensemble", samples: 6000, checkpoints: Self.checkpoints) > 4000)
    }

    @Test func compiledForestCoversSplitTreesAndBothLeafKinds() throws {
        // The comparison above is only meaningful if the forest grew: branches, and leaves
        // predicting by naive Bayes and by majority class.
        var manager = try LearnEvaluation(model: "stream-rf", parameters: [], seed: 7).makeManager(dimension: 6)
        var stream = Stream(state: 11)
        for step in 0..<6000 {
            let (x, y) = stream.next(step: step, flip: 3000)
            _ = manager.learn(x, label: y, time: Double(step))
        }
        let model = InferenceModel(manager)
        #expect(model.members.first?.family == .forest)
        withExtendedLifetime(model) {
            let forest = model.forestView
            #expect(forest.nodes.contains { $0.leaf < 0 })
            #expect(forest.leaves.contains { $0.naiveBayes })
            #expect(forest.leaves.contains { !$0.naiveBayes && ($0.p0 > 0 || $0.p1 > 0) })
        }
    }
}
