import Testing
@testable import Monitoring

struct DriftFixture: Decodable {
    struct Case: Decodable {
        var name: String
        var reference: [Double]
        var current: [Double]
        var ks, wasserstein, psi, reference_std: Double
    }
    var cases: [Case]
}

@Suite struct DriftTests {
    static let cases: [DriftFixture.Case] = (try? FixtureLoader.load(DriftFixture.self, from: "drift.json").cases) ?? []

    @Test func fixturesArePresent() { #expect(Self.cases.count == 8) }

    @Test(arguments: cases.map(\.name))
    func batchStatisticsMatchScipy(caseName: String) throws {
        let fixture = try #require(Self.cases.first { $0.name == caseName })
        let drift = DriftMath.statistics(reference: fixture.reference, current: fixture.current)
        #expect(drift.ksStatistic == fixture.ks, "ks \(drift.ksStatistic) vs scipy \(fixture.ks)")
        #expect(close(drift.wasserstein, fixture.wasserstein), "W1 \(drift.wasserstein) vs scipy \(fixture.wasserstein)")
        #expect(close(drift.psi, fixture.psi), "PSI \(drift.psi) vs \(fixture.psi)")
        let expectedNormalized = fixture.reference_std > 0 ? fixture.wasserstein / fixture.reference_std : fixture.wasserstein
        #expect(close(drift.normalizedWasserstein, expectedNormalized))
        #expect(drift.score >= 0 && drift.score <= 1)
    }

    @Test(arguments: cases.map(\.name))
    func streamingWindowMatchesBatch(caseName: String) throws {
        let fixture = try #require(Self.cases.first { $0.name == caseName })
        var window = try DriftWindow(referenceCapacity: max(fixture.reference.count, 2), windowCapacity: fixture.current.count)
        for value in fixture.reference { window.record(value) }
        window.freezeReference()
        #expect(window.isReferenceFrozen)
        // Feed a prefix that must slide out, then the current sample.
        for value in fixture.current.reversed() { window.record(value + 1000) }
        for value in fixture.current { window.record(value) }
        let driftValue = window.statistics()
        let drift = try #require(driftValue)
        #expect(drift.ksStatistic == fixture.ks)
        #expect(close(drift.wasserstein, fixture.wasserstein))
        #expect(close(drift.psi, fixture.psi))
        #expect(drift.currentCount == fixture.current.count)
    }

    @Test func nonFiniteValuesAreCountedNotUsed() throws {
        var window = try DriftWindow(referenceCapacity: 3, windowCapacity: 2)
        for value in [1.0, .nan, 2.0, .infinity, 3.0] { window.record(value) }
        #expect(window.isReferenceFrozen)
        #expect(window.nonFiniteCount == 2)
        let none = window.statistics()
        #expect(none == nil)
        window.record(2.0)
        let one = window.statistics()
        #expect(one?.currentCount == 1)
    }

    @Test func identicalSamplesHaveNoDrift() {
        let sample = (0..<200).map { Double($0 % 17) }
        let drift = DriftMath.statistics(reference: sample, current: sample)
        #expect(drift.ksStatistic == 0 && drift.wasserstein == 0 && drift.psi == 0 && drift.score == 0)
    }

    @Test func sensitivityMapsToDocumentedThresholds() throws {
        #expect(try DriftSensitivity(configValue: "HIGH") == .high)
        #expect(DriftSensitivity.high.thresholds.psi == 0.10)
        #expect(DriftSensitivity.medium.thresholds.ksStatistic == 0.15)
        #expect(DriftSensitivity.low.thresholds.normalizedWasserstein == 0.25)
        #expect(DriftSensitivity.low.thresholds.driftScore == 0.8)
        #expect(throws: MonitoringError.self) { try DriftSensitivity(configValue: "extreme") }
        let drift = DriftStatistics(psi: 0.15, ksStatistic: 0.05, wasserstein: 0, normalizedWasserstein: 0,
                                    referenceCount: 10, currentCount: 10)
        #expect(DriftSensitivity.high.thresholds.isDrifted(drift))
        #expect(!DriftSensitivity.medium.thresholds.isDrifted(drift))
    }
}
