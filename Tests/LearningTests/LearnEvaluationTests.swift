import Foundation
import Testing
@testable import Learning

private struct SEAAccuracies: Decodable {
    struct Run: Decodable { let accuracy: Double }
    let logistic_regression: Run
    let hinge_sgd: Run
    let pa_classifier: Run
    let arf_seed42: Run
    static func load() throws -> SEAAccuracies {
        try JSONDecoder().decode(SEAAccuracies.self, from: FixtureLoader.data("sea_expected.json"))
    }
}

/// `eval learn` core on River's SEA stream with variant switches (20,000 rows, 10% noise):
/// each family's prequential accuracy, champion/challenger included, must be at least
/// River's for the same family minus 0.005 (0.5 point: 100 rows of 20,000; the managed
/// model may swap champions, which River's plain model never does).
@Suite struct LearnEvaluationTests {
    static let data = SEAStream.variantSwitching(rowsPerVariant: 5000)
    static let labels = data.labels.map { $0 ? 1.0 : 0.0 }

    func run(_ model: String, _ params: [String] = [], seed: Int? = nil) throws -> LearnEvaluationResult {
        try LearnEvaluation(model: model, parameters: params, seed: seed).run(features: Self.data.features, labels: Self.labels)
    }

    @Test func onlineGDIsAtLeastRiverLogisticRegression() throws {
        let river = try SEAAccuracies.load().logistic_regression.accuracy
        let r = try run("online-gd")
        print("eval learn online-gd: accuracy \(r.accuracy) (River LogisticRegression \(river)), drifts \(r.drifts.count), versions \(r.versions.count)")
        #expect(r.n == 20_000)
        #expect(r.accuracy >= river - 0.005)
        #expect(r.versions.first?.reason == .initial)
    }

    @Test func incrementalSVMIsAtLeastRiverHingeSGD() throws {
        let river = try SEAAccuracies.load()
        let r = try run("incremental-svm")
        print("eval learn incremental-svm: accuracy \(r.accuracy) (River hinge SGD \(river.hinge_sgd.accuracy), PAClassifier \(river.pa_classifier.accuracy)), drifts \(r.drifts.count), versions \(r.versions.count)")
        #expect(r.accuracy >= river.hinge_sgd.accuracy - 0.005)
    }

    @Test func streamRFIsAtLeastRiverARF() throws {
        let river = try SEAAccuracies.load().arf_seed42.accuracy
        let r = try run("stream-rf", seed: 42)
        print("eval learn stream-rf: accuracy \(r.accuracy) (River ARFClassifier(seed=42) \(river)), drifts \(r.drifts.count), versions \(r.versions.count)")
        #expect(r.accuracy >= river - 0.005)
        #expect(r.params["seed"] == .int(42))
    }

    @Test func ensembleIsAtLeastItsBestRiverFamily() throws {
        let river = try SEAAccuracies.load()
        let r = try run("ensemble", seed: 42)
        let best = max(river.logistic_regression.accuracy, river.arf_seed42.accuracy)
        print("eval learn ensemble: accuracy \(r.accuracy) (best River family \(best)), drifts \(r.drifts.count), versions \(r.versions.count)")
        #expect(r.accuracy >= best - 0.005)
        #expect(r.params["ensemble_update_frequency"] == .int(1000))
    }

    @Test func invalidRequestsNameTheProblem() throws {
        #expect(throws: ParameterError.unknownComponent(name: "svm", allowed: ["online-gd", "incremental-svm", "stream-rf", "ensemble"])) {
            try LearnEvaluation(model: "svm", parameters: [])
        }
        #expect(throws: ParameterError.outOfRange(name: "n_models", value: "0", allowed: "integer in [1, 1000]")) {
            try LearnEvaluation(model: "stream-rf", parameters: ["n_models=0"])
        }
        #expect(throws: ParameterError.self) { try LearnEvaluation(model: "online-gd", parameters: ["n_models=3"]) }
        let e = try LearnEvaluation(model: "online-gd", parameters: [])
        #expect(throws: ParameterError.nonBinaryLabel(row: 1, value: 2)) {
            try e.run(features: [[1], [2]], labels: [0, 2])
        }
        #expect(throws: ParameterError.rowLength(row: 1, expected: 2, found: 1)) {
            try e.run(features: [[1, 2], [2]], labels: [0, 1])
        }
        #expect(throws: ParameterError.nonFiniteValue(row: 0, column: "feature")) {
            try e.run(features: [[.nan]], labels: [0])
        }
        #expect(throws: ParameterError.emptyInput("no data rows")) { try e.run(features: [], labels: []) }
    }
}
