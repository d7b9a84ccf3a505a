import Foundation
import Testing
@testable import Learning

private struct SEAExpected: Decodable {
    struct Run: Decodable { let accuracy: Double; let predictions: String }
    let rows: Int
    let label_mean: Double
    let logistic_regression: Run
    let arf_seed42: Run
    static func load() throws -> SEAExpected {
        try JSONDecoder().decode(SEAExpected.self, from: FixtureLoader.data("sea_expected.json"))
    }
}

/// Prequential run: predict (River's `predict_one` label), then learn.
private func prequential<M: OnlineClassifier>(
    _ model: inout M, _ data: (features: [[Double]], labels: [Bool]), label: (M, [Double]) -> Bool?
) -> (accuracy: Double, predictions: String) {
    var correct = 0
    var preds = ""
    for (x, y) in zip(data.features, data.labels) {
        let p = label(model, x)
        preds.append(p == nil ? "N" : (p == true ? "1" : "0"))
        if p == y { correct += 1 }
        model.learn(x, label: y)
    }
    return (Double(correct) / Double(data.labels.count), preds)
}

private func mismatches(_ a: String, _ b: String) -> Int { zip(a, b).filter { $0 != $1 }.count }

@Suite struct SEAReferenceTests {
    static let data = SEAStream.variantSwitching(rowsPerVariant: 5000)

    @Test func seaStreamIsBitIdenticalToRivers() throws {
        let expected = try SEAExpected.load()
        let head = try FixtureLoader.csvColumns("sea_head.csv")
        #expect(Self.data.labels.count == expected.rows)
        for i in 0..<50 {
            #expect(Self.data.features[i] == [head["x0"]?[i], head["x1"]?[i], head["x2"]?[i]].compactMap { $0 })
            #expect((Self.data.labels[i] ? 1.0 : 0.0) == head["y"]?[i])
        }
        let mean = Double(Self.data.labels.filter { $0 }.count) / Double(Self.data.labels.count)
        #expect(mean == expected.label_mean)
    }

    @Test func onlineGDMatchesRiverLogisticRegressionAccuracy() throws {
        let expected = try SEAExpected.load().logistic_regression
        var model = try LogisticRegression(dimension: 3)
        let run = prequential(&model, Self.data) { m, x in
            let p = m.predictProbability(x); return p > 1 - p }
        let diff = mismatches(run.predictions, expected.predictions)
        print("ONLINE_GD accuracy \(run.accuracy) vs River \(expected.accuracy); differing predictions: \(diff)")
        #expect(run.accuracy >= expected.accuracy - 0.002)
    }

    @Test func streamRFMatchesRiverARFAccuracy() throws {
        let expected = try SEAExpected.load().arf_seed42
        var config = AdaptiveRandomForest.Configuration()
        config.seed = 42
        var model = try AdaptiveRandomForest(dimension: 3, configuration: config)
        let run = prequential(&model, Self.data) { m, x in m.predictLabel(x) }
        let diff = mismatches(run.predictions, expected.predictions)
        let first = zip(run.predictions, expected.predictions).enumerated().first { $0.element.0 != $0.element.1 }?.offset
        print("STREAM_RF accuracy \(run.accuracy) vs River \(expected.accuracy); differing: \(diff), first at \(String(describing: first))")
        #expect(run.accuracy >= expected.accuracy - 0.01)
    }
}
