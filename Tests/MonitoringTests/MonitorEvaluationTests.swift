import Foundation
import Testing
@testable import Monitoring

struct EvaluationFixture: Decodable {
    var reference_rows: Int
    var labels: [Double]
    var predictions: [Double]
    var features: [String: [Double?]]
    var expected: [String: Double]
}

@Suite struct MonitorEvaluationTests {
    @Test func everyExpectedMetricMatchesTheReferenceLibraries() throws {
        let fixture = try FixtureLoader.load(EvaluationFixture.self, from: "evaluation.json")
        let features = fixture.features.keys.sorted().map { name in
            FeatureColumn(name: name, values: (fixture.features[name] ?? []).map { $0 ?? .nan })
        }
        let report = try MonitorEvaluation.evaluate(labels: fixture.labels, predictions: fixture.predictions,
                                                    features: features, referenceRows: fixture.reference_rows)
        #expect(report.rows == 400 && report.referenceRows == 300 && report.currentRows == 100)
        for (name, expected) in fixture.expected {
            let value = try #require(report.metrics[name] ?? nil, "missing \(name)")
            let exact = name.contains("ks_statistic")
            #expect(exact ? value == expected : close(value, expected), "\(name): \(value) vs \(expected)")
        }
        #expect(report.nonFiniteValues["bucket"] == 2)
        #expect(report.nonFiniteValues["momentum"] == 0)
        #expect(report.drifted["momentum"] == true)
        let score = try #require(report.metrics[MetricCatalog.driftScore] ?? nil)
        #expect(score > 0 && score <= 1)
        // The document is JSON-encodable with every metric under its name.
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let json = String(decoding: try encoder.encode(report), as: UTF8.self)
        #expect(json.contains("\"quantum_agent_model_roc_auc_ratio\""))
    }

    @Test func singleClassLabelsGiveNullAUC() throws {
        let report = try MonitorEvaluation.evaluate(labels: [1, 1, 1, 1], predictions: [0.2, 0.9, 0.4, 0.7])
        #expect(report.metrics[MetricCatalog.rocAUC] == .some(nil))
        #expect(report.referenceRows == 2)
    }

    @Test func badInputIsNamedWithItsRow() {
        #expect(throws: MonitoringError.nonBinaryLabel(column: "y", row: 2, value: 2)) {
            try MonitorEvaluation.evaluate(labels: [0, 2, 1], predictions: [0.1, 0.2, 0.3], labelColumn: "y")
        }
        #expect(throws: MonitoringError.invalidProbability(column: "p", row: 3, value: 1.5)) {
            try MonitorEvaluation.evaluate(labels: [0, 1, 1], predictions: [0.1, 0.2, 1.5], predictionColumn: "p")
        }
        #expect(throws: MonitoringError.lengthMismatch(name: "f", expected: 3, actual: 2)) {
            try MonitorEvaluation.evaluate(labels: [0, 1, 1], predictions: [0.1, 0.2, 0.5],
                                           features: [FeatureColumn(name: "f", values: [1, 2])])
        }
        #expect(throws: MonitoringError.parameterOutOfRange(name: "--reference-rows", value: 3, allowed: "1...2")) {
            try MonitorEvaluation.evaluate(labels: [0, 1, 1], predictions: [0.1, 0.2, 0.5], referenceRows: 3)
        }
        let message = MonitoringError.nonBinaryLabel(column: "y", row: 2, value: 2).description
        #expect(message.contains("'y'") && message.contains("row 2"))
    }
}
