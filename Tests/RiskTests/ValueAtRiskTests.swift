import Foundation
import Testing
@testable import Risk

/// The scipy/numpy reference written by Fixtures/make_var_fixture.py.
struct VaRReference: Decodable {
    struct Case: Decodable {
        let confidence: Double
        let parametric_var: Double
        let parametric_es: Double
        let historical_var: Double
        let historical_es: Double
    }
    let mean: Double
    let std: Double
    let returns: [Double]
    let cases: [Case]
    let norm_ppf: [String: Double]

    static func load() throws -> VaRReference {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("Fixtures/var_reference.json")
        return try JSONDecoder().decode(VaRReference.self, from: Data(contentsOf: url))
    }
}

@Suite struct ValueAtRiskTests {
    @Test func normalQuantileMatchesScipyNormPpf() throws {
        let ref = try VaRReference.load()
        #expect(ref.norm_ppf.count == 12)
        for (key, expected) in ref.norm_ppf {
            let p = try #require(Double(key))
            let mine = StandardNormal.quantile(p)
            #expect(abs(mine - expected) <= 1e-12 * max(1, abs(expected)), "ppf(\(key)): \(mine) vs \(expected)")
        }
        #expect(StandardNormal.quantile(0) == -.infinity)
        #expect(StandardNormal.quantile(1.5).isNaN)
    }

    @Test func parametricVaRAndESMatchScipy() throws {
        let ref = try VaRReference.load()
        for c in ref.cases {
            let e = try ValueAtRisk.parametric(returns: ref.returns, confidence: c.confidence)
            #expect(abs(e.valueAtRisk - c.parametric_var) < 1e-12, "VaR at \(c.confidence)")
            #expect(abs(e.expectedShortfall - c.parametric_es) < 1e-12, "ES at \(c.confidence)")
            #expect(e.method == .parametric)
        }
    }

    @Test func historicalVaRAndESMatchNumpyPercentile() throws {
        let ref = try VaRReference.load()
        for c in ref.cases {
            let e = try ValueAtRisk.historical(returns: ref.returns, confidence: c.confidence)
            #expect(abs(e.valueAtRisk - c.historical_var) < 1e-14, "VaR at \(c.confidence)")
            #expect(abs(e.expectedShortfall - c.historical_es) < 1e-14, "ES at \(c.confidence)")
        }
    }

    @Test func monteCarloIsReproducibleAndConvergesToParametric() throws {
        let ref = try VaRReference.load()
        let a = try ValueAtRisk.monteCarlo(returns: ref.returns, confidence: 0.99, paths: 200_000, seed: 7)
        let b = try ValueAtRisk.monteCarlo(returns: ref.returns, confidence: 0.99, paths: 200_000, seed: 7)
        let c = try ValueAtRisk.monteCarlo(returns: ref.returns, confidence: 0.99, paths: 200_000, seed: 8)
        #expect(a == b)
        #expect(a != c)
        let parametric = try ValueAtRisk.parametric(returns: ref.returns, confidence: 0.99)
        // 200k normal draws: the 1% quantile's standard error is ≈ 0.4% of σ·z here.
        #expect(abs(a.valueAtRisk - parametric.valueAtRisk) / parametric.valueAtRisk < 0.02)
        #expect(abs(a.expectedShortfall - parametric.expectedShortfall) / parametric.expectedShortfall < 0.02)
    }

    @Test func estimatorsRejectBadInputWithTypedErrors() {
        #expect(throws: VaRError.tooFewReturns(count: 1, needed: 2)) { try ValueAtRisk.historical(returns: [0.1], confidence: 0.99) }
        #expect(throws: VaRError.invalidConfidence(1)) { try ValueAtRisk.parametric(returns: [0.1, 0.2], confidence: 1) }
        #expect(throws: VaRError.nonFiniteReturn(index: 1)) { try ValueAtRisk.parametric(returns: [0.1, .nan], confidence: 0.9) }
        #expect(throws: VaRError.invalidPathCount(0)) {
            try ValueAtRisk.monteCarlo(returns: [0.1, 0.2], confidence: 0.9, paths: 0)
        }
    }

    @Test func returnWindowKeepsTheNewestInOrder() {
        var w = ReturnWindow(capacity: 3)
        for r in [0.01, 0.02, 0.03, 0.04] { w.append(r) }
        #expect(w.values == [0.02, 0.03, 0.04])
        let tookInfinity = w.append(.infinity)
        #expect(!tookInfinity)
        let tookEquity = w.append(equityFrom: 100, to: 90)
        #expect(tookEquity)
        #expect(w.values.count == 3)
        #expect(abs((w.values.last ?? 0) - -0.1) < 1e-15)
        let tookZero = w.append(equityFrom: 0, to: 90)
        #expect(!tookZero)
    }
}
