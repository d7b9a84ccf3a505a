import Testing
@testable import Monitoring

struct ClassificationFixture: Decodable {
    struct Case: Decodable {
        var name: String
        var labels: [Int]
        var scores: [Double]
        var accuracy, precision, recall, f1: Double
        var log_loss, brier, ece: Double
        var roc_auc: Double?
    }
    var cases: [Case]
}

@Suite struct ClassificationMetricsTests {
    static let cases: [ClassificationFixture.Case] = (try? FixtureLoader.load(ClassificationFixture.self, from: "classification.json").cases) ?? []

    @Test func fixturesArePresent() {
        #expect(Self.cases.count == 6)
    }

    @Test(arguments: cases.map(\.name))
    func windowReportMatchesScikitLearn(caseName: String) throws {
        let fixture = try #require(Self.cases.first { $0.name == caseName })
        var window = try ClassificationWindow(capacity: fixture.labels.count)
        for (label, score) in zip(fixture.labels, fixture.scores) {
            let result15 = window.record(label: label == 1, probability: score)
            #expect(result15)
        }
        let reportValue = window.report()
        let report = try #require(reportValue)
        #expect(report.count == fixture.labels.count)
        #expect(close(report.accuracy, fixture.accuracy), "accuracy \(report.accuracy) vs \(fixture.accuracy)")
        #expect(close(report.precision, fixture.precision), "precision \(report.precision) vs \(fixture.precision)")
        #expect(close(report.recall, fixture.recall), "recall \(report.recall) vs \(fixture.recall)")
        #expect(close(report.f1, fixture.f1), "f1 \(report.f1) vs \(fixture.f1)")
        #expect(close(report.logLoss, fixture.log_loss), "log loss \(report.logLoss) vs \(fixture.log_loss)")
        #expect(close(report.brierScore, fixture.brier), "brier \(report.brierScore) vs \(fixture.brier)")
        #expect(close(report.calibrationError, fixture.ece), "ece \(report.calibrationError) vs \(fixture.ece)")
        #expect(close(report.rocAUC, fixture.roc_auc), "auc \(String(describing: report.rocAUC)) vs \(String(describing: fixture.roc_auc))")
    }

    @Test func slidingWindowForgetsTheOldestSamples() throws {
        let fixture = try #require(Self.cases.first { $0.name == "continuous_scores" })
        var window = try ClassificationWindow(capacity: 100)
        for (label, score) in zip(fixture.labels, fixture.scores) { window.record(label: label == 1, probability: score) }
        var fresh = try ClassificationWindow(capacity: 100)
        for (label, score) in zip(fixture.labels.suffix(100), fixture.scores.suffix(100)) {
            fresh.record(label: label == 1, probability: score)
        }
        let aValue = window.report()
        let bValue = fresh.report()
        let a = try #require(aValue), b = try #require(bValue)
        #expect(a.confusion == b.confusion)
        #expect(close(a.logLoss, b.logLoss) && close(a.rocAUC, b.rocAUC) && close(a.calibrationError, b.calibrationError))
    }

    @Test func invalidProbabilitiesAreRejectedAndCounted() throws {
        var window = try ClassificationWindow(capacity: 4)
        let result16 = window.record(label: true, probability: .nan)
        #expect(!result16)
        let result17 = window.record(label: true, probability: 1.5)
        #expect(!result17)
        let result18 = window.record(label: false, probability: -0.1)
        #expect(!result18)
        #expect(window.rejectedCount == 3)
        let empty = window.report()
        #expect(empty == nil)
    }

    @Test func invalidWindowParametersNameTheParameter() {
        #expect(throws: MonitoringError.parameterOutOfRange(name: "capacity", value: 0, allowed: "1...10000000")) {
            try ClassificationWindow(capacity: 0)
        }
        do {
            _ = try ClassificationWindow(capacity: 10, decisionThreshold: 1.2)
            Issue.record("expected an error")
        } catch {
            #expect(error.description.contains("decisionThreshold"))
        }
    }
}
