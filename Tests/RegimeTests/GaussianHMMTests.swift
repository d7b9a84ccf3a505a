import Foundation
import Testing
@testable import Regime

@Suite struct GaussianHMMTests {
    @Test func baumWelchIterationsMatchHmmlearnFromFixedStart() throws {
        let ref = try Fixtures.json("hmm_em_reference.json")
        let x = Array(try Fixtures.synthetic().returns.prefix(600))
        let ini = ref["initial"] as? [String: Any] ?? [:]
        let start = try GaussianHMM(startprob: Fixtures.doubles(ini["startprob"]), transmat: Fixtures.doubles(ini["transmat"]),
                                    means: Fixtures.doubles(ini["means"]), covars: Fixtures.doubles(ini["covars"]))
        var c = GaussianHMM.FitConfiguration(states: 3)
        c.iterations = 5; c.tolerance = 0
        let (m, iters, _) = GaussianHMM.baumWelch(x, from: start, configuration: c)
        #expect(iters == 5)
        let after = ref["after"] as? [String: Any] ?? [:]
        for (mine, key) in [(m.startprob, "startprob"), (m.transmat, "transmat"), (m.means, "means"), (m.covars, "covars")] {
            let theirs = Fixtures.doubles(after[key])
            #expect(theirs.count == mine.count)
            for (a, b) in zip(mine, theirs) { #expect(abs(a - b) <= 1e-7 * max(1, abs(b)), "\(key): \(a) vs \(b)") }
        }
        #expect(abs(m.score(x) - Fixtures.double(ref["score"])) < 1e-6)
    }

    @Test func viterbiWithTrueParametersReproducesHmmlearnAccuracy() throws {
        let ref = try Fixtures.json("synthetic_reference.json")
        let t = ref["true"] as? [String: Any] ?? [:]
        let (x, states) = try Fixtures.synthetic()
        let m = try GaussianHMM(startprob: Fixtures.doubles(t["startprob"]), transmat: Fixtures.doubles(t["transmat"]),
                                means: Fixtures.doubles(t["means"]), covars: Fixtures.doubles(t["covars"]))
        let path = m.viterbi(x).states
        let acc = Double(zip(path, states).filter { $0 == $1 }.count) / Double(x.count)
        #expect(abs(acc - Fixtures.double(ref["true_viterbi_accuracy"])) < 1e-12)
    }

    @Test func offlineFitDecodesWithinOnePointOfTrueParameters() throws {
        let ref = try Fixtures.json("synthetic_reference.json")
        let (x, states) = try Fixtures.synthetic()
        var c = GaussianHMM.FitConfiguration(states: 3)
        c.iterations = 1000; c.tolerance = 1e-4
        let (m, report) = try GaussianHMM.fit(x, configuration: c)
        let acc = RegimeEvaluation.matchedAccuracy(m.viterbi(x).states, states)
        let trueAcc = Fixtures.double(ref["true_viterbi_accuracy"])
        #expect(acc >= trueAcc - 0.01, "offline HMM accuracy \(acc) vs true-parameter \(trueAcc)")
        #expect(report.logLikelihood >= Fixtures.double(ref["hmmlearn_score"]) - 1e-3)
        #expect(m.covars == m.covars.sorted())
    }

    @Test func twoStateSP500FitAgreesWithHmmlearnAndFlagsTheCrisis() throws {
        let ref = try Fixtures.json("sp500_reference.json")
        let (dates, x) = try Fixtures.sp500()
        var c = GaussianHMM.FitConfiguration(states: 2)
        c.iterations = 1000; c.tolerance = 1e-4
        let (m, _) = try GaussianHMM.fit(x, configuration: c)
        let p = ref["hmm2"] as? [String: Any] ?? [:]
        for (a, b) in zip(m.covars, Fixtures.doubles(p["covars"])) { #expect(abs(a - b) < 0.01 * b) }
        for (a, b) in zip(m.transmat, Fixtures.doubles(p["transmat"])) { #expect(abs(a - b) < 2e-3) }
        let path = m.viterbi(x).states
        let theirs = (ref["hmm2_path"] as? String ?? "").compactMap { $0.wholeNumberValue }
        #expect(theirs.count == path.count)
        let agree = Double(zip(path, theirs).filter { $0 == $1 }.count) / Double(max(path.count, 1))
        #expect(agree >= 0.95, "agreement with hmmlearn \(agree)")
        let crisis = zip(dates, path).filter { $0.0 >= "2008-09-15" && $0.0 <= "2009-06-30" }.map(\.1)
        let share = Double(crisis.filter { $0 == 1 }.count) / Double(max(crisis.count, 1))
        #expect(crisis.count > 150 && share >= 0.9, "high-vol share in 2008-09: \(share)")
    }

    /// K = 3 takes the unrolled forward step, K = 4 the general one; both must be the forward pass.
    @Test(arguments: [3, 4])
    func onlineFilterMatchesOfflineForwardPass(states k: Int) throws {
        let (x, _) = try Fixtures.synthetic()
        let d = try HMMRegimeModel(configuration: .init(states: k))
        try d.fit(Array(x.prefix(1000)))
        let m = try #require(d.model)
        let f = m.scaledFrames(x)
        let alpha = m.forward(frame: f.frame, rowMax: f.rowMax, count: x.count).alpha
        var worst = 0.0
        for t in 0..<x.count {
            let p = d.update(x[t])
            for j in 0..<k { worst = max(worst, abs(p[j] - alpha[t * k + j])) }
        }
        #expect(worst < 1e-9, "largest difference \(worst)")
        // A return far outside every state (all emissions underflow in linear space) still
        // gives a distribution, all of it on the widest state.
        let p = d.update(1e6)
        #expect(abs(p.reduce(0, +) - 1) < 1e-12 && p[k - 1] > 0.999, "\(p)")
    }

    /// From hmmlearn's start (k-means on the values, equal variances) EM often splits a scale
    /// mixture by location; the restart from clustered local volatility reaches the optimum.
    @Test func volatilityClusteredRestartReachesTheThreeRegimeOptimum() throws {
        let (x, _) = try Fixtures.synthetic()
        let w = Array(x.prefix(1250))
        var hmmlearnOnly = GaussianHMM.FitConfiguration(states: 3)
        hmmlearnOnly.scaleRestarts = 0
        var withScale = hmmlearnOnly
        withScale.scaleRestarts = 1
        let (a, ra) = try GaussianHMM.fit(w, configuration: hmmlearnOnly)
        let (b, rb) = try GaussianHMM.fit(w, configuration: withScale)
        #expect(rb.logLikelihood >= ra.logLikelihood - 1e-9)
        // True variances 0.25, 1.44, 9.
        #expect(b.covars[0] < 0.4 && b.covars[1] > 0.9 && b.covars[1] < 2.5 && b.covars[2] > 5, "\(b.covars) (hmmlearn starts: \(a.covars))")
        var random = RegimeRandom(seed: 1)
        let start = GaussianHMM.scaleInitialModel(w, configuration: withScale, random: &random)
        #expect(Set(start.covars).count == 3 && start.covars.allSatisfy { $0 > 0 && $0.isFinite })
        for i in 0..<3 { #expect(abs(start.transmat[(i * 3)..<(i * 3 + 3)].reduce(0, +) - 1) < 1e-12) }
    }

    /// hmmlearn's `bic`; with state selection a window of two regimes gets two states, in the
    /// lowest slots, and a later fit with fewer states is placed by the earlier fits' anchors.
    @Test func stateSelectionByBICPlacesFewerStatesInStableSlots() throws {
        var r = RegimeRandom(seed: 3)
        let two = (0..<600).map { t in (t / 100 % 2 == 0 ? 0.5 : 1.2) * r.normal() }
        var c = GaussianHMM.FitConfiguration(states: 2)
        c.seed = 0
        let (m, _) = try GaussianHMM.fit(two, configuration: c)
        #expect(abs(m.bic(two) - (-2 * m.score(two) + 7 * log(600.0))) < 1e-9)
        let d = try HMMRegimeModel(configuration: .init(states: 3), selectsStates: true)
        try d.fit(two)
        #expect(d.occupiedSlots == [0, 1])
        let model = try #require(d.model)
        #expect(model.startprob[2] == 0 && model.transmat[2] == 0 && model.transmat[5] == 0)
        let p = d.update(5.0)
        #expect(p[2] == 0 && abs(p.reduce(0, +) - 1) < 1e-12)
        #expect(CanonicalSlots.assign([log(1.4), log(9)], slots: 3, anchors: [log(0.25), log(1.5), log(8)]) == [1, 2])
        #expect(CanonicalSlots.assign([log(1.4), log(9)], slots: 3, anchors: [log(0.25), nil, nil]) == [0, 1])
    }

    @Test func invalidParametersAreRejectedWithTheirName() {
        #expect(throws: RegimeError.invalidParameter(name: "states", value: "9", allowed: "2...8")) {
            try HMMRegimeModel(configuration: .init(states: 9))
        }
        do {
            _ = try GaussianHMM(startprob: [0.5, 0.6], transmat: [1, 0, 0, 1], means: [0, 0], covars: [1, 1])
            Issue.record("expected an error")
        } catch { #expect(error.description.contains("startprob")) }
    }
}
