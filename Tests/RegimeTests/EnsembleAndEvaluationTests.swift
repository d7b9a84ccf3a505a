import Foundation
import Testing
@testable import Regime

@Suite struct EnsembleAndEvaluationTests {
    static let series = ["synthetic.csv", "synthetic_seed7.csv"]

    @Test(arguments: series)
    func onlineEnsembleReachesEightyFivePercentOnTheSyntheticSeries(name: String) throws {
        let (x, s) = try Fixtures.synthetic(name)
        var o = RegimeEvaluation.Options()
        o.fit = .online
        o.selection = .list([.hmm, .bocpd, .garch, .cusum])
        let (r, rows) = try RegimeEvaluation.run(values: x, trueStates: s, options: o)
        let acc = try #require(r.accuracy?["ensemble"])
        #expect(acc >= 0.85, "\(name): online ensemble accuracy \(acc)")
        #expect(rows.ensemble.count == x.count && rows.states.count == 4)
        #expect(r.ensemble.stateCounts.reduce(0, +) == x.count)
    }

    /// The seed's detectors (hmm, gmm, cusum, threshold; weighted average, adaptation on), strictly
    /// causal: the issue's target, online ensemble accuracy ≥ 0.85. Measured: ensemble 0.902 / 0.865
    /// (majority 0.902 / 0.865); before the HMM's volatility-clustered restart and the realised
    /// labels against the HMM's levels: 0.848 / 0.866; before the doubling refits: 0.825 / 0.813.
    @Test(arguments: series)
    func seedDetectorsOnlineReachEightyFivePercentOnTheSyntheticSeries(name: String) throws {
        let (x, s) = try Fixtures.synthetic(name)
        var o = RegimeEvaluation.Options()
        o.fit = .online
        let (r, _) = try RegimeEvaluation.run(values: x, trueStates: s, options: o)
        let acc = try #require(r.accuracy)
        #expect((acc["gmm"] ?? 0) >= 0.76, "\(name) gmm \(acc["gmm"] ?? 0)")
        #expect((acc["threshold"] ?? 0) >= 0.77, "\(name) threshold \(acc["threshold"] ?? 0)")
        #expect((acc["hmm"] ?? 0) >= 0.87, "\(name) \(acc)")
        #expect((acc["ensemble"] ?? 0) >= 0.85, "\(name) online ensemble \(acc["ensemble"] ?? 0)")
        o.ensemble.votingMethod = .majority
        let majority = try #require(try RegimeEvaluation.run(values: x, trueStates: s, options: o).result.accuracy?["ensemble"])
        #expect(majority >= 0.85, "\(name) majority \(majority)")
    }

    /// With an HMM among the detectors the realised regime is labelled against its fitted states'
    /// volatilities; without one (or with the option off), against k-means levels of the window.
    @Test func realisedLevelsComeFromTheFittedHMM() throws {
        let (x, _) = try Fixtures.synthetic()
        let w = Array(x.prefix(1500))
        var c = RegimeEnsembleConfiguration()
        let e = try RegimeEnsemble(configuration: c)
        e.refit(window: w)
        let hmm = try #require(e.models.first as? HMMRegimeModel)
        let sd = try #require(hmm.model).covars.map { $0.squareRoot() }
        let lv = try #require(e.realizedLevels).levels
        for (a, b) in zip(lv, sd) { #expect(abs(a - b) < 1e-9 * b) }
        c.realizedLevelsFromHMM = false
        let k = try #require(RegimeEnsemble.realizedLevels(w, configuration: c, models: e.models))
        #expect(k.levels.levels != lv && k.levels.count == 3)
    }

    @Test func refitsGrowGeometricallyDuringTheWarmUpThenFollowTheInterval() throws {
        var c = RegimeEnsembleConfiguration()
        c.warmUp = 100; c.refitInterval = 300; c.fitWindow = 1000
        func schedule(_ c: RegimeEnsembleConfiguration) throws -> [Int] {
            let e = try RegimeEnsemble(configuration: c)
            var due: [Int] = []
            for t in 1...1500 { e.update(Double(t % 7) - 3); if e.refitDue { due.append(t) } }
            return due
        }
        // Default growth 1.25: 100·1.25ⁿ rounded from the previous refit, up to the fit window,
        // merged with every 300 after the warm-up.
        #expect(try schedule(c) == [100, 125, 156, 195, 244, 305, 381, 400, 476, 595, 700, 744, 930, 1000, 1300])
        c.refitGrowth = 2
        #expect(try schedule(c) == [100, 200, 400, 700, 800, 1000, 1300])
        c.refitGrowth = 1
        #expect(throws: RegimeError.self) { try RegimeEnsemble(configuration: c) }
        c.refitGrowth = 2
        c.refitInterval = 0
        let never = try RegimeEnsemble(configuration: c)
        var count = 0
        for t in 1...1500 { never.update(Double(t % 7) - 3); if never.refitDue { count += 1 } }
        #expect(count == 1)
    }

    @Test func closeRealisedLevelsHoldTheWeights() throws {
        // Levels 0.39, 0.52, 1.04 (a fit window without its crisis regime) over w = 20: the two
        // lower ones are 1.8 noise deviations apart, so labels would err ~18% > 10% of the time.
        #expect(!RegimeEnsemble.separable(VolatilityLevels(levels: [0.39, 0.52, 1.04]), window: 20, errorRate: 0.1))
        #expect(RegimeEnsemble.separable(VolatilityLevels(levels: [0.49, 1.13, 3.13]), window: 20, errorRate: 0.1))
        #expect(abs(RegimeEnsemble.normalQuantile(0.9) - 1.2815515655446004) < 1e-8)
        #expect(abs(RegimeEnsemble.normalQuantile(0.001) + 3.090232306167813) < 1e-8)
        // While held, the weights stay equal however the voters disagree.
        let (x, _) = try Fixtures.synthetic()
        let e = try RegimeEnsemble()
        e.refit(window: Array(x.prefix(250)))
        e.installRealized(VolatilityLevels(levels: [0.39, 0.52, 1.04]), mean: 0)
        for v in x[250..<500] { e.update(v) }
        #expect(!e.realizedInformative && Set(e.weights).count == 1)
        e.installRealized(VolatilityLevels(levels: [0.49, 1.13, 3.13]), mean: 0)
        for v in x[500..<900] { e.update(v) }
        #expect(e.realizedInformative && Set(e.weights).count > 1, "\(e.weights)")
        // Log-odds weights: the voter that agrees most weighs most.
        let best = try #require(e.agreement.indices.max { e.agreement[$0] < e.agreement[$1] })
        #expect(e.weights[best] == e.weights.max())
    }

    @Test func onlineEvaluationIsCausal() throws {
        let x = Array(try Fixtures.synthetic().returns.prefix(1300))
        var o = RegimeEvaluation.Options()
        o.selection = .all
        o.ensemble.refitInterval = 200
        let full = try RegimeEvaluation.run(values: x, options: o).rows
        let prefix = try RegimeEvaluation.run(values: Array(x.prefix(800)), options: o).rows
        #expect(Array(full.ensemble.prefix(800)) == prefix.ensemble)
        #expect(Array(full.confidence.prefix(800)) == prefix.confidence)
        for d in 0..<full.states.count { #expect(Array(full.states[d].prefix(800)) == prefix.states[d]) }
    }

    @Test func offlineEvaluationUsesViterbiForTheHMM() throws {
        let (x, s) = try Fixtures.synthetic()
        var o = RegimeEvaluation.Options()
        o.fit = .offline
        o.ensemble.seed = 0
        let (r, rows) = try RegimeEvaluation.run(values: x, trueStates: s, options: o)
        let e = try RegimeEnsemble(configuration: o.resolvedEnsemble())
        e.refit(window: x)
        let hmm = try #require(e.models.first as? HMMRegimeModel)
        #expect(rows.states[0] == hmm.model?.viterbi(x).states)
        #expect((r.accuracy?["hmm"] ?? 0) >= 0.955)
        let json = String(decoding: try JSONEncoder().encode(r), as: UTF8.self)
        #expect(json.contains("\"per_detector\"") && json.contains("\"state_counts\"") && json.contains("\"accuracy\""))
    }

    @Test func badOptionsNameTheOptionAndValue() {
        #expect(throws: RegimeError.unknownDetector(name: "foo", known: RegimeDetectorKind.allCases.map(\.rawValue))) {
            try RegimeEvaluation.Selection.parse("hmm,foo")
        }
        #expect(throws: RegimeError.invalidParameter(name: "--fit", value: "batch", allowed: "offline, online")) {
            try RegimeEvaluation.Options.parseFit("batch")
        }
        do { _ = try RegimeEvaluation.Options.parseStates("1"); Issue.record("expected an error") }
        catch { #expect(error.description.contains("--states") && error.description.contains("'1'")) }
        #expect(throws: RegimeError.self) { try RegimeEnsembleConfiguration.votingMethod("mean") }
        var c = RegimeEnsembleConfiguration()
        c.ensembleSize = 9
        do { try c.validate(); Issue.record("expected an error") } catch { #expect(error.description.contains("ensemble_size")) }
        #expect(throws: RegimeError.invalidTrueStates(reason: "2 labels for 3 rows")) {
            try RegimeEvaluation.run(values: [1, 2, 3], trueStates: [0, 1], options: .init())
        }
    }

    @Test func matchedAccuracyFindsTheBestRelabelling() {
        #expect(RegimeEvaluation.matchedAccuracy([2, 2, 0, 0, 1], [0, 0, 1, 1, 2]) == 1)
        #expect(RegimeEvaluation.matchedAccuracy([0, 0, 0, 0], [0, 1, 1, 1]) == 0.75)
    }

    @Test func regimeChangeNamesTheDetectorsThatMoved() throws {
        var c = RegimeEnsembleConfiguration()
        c.detectors = [.hmm, .cusum, .threshold]
        c.ensembleSize = 3
        c.states = 2
        c.votingMethod = .majority
        let e = try RegimeEnsemble(configuration: c)
        var r = RegimeRandom(seed: 9)
        let warm = (0..<400).map { _ in (r.uniform() < 0.5 ? 0.5 : 3) * r.normal() }
        e.refit(window: warm)
        for _ in 0..<300 { e.update(0.5 * r.normal()) }
        var change: RegimeSignal?
        for _ in 0..<100 { let s = e.update(3 * r.normal()); if s.changed { change = s; break } }
        let s = try #require(change)
        #expect(s.state == 1 && !s.uncertain && !s.triggeredBy.isEmpty)
        #expect(s.triggeredBy.kinds.allSatisfy { c.detectors.contains($0) })
    }

    @Test func lowConfidenceIsFlaggedUncertain() throws {
        var c = RegimeEnsembleConfiguration()
        c.confidenceThreshold = 0.99
        let e = try RegimeEnsemble(configuration: c)
        let s = e.update(0.1)   // nothing fitted yet: uniform probabilities
        #expect(s.uncertain && abs(s.confidence - 1.0 / 3) < 1e-12 && !s.changed)
    }

    @Test func bookKeepsOneEnsemblePerSymbol() throws {
        let book = try RegimeBook()
        _ = book.update(symbol: "A", observation: 0.1)
        _ = book.update(symbol: "A", observation: 0.2)
        let b = book.update(symbol: "B", observation: 0.1)
        #expect(book.ensembles.count == 2 && b.signal.tick == 1 && book.ensemble(for: "A").tick == 2)
    }
}
