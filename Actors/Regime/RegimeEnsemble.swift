// Ensemble of regime detectors for one symbol: weighted-average or weighted-majority vote,
// adaptive log-odds weights (Nitzan & Paroush 1982) from each voter's exponentially forgotten
// agreement with the regime labelled after the fact by trailing realised volatility, confidence
// threshold, and a regime-change flag naming its triggers.

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
    /// (0...1; the weights are its log-odds).
    public var agreement: [Double] { (0..<store.voterCount).map { store.agreement[$0] } }
    /// Observations seen.
    public private(set) var tick = 0
    /// Levels that label the realised regime (nil before the first fit).
    public internal(set) var realizedLevels: VolatilityLevels?
    /// False while the realised levels are too close to label reliably (see `separable`): the
    /// adaptive weights are then held.
    public private(set) var realizedInformative = false
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
    private var nextGrowthRefit = 0
    private var growthDue = false

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

    /// True when the owner should call `refit()` now: at `warmUp` observations; then, while the
    /// history is shorter than `fitWindow`, each time the observations seen have grown by the
    /// factor `refitGrowth` (with 2: 2·warmUp, 4·warmUp, …), so a warm-up that missed a regime is
    /// replaced while the data is still scarce; and every `refitInterval` after the warm-up.
    /// `refitInterval` 0 turns both kinds of refit off.
    public var refitDue: Bool {
        let w = configuration.warmUp, r = configuration.refitInterval
        if tick == w { return true }
        guard r > 0, tick > w else { return false }
        if (tick - w) % r == 0 { return true }
        return growthDue && tick <= configuration.fitWindow
    }

    /// Advances the growth schedule of ``refitDue`` (called once per tick).
    private func advanceGrowthSchedule() {
        growthDue = tick == nextGrowthRefit
        if growthDue || nextGrowthRefit < configuration.warmUp {
            let from = max(tick, configuration.warmUp)
            nextGrowthRefit = max(from + 1, Int((Double(from) * configuration.refitGrowth).rounded()))
        }
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
        if let r = Self.realizedLevels(w, configuration: configuration, models: models) { installRealized(r.levels, mean: r.mean) }
        return failures
    }

    /// Levels that label the trailing realised volatility, and the mean of `w`; nil when `w` is not
    /// longer than the realised window. With `realizedLevelsFromHMM` and a fitted HMM among
    /// `models` that occupies all K states, the levels are its states' volatilities √σ²_j (the
    /// regimes as fitted on `w`); otherwise k-means (K levels) on the rolling realised volatility of `w`, which splits a
    /// present regime in two when `w` lacks one (levels like 0.39 / 0.52 / 1.04).
    static func realizedLevels(_ w: [Double], configuration c: RegimeEnsembleConfiguration, models: [any RegimeModel] = []) -> (levels: VolatilityLevels, mean: Double)? {
        guard w.count > c.realizedWindow else { return nil }
        let mean = w.reduce(0, +) / Double(w.count)
        // The HMM's variances carry its absolute floor (`minCovar`, hmmlearn's min_covar): on
        // returns far smaller than its square root (raw tick returns, ~1e-4) every state sits
        // at the floor and the levels would label everything calm, so k-means is used then.
        if c.realizedLevelsFromHMM, let h = models.lazy.compactMap({ $0 as? HMMRegimeModel }).first, let m = h.model,
           h.occupiedSlots.count == c.states,
           h.occupiedSlots.allSatisfy({ m.covars[$0] >= 2 * h.configuration.minCovar }) {
            return (VolatilityLevels(levels: h.occupiedSlots.map { m.covars[$0].squareRoot() }), mean)
        }
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
        realizedInformative = Self.separable(levels, window: configuration.realizedWindow, errorRate: configuration.labelErrorRate)
    }

    /// True when adjacent realised levels are far enough apart, against the sampling noise of a
    /// realised volatility over `window` returns, that the label errs at most `errorRate` of the
    /// time. The log of a realised volatility over w Gaussian returns has a standard deviation of
    /// about 1/√(2w) (delta method: Var σ̂²/σ⁴ = 2/w); between two levels d noise-deviations
    /// apart, the nearest-level label errs with probability Φ(−d/2), so the levels must be at least
    /// d = 2·Φ⁻¹(1 − ε) deviations apart. A fit window that lacks a regime makes k-means split a
    /// present one into close levels (e.g. 0.39, 0.52, 1.04); those labels would reward detectors
    /// for the same split, so the weights are held until a refit yields separable levels.
    static func separable(_ levels: VolatilityLevels, window: Int, errorRate: Double) -> Bool {
        let noise = 1 / (2 * Double(window)).squareRoot()
        let needed = 2 * normalQuantile(1 - max(errorRate, 1e-6)) * noise
        let c = levels.logCenters
        for j in 1..<max(c.count, 1) where c[j] - c[j - 1] < needed { return false }
        return true
    }

    /// Φ⁻¹(p) for p in (0, 1) (Acklam's rational approximation, relative error < 1.2e-9).
    static func normalQuantile(_ p: Double) -> Double {
        let a = [-3.969683028665376e+01, 2.209460984245205e+02, -2.759285104469687e+02, 1.383577518672690e+02, -3.066479806614716e+01, 2.506628277459239e+00]
        let b = [-5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02, 6.680131188771972e+01, -1.328068155288572e+01]
        let c = [-7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00, -2.549732539343734e+00, 4.374664141464968e+00, 2.938163982698783e+00]
        let d = [7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00, 3.754408661907416e+00]
        let q = min(max(p, 1e-300), 1 - 1e-16)
        if q < 0.02425 {
            let r = (-2 * log(q)).squareRoot()
            return (((((c[0] * r + c[1]) * r + c[2]) * r + c[3]) * r + c[4]) * r + c[5]) / ((((d[0] * r + d[1]) * r + d[2]) * r + d[3]) * r + 1)
        }
        if q > 1 - 0.02425 { return -normalQuantile(1 - q) }
        let u = q - 0.5, r = u * u
        return (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * u / (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1)
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
        advanceGrowthSchedule()
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

    /// Weights from each voter's recent agreement with the realised regime: the trailing realised
    /// volatility labels the observation `w/2` ago (the window's centre, so the label sees both
    /// sides of it); each voter's most probable state of that time is compared with the label and
    /// its agreement rate a_d is an exponentially forgotten mean (rate `adaptationRate`). The weight
    /// is the log-odds weight that is optimal for a weighted vote of independent voters of known
    /// accuracy (Nitzan & Paroush 1982; Shapley & Grofman 1984), here for K labels:
    /// w_d = ln((K − 1)·a_d / (1 − a_d)), floored at `minimumWeight` (a voter no better than chance,
    /// a_d ≤ 1/K, gets the floor; the floor lets it recover). Weights are held while the realised
    /// levels are not separable (see `separable`).
    private func adapt() {
        let st = store
        let w = configuration.realizedWindow, nv = st.voterCount
        let slot = tick % w
        let lag = w / 2
        if tick > w + lag, realizedInformative, let lv = realizedLevels {
            let label = lv.state(of: (max(realizedSum, 0) / Double(w)).squareRoot())
            let pastSlot = (tick - lag) % w
            let eta = configuration.adaptationRate, floor = configuration.minimumWeight
            let odds = Double(k - 1)
            for v in 0..<nv {
                let agree = st.pastVotes[pastSlot * nv + v] == label ? 1.0 : 0.0
                let a = (1 - eta) * st.agreement[v] + eta * agree
                st.agreement[v] = a
                let capped = min(a, Self.maximumAgreement)
                st.weights[v] = max(floor, log(odds * capped / (1 - capped)))
            }
        }
        for v in 0..<nv {
            let i = st.voters[v]
            st.pastVotes[slot * nv + v] = st.lastArgmax[i]
        }
    }

    /// Cap of the agreement rate in the log-odds weight (a rate of 1 would give an infinite weight).
    static let maximumAgreement = 0.999

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
