import Testing
@testable import Learning

/// Each detector must reproduce River 0.26's detection (and warning) indices exactly
/// on the committed streams (fixtures from Fixtures/make_fixtures.py).
@Suite struct DriftDetectorRiverParityTests {
    static func cases(_ detector: String) throws -> [(DriftCase, [Double])] {
        let (fixture, streams) = try DriftFixture.load()
        return fixture.cases.filter { $0.detector == detector }.map { ($0, streams[$0.stream] ?? []) }
    }

    func check(_ detector: String) throws {
        let cases = try Self.cases(detector)
        #expect(cases.count >= 6)
        for (c, values) in cases {
            #expect(values.count == 2000, "\(c)")
            let evaluation = try DriftEvaluation(detector: c.detector, parameters: c.assignments)
            let result = try evaluation.run(values)
            #expect(result.drifts == c.drifts, "drifts differ for \(c)")
            #expect(result.warnings == c.warnings, "warnings differ for \(c)")
        }
    }

    @Test func adwinMatchesRiverDetectionIndices() throws { try check("adwin") }
    @Test func ddmMatchesRiverDriftAndWarningIndices() throws { try check("ddm") }
    @Test func eddmMatchesRiverDriftAndWarningIndices() throws { try check("eddm") }
    @Test func pageHinkleyMatchesRiverInAllModes() throws { try check("page-hinkley") }
    @Test func kswinMatchesRiverWithSameSeed() throws { try check("kswin") }
}
