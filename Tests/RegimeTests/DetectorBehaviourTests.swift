import Foundation
import Testing
@testable import Regime

/// A calm then a turbulent block, deterministic.
private func twoRegimes(calm: Int = 400, wild: Int = 200, seed: UInt64 = 7) -> [Double] {
    var r = RegimeRandom(seed: seed)
    return (0..<calm).map { _ in 0.5 * r.normal() } + (0..<wild).map { _ in 3 * r.normal() }
}

@Suite struct DetectorBehaviourTests {
    @Test(arguments: RegimeDetectorKind.allCases.filter { $0 != .trend })
    func everyVolatilityDetectorEndsInTheHighStateAfterAVarianceJump(kind: RegimeDetectorKind) throws {
        let warm = twoRegimes(seed: 3)
        let d = try kind.make(states: 2)
        try d.fit(warm)
        let x = twoRegimes()
        var states: [Int] = []
        for v in x { states.append(d.updateState(v)) }
        let lateCalm = states[300..<400].filter { $0 == 0 }.count
        let lateWild = states[500..<600].filter { $0 == 1 }.count
        #expect(lateCalm >= 80, "\(kind): calm block labelled calm \(lateCalm)/100")
        // The mixture has no memory: a N(0, 3²) draw falls in the calm component's range ~30% of the time.
        #expect(lateWild >= (kind == .gmm ? 60 : 80), "\(kind): wild block labelled wild \(lateWild)/100")
    }

    @Test func updateBeforeFitIsUniformAndProbabilitiesSumToOne() throws {
        for kind in RegimeDetectorKind.allCases where kind != .trend {
            let d = try kind.make(states: 3)
            let p = d.update(0.1)
            #expect(p.allSatisfy { abs($0 - 1.0 / 3) < 1e-12 }, "\(kind) before fit: \(p)")
            try d.fit(twoRegimes())
            for v in [0.1, -2.0, .nan, 5.0] {
                let q = d.update(v)
                #expect(abs(q.reduce(0, +) - 1) < 1e-9 && q.allSatisfy { $0 >= 0 }, "\(kind): \(q)")
            }
        }
    }

    @Test func cusumMovesOneLevelOnAlarmAndResetsItsSums() throws {
        let d = try CUSUMRegimeModel(configuration: .init(states: 2))
        try d.fit(twoRegimes())
        d.reset()
        var moved = -1
        for (i, v) in twoRegimes(calm: 0, wild: 50, seed: 11).enumerated() {
            _ = d.updateState(v)
            if d.state == 1 { moved = i; break }
        }
        #expect(moved >= 0 && moved < 15)
        #expect(d.upSum == 0 && d.downSum == 0)
    }

    @Test func bocpdChangeProbabilityRisesAtTheBreak() throws {
        let d = try BOCPDRegimeModel(configuration: .init(states: 2))
        let x = twoRegimes()
        try d.fit(x)
        var before = 0.0, after = 0.0
        for (i, v) in x.enumerated() {
            _ = d.updateState(v)
            if i >= 300 && i < 400 { before = max(before, d.changeProbability) }
            if i >= 400 && i < 420 { after = max(after, d.changeProbability) }
        }
        #expect(after > 0.5 && before < 0.5, "P(recent change) before \(before), after \(after)")
        #expect(d.liveRuns <= d.configuration.maxRunLength)
    }

    @Test func trendDetectorCallsUpFlatAndDown() throws {
        let d = try TrendRegimeModel()
        var r = RegimeRandom(seed: 5)
        var last = 1
        for _ in 0..<300 { last = d.updateState(0.5 + 0.5 * r.normal()) }
        #expect(last == 2)
        for _ in 0..<300 { last = d.updateState(-0.5 + 0.5 * r.normal()) }
        #expect(last == 0)
        for _ in 0..<300 { last = d.updateState(0.5 * r.normal()) }
        #expect(last == 1)
    }

    @Test func thresholdDetectorUsesConfiguredThresholds() throws {
        var c = VolatilityThresholdModel.Configuration(states: 3)
        c.thresholds = .fixed([1, 2])
        let d = try VolatilityThresholdModel(configuration: c)
        #expect(d.isFitted)
        var s = 0
        for _ in 0..<200 { s = d.updateState(1.5) }
        #expect(s == 1)
        for _ in 0..<200 { s = d.updateState(4) }
        #expect(s == 2)
        c.thresholds = .fixed([2, 1])
        #expect(throws: RegimeError.self) { try VolatilityThresholdModel(configuration: c) }
    }

    @Test func thresholdQuantilesFollowNumpy() {
        #expect(VolatilityThresholdModel.quantile([1, 2, 3, 4], 0.5) == 2.5)
        #expect(VolatilityThresholdModel.quantile([4, 1, 3, 2], 1.0 / 3) == 2)
    }
}
