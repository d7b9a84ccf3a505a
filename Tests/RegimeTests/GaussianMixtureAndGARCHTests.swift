import Foundation
import Testing
@testable import Regime

@Suite struct GaussianMixtureAndGARCHTests {
    @Test func convergedMixtureMatchesScikitLearn() throws {
        let ref = (try Fixtures.json("synthetic_reference.json"))["gmm_tight"] as? [String: Any] ?? [:]
        let (x, _) = try Fixtures.synthetic()
        var c = GaussianMixture1D.Configuration(components: 3)
        c.tolerance = 1e-10; c.maxIterations = 10000
        let m = try GaussianMixture1D.fit(x, configuration: c)
        #expect(abs(m.lowerBound - Fixtures.double(ref["lower_bound"])) < 1e-7)
        for (a, b) in zip(m.weights, Fixtures.doubles(ref["weights"])) { #expect(abs(a - b) < 1e-4) }
        for (a, b) in zip(m.means, Fixtures.doubles(ref["means"])) { #expect(abs(a - b) < 1e-4) }
        for (a, b) in zip(m.variances, Fixtures.doubles(ref["variances"])) { #expect(abs(a - b) < 1e-4 * max(1, b)) }
        #expect(m.variances == m.variances.sorted())
    }

    @Test func stickyFilterWithDurationOneIsScikitLearnsPredictProba() throws {
        let (x, _) = try Fixtures.synthetic()
        let d = try GMMRegimeModel(configuration: .init(components: 3), window: 1)
        try d.fit(Array(x.prefix(1000)))
        let m = try #require(d.mixture)
        let q = m.predictProbabilities(Array(x.prefix(300)))
        var worst = 0.0
        for t in 0..<300 { let p = d.update(x[t]); for j in 0..<3 { worst = max(worst, abs(p[j] - q[t * 3 + j])) } }
        #expect(worst < 1e-9, "largest difference \(worst)")
    }

    @Test func stickyFilterFollowsASwitchWithinAFewReturns() throws {
        let (x, _) = try Fixtures.synthetic()
        let d = try GMMRegimeModel(configuration: .init(components: 3), window: 20)
        try d.fit(x)
        var r = RegimeRandom(seed: 5)
        for _ in 0..<200 { _ = d.update(0.5 * r.normal()) }
        #expect(d.updateState(0.5 * r.normal()) == 0)
        var switched = -1
        for i in 0..<40 where d.updateState(3 * r.normal()) == 2 { switched = i; break }
        #expect(switched >= 0 && switched < 10, "crisis state after \(switched) returns")
    }

    @Test func defaultMixtureStopsNearScikitLearnsLowerBound() throws {
        let ref = (try Fixtures.json("synthetic_reference.json"))["gmm"] as? [String: Any] ?? [:]
        let (x, _) = try Fixtures.synthetic()
        let m = try GaussianMixture1D.fit(x, configuration: .init(components: 3))
        #expect(abs(m.lowerBound - Fixtures.double(ref["lower_bound"])) < 1e-3)
    }

    @Test(arguments: [GARCH11.MeanModel.constant, .zero])
    func garchParametersMatchArch(mean: GARCH11.MeanModel) throws {
        let ref = (try Fixtures.json("sp500_reference.json"))["garch"] as? [String: Any] ?? [:]
        let r = ref[mean == .constant ? "Constant" : "Zero"] as? [String: Any] ?? [:]
        let (_, y) = try Fixtures.sp500()
        let g = try GARCH11.fit(y, mean: mean)
        #expect(abs(g.omega - Fixtures.double(r["omega"])) < 1e-3 * Fixtures.double(r["omega"]) * 10)
        #expect(abs(g.alpha - Fixtures.double(r["alpha[1]"])) < 1e-3)
        #expect(abs(g.beta - Fixtures.double(r["beta[1]"])) < 1e-3)
        if mean == .constant { #expect(abs(g.mu - Fixtures.double(r["mu"])) < 1e-3) } else { #expect(g.mu == 0) }
        #expect(g.logLikelihood >= Fixtures.double(r["loglikelihood"]) - 1e-4)
    }

    @Test func garchDetectorRaisesItsStateInTheCrisis() throws {
        let (dates, y) = try Fixtures.sp500()
        let d = try GARCHRegimeModel(states: 2)
        try d.fit(Array(y.prefix(2000)))
        var high = 0, n = 0
        for (date, v) in zip(dates, y) {
            let s = d.updateState(v)
            if date >= "2008-10-01" && date <= "2009-03-31" { n += 1; high += s }
        }
        #expect(n > 100 && Double(high) / Double(n) > 0.95)
    }

    @Test func garchRejectsTooShortWindow() {
        #expect(throws: RegimeError.notEnoughData(detector: "garch", needed: 20, got: 5)) { try GARCH11.fit([1, 2, 3, 4, 5]) }
    }
}
