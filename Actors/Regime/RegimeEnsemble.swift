// Ensemble of regime detectors for one symbol: weighted-average or weighted-majority vote,
// adaptive weights by dynamic model averaging (Raftery, Kárný & Ettler 2010: exponentially
// forgotten posterior model probabilities) against the regime labelled after the fact by
// trailing realised volatility, confidence threshold, and a regime-change flag naming its triggers.

import Foundation

/// Runs the configured detectors on one observation stream and combines the voters.
/// `update` is the hot path (no allocation); `refit` is called by the owner when `refitDue`
/// is true, off the hot path.
public final class RegimeEnsemble {
    public let configuration: RegimeEnsembleConfiguration
    /// All running detectors, in `configuration.detectors` order.
    public internal(set) var models: [any RegimeModel]
    /// Kinds of `models`.
    public let kinds: [RegimeDetectorKind]
    /// Indices into `models` of the voters.
    public let voterIndices: [Int]
    /// Current weights of the voters (same order as `voterIndices`; normalised when used).
    public var weights: [Double] { (0..<store.voterCount).map { store.weights[$0] } }
    /// Discounted rate at which each voter's most probable state agreed with the realised regime
    /// (0...1; for reports, the weights use the probabilities).
    public var agreement: [Double] { (0..<store.voterCount).map { store.agreement[$0] } }
    /// Log of each voter's unnormalised model probability (dynamic model averaging).
    public var logWeights: [Double] { (0..<store.voterCount).map { store.logWeights[$0] } }
    /// Observations seen.
    public private(set) var tick = 0
    /// Levels that label the realised regime (nil before the first fit).
    public internal(set) var realizedLevels: VolatilityLevels?
    /// Last signal.
    public private(set) var lastSignal: RegimeSignal

    private let k: Int
    let store: RegimeEnsembleStorage
    var historyHead = 0
    /// Finite observations stored in the history ring so far (non-finite ones are skipped).
    var storedCount = 0
    var realizedSum = 0.0
    private var confirmedState = -1
    private var lastChangeTick = 0
    var meanEstimate = 0.0

    /// - Throws: ``RegimeError/invalidParameter(name:value:allowed:)`` naming the bad option.
    public init(configuration c: RegimeEnsembleConfiguration = .init()) throws(RegimeError) {
        try c.validate()
        configuration = c
        k = c.states
        kinds = c.detectors
        var ms: [any RegimeModel] = []
        for kind in c.detectors { ms.append(try kind.make(states: c.states, seed: c.seed)) }
        models = ms
        let vs = c.voters.compactMap { v in c.detectors.firstIndex(of: v) }
        voterIndices = vs
        store = RegimeEnsembleStorage(models: ms, voters: vs, states: c.states, realizedWindow: c.realizedWindow,
                                      historyCapacity: c.fitWindow)
        lastSignal = RegimeSignal(state: 0, probabilities: RegimeProbabilities(uniform: c.states), confidence: 0,
                                  uncertain: true, changed: false, triggeredBy: RegimeDetectorSet(), tick: 0)
    }

    /// True when the owner should call `refit()` now: at `warmUp` observations, then every
    /// `refitInterval`.
    public var refitDue: Bool {
        if tick == configuration.warmUp { return true }
        let r = configuration.refitInterval
        return r > 0 && tick > configuration.warmUp && (tick - configuration.warmUp) % r == 0
    }

    /// The last min(tick, fitWindow) observations, oldest first (allocates).
    public var recentObservations: [Double] {
        let h = store.historyCapacity, n = min(storedCount, h)
        return (0..<n).map { store.history[(historyHead - n + $0 + h) % h] }
    }

    /// Fits every detector on the recent observations (or on `window` if given) and relearns the
    /// realised-regime levels. Off the hot path. Returns the detectors that failed to fit and why;
    /// they keep their previous parameters.
    @discardableResult
    public func refit(window: [Double]? = nil) -> [RegimeDetectorKind: RegimeError] {
        let w = window ?? recentObservations
        var failures: [RegimeDetectorKind: RegimeError] = [:]
        for (i, m) in models.enumerated() {
            do { try m.fit(w) } catch { failures[kinds[i]] = error }
        }
        if let r = Self.realizedLevels(w, configuration: configuration) { installRealized(r.levels, mean: r.mean) }
        return failures
    }

    /// Levels of the trailing realised volatility of `w` (k-means, K levels) and the mean of `w`;
    /// nil when `w` is not longer than the realised window.
    static func realizedLevels(_ w: [Double], configuration c: RegimeEnsembleConfiguration) -> (levels: VolatilityLevels, mean: Double)? {
        guard w.count > c.realizedWindow else { return nil }
        let mean = w.reduce(0, +) / Double(w.count)
        let rv = RealizedVolatilityClusterModel.rollingVolatility(w, window: c.realizedWindow, mean: mean)
        return (VolatilityLevels(fitting: Array(rv.dropFirst(c.realizedWindow - 1)), k: c.states, seed: c.seed), mean)
    }

    /// Installs realised-regime levels and recomputes the trailing realised sum around `mean`.
    func installRealized(_ levels: VolatilityLevels, mean: Double) {
        meanEstimate = mean
        let h = store.historyCapacity
        let m = min(storedCount, configuration.realizedWindow, h)
        realizedSum = 0
        for i in 0..<m { let v = store.history[(historyHead - 1 - i + 2 * h) % h] - mean; realizedSum += v * v }
        realizedLevels = levels
    }

    /// Probabilities most recently written by detector `index` (into `out`, ≥ its state count).
    public func probabilities(ofDetector index: Int, into out: UnsafeMutableBufferPointer<Double>) {
        for j in 0..<store.stateCounts[index] { out[j] = store.probs[index * RegimeProbabilities.capacity + j] }
    }

    /// Most probable state of detector `index` after the last update.
    public func state(ofDetector index: Int) -> Int { max(store.lastArgmax[index], 0) }

    /// Feeds one observation to every detector and returns the combined signal. No allocation.
    @discardableResult
    public func update(_ x: Double) -> RegimeSignal {
        tick += 1
        let cap = RegimeProbabilities.capacity
        let w = configuration.realizedWindow
        let st = store, h = st.historyCapacity
        // Trailing realised variance uses the same ring as the refit history.
        if x.isFinite {
            let outgoing = storedCount >= w ? st.history[(historyHead - w + h) % h] : Double.nan
            st.history[historyHead] = x
            storedCount += 1
            historyHead = historyHead + 1 == h ? 0 : historyHead + 1
            realizedSum += (x - meanEstimate) * (x - meanEstimate)
            if outgoing.isFinite { realizedSum -= (outgoing - meanEstimate) * (outgoing - meanEstimate) }
        }
        for i in 0..<st.modelCount {
            let slice = UnsafeMutableBufferPointer(start: st.probs + i * cap, count: cap)
            st.models[i].update(x, into: slice)
            var a = 0
            for j in 1..<st.stateCounts[i] where slice[j] > slice[a] { a = j }
            if a != st.lastArgmax[i] { st.lastArgmax[i] = a; st.lastSwitchTick[i] = tick }
        }
        if configuration.adaptationEnabled { adapt() }
        return combine()
    }

    /// Dynamic model averaging against the realised regime: the trailing realised volatility
    /// labels the observation `w/2` ago (the window's centre); each voter's probabilities of that
    /// time give the label's likelihood P_d = (1 − ε)p + ε(1 − p)/(K − 1), and
    /// log w_d ← (1 − rate) · log w_d + log P_d; weights are exp(log w_d − max) floored at
    /// `minimumWeight`, so a voter can recover.
    private func adapt() {
        let st = store
        let w = configuration.realizedWindow, nv = st.voterCount, cap = RegimeProbabilities.capacity
        let slot = tick % w
        let lag = w / 2
        if tick > w + lag, let lv = realizedLevels {
            let label = lv.state(of: (max(realizedSum, 0) / Double(w)).squareRoot())
            let pastSlot = (tick - lag) % w
            let eta = configuration.adaptationRate, eps = configuration.labelErrorRate
            let other = eps / Double(max(k - 1, 1))
            var best = -Double.infinity
            for v in 0..<nv {
                let agree = st.pastVotes[pastSlot * nv + v] == label ? 1.0 : 0.0
                st.agreement[v] = (1 - eta) * st.agreement[v] + eta * agree
                let p = st.pastProbs[(pastSlot * nv + v) * k + label]
                st.logWeights[v] = (1 - eta) * st.logWeights[v] + log((1 - eps) * p + other * (1 - p) + 1e-300)
                best = max(best, st.logWeights[v])
            }
            let floor = configuration.minimumWeight
            for v in 0..<nv { st.weights[v] = max(floor, exp(st.logWeights[v] - best)) }
        }
        for v in 0..<nv {
            let i = st.voters[v]
            st.pastVotes[slot * nv + v] = st.lastArgmax[i]
            for j in 0..<k { st.pastProbs[(slot * nv + v) * k + j] = st.probs[i * cap + j] }
        }
    }

    private func combine() -> RegimeSignal {
        let cap = RegimeProbabilities.capacity
        var combined = RegimeProbabilities(uniform: k)
        for j in 0..<k { combined[j] = 0 }
        var total = 0.0
        let st = store
        let average = configuration.votingMethod == .weightedAverage
        for v in 0..<st.voterCount {
            let i = st.voters[v], w = st.weights[v]
            total += w
            if average { for j in 0..<k { combined[j] += w * st.probs[i * cap + j] } }
            else { combined[max(st.lastArgmax[i], 0)] += w }
        }
        if total > 0 { for j in 0..<k { combined[j] /= total } }
        let state = combined.argmax
        let confidence = combined[state]
        let uncertain = confidence < configuration.confidenceThreshold
        var changed = false
        var triggers = RegimeDetectorSet()
        if !uncertain, state != confirmedState {
            changed = confirmedState >= 0
            if changed {
                for v in 0..<st.voterCount {
                    let i = st.voters[v]
                    if st.lastArgmax[i] == state && st.lastSwitchTick[i] > lastChangeTick { triggers.insert(kinds[i]) }
                }
                if triggers.isEmpty {
                    for v in 0..<st.voterCount where st.lastArgmax[st.voters[v]] == state { triggers.insert(kinds[st.voters[v]]) }
                }
            }
            confirmedState = state
            lastChangeTick = tick
        }
        lastSignal = RegimeSignal(state: state, probabilities: combined, confidence: confidence, uncertain: uncertain,
                                  changed: changed, triggeredBy: triggers, tick: tick)
        return lastSignal
    }
}
