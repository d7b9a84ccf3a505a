// Ensemble of regime detectors for one symbol: weighted-average or weighted-majority vote,
// adaptive weights from agreement with the regime labelled after the fact by trailing realised
// volatility (exponential weights on a discounted agreement rate, as in the Hedge / weighted
// majority algorithms of Littlestone & Warmuth 1994 and Freund & Schapire 1997), confidence
// threshold, and a regime-change flag naming its triggers.

import Foundation

/// Runs the configured detectors on one observation stream and combines the voters.
/// `update` is the hot path (no allocation); `refit` is called by the owner when `refitDue`
/// is true, off the hot path.
public final class RegimeEnsemble {
    public let configuration: RegimeEnsembleConfiguration
    /// All running detectors, in `configuration.detectors` order.
    public let models: [any RegimeModel]
    /// Kinds of `models`.
    public let kinds: [RegimeDetectorKind]
    /// Indices into `models` of the voters.
    public let voterIndices: [Int]
    /// Current weights of the voters (same order as `voterIndices`; normalised when used).
    public private(set) var weights: [Double]
    /// Discounted rate at which each voter agreed with the realised regime (0...1).
    public private(set) var agreement: [Double]
    /// Observations seen.
    public private(set) var tick = 0
    /// Levels that label the realised regime (nil before the first fit).
    public private(set) var realizedLevels: VolatilityLevels?
    /// Last signal.
    public private(set) var lastSignal: RegimeSignal

    private let k: Int
    private var probs: [Double]          // models.count × 8
    private var history: [Double]        // ring, capacity fitWindow
    private var historyHead = 0
    private var pastVotes: [Int]         // ring realizedWindow × voters
    private var realizedSum = 0.0
    private var lastArgmax: [Int]
    private var lastSwitchTick: [Int]
    private var confirmedState = -1
    private var lastChangeTick = 0
    private var meanEstimate = 0.0

    /// - Throws: ``RegimeError/invalidParameter(name:value:allowed:)`` naming the bad option.
    public init(configuration c: RegimeEnsembleConfiguration = .init()) throws(RegimeError) {
        try c.validate()
        configuration = c
        k = c.states
        kinds = c.detectors
        var ms: [any RegimeModel] = []
        for kind in c.detectors { ms.append(try kind.make(states: c.states, seed: c.seed)) }
        models = ms
        voterIndices = c.voters.compactMap { v in c.detectors.firstIndex(of: v) }
        weights = [Double](repeating: 1, count: voterIndices.count)
        agreement = [Double](repeating: 0.5, count: voterIndices.count)
        probs = [Double](repeating: 0, count: ms.count * RegimeProbabilities.capacity)
        history = [Double](repeating: 0, count: c.fitWindow)
        pastVotes = [Int](repeating: 0, count: c.realizedWindow * voterIndices.count)
        lastArgmax = [Int](repeating: -1, count: ms.count)
        lastSwitchTick = [Int](repeating: 0, count: ms.count)
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
        let n = min(tick, history.count)
        return (0..<n).map { history[(historyHead - n + $0 + history.count) % history.count] }
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
        if w.count > configuration.realizedWindow {
            let mean = w.reduce(0, +) / Double(w.count)
            meanEstimate = mean
            let m = min(tick, configuration.realizedWindow, history.count)
            realizedSum = 0
            for i in 0..<m { let v = history[(historyHead - 1 - i + 2 * history.count) % history.count] - mean; realizedSum += v * v }
            let rv = RealizedVolatilityClusterModel.rollingVolatility(w, window: configuration.realizedWindow, mean: mean)
            realizedLevels = VolatilityLevels(fitting: Array(rv.dropFirst(configuration.realizedWindow - 1)), k: k, seed: configuration.seed)
        }
        return failures
    }

    /// Probabilities most recently written by detector `index` (into `out`, ≥ its state count).
    public func probabilities(ofDetector index: Int, into out: UnsafeMutableBufferPointer<Double>) {
        for j in 0..<models[index].stateCount { out[j] = probs[index * RegimeProbabilities.capacity + j] }
    }

    /// Most probable state of detector `index` after the last update.
    public func state(ofDetector index: Int) -> Int { max(lastArgmax[index], 0) }

    /// Feeds one observation to every detector and returns the combined signal. No allocation.
    @discardableResult
    public func update(_ x: Double) -> RegimeSignal {
        tick += 1
        let cap = RegimeProbabilities.capacity
        let w = configuration.realizedWindow
        // Trailing realised variance uses the same ring as the refit history.
        if x.isFinite {
            let outgoing = tick > w ? history[(historyHead - w + history.count) % history.count] : Double.nan
            history[historyHead] = x
            historyHead = historyHead + 1 == history.count ? 0 : historyHead + 1
            realizedSum += (x - meanEstimate) * (x - meanEstimate)
            if outgoing.isFinite { realizedSum -= (outgoing - meanEstimate) * (outgoing - meanEstimate) }
        }
        probs.withUnsafeMutableBufferPointer { all in
            for (i, m) in models.enumerated() {
                let slice = UnsafeMutableBufferPointer(rebasing: all[(i * cap)..<(i * cap + cap)])
                m.update(x, into: slice)
                var a = 0
                for j in 1..<m.stateCount where slice[j] > slice[a] { a = j }
                if a != lastArgmax[i] { lastArgmax[i] = a; lastSwitchTick[i] = tick }
            }
        }
        if configuration.adaptationEnabled { adapt() }
        return combine()
    }

    /// Compares each voter's state of `w/2` observations ago with the realised regime of the
    /// trailing window (which is centred on it), updates its discounted agreement rate a_d, and
    /// sets w_d = max(minimumWeight, exp(−sharpness · (max_e a_e − a_d))).
    private func adapt() {
        let w = configuration.realizedWindow, nv = voterIndices.count
        let slot = tick % w
        let lag = w / 2
        if let lv = realizedLevels, tick > w + lag {
            let label = lv.state(of: (max(realizedSum, 0) / Double(w)).squareRoot())
            let pastSlot = (tick - lag) % w
            let eta = configuration.adaptationRate
            var best = 0.0
            for v in 0..<nv {
                let agree = pastVotes[pastSlot * nv + v] == label ? 1.0 : 0.0
                agreement[v] = (1 - eta) * agreement[v] + eta * agree
                best = max(best, agreement[v])
            }
            for v in 0..<nv {
                weights[v] = max(configuration.minimumWeight, exp(-configuration.adaptationSharpness * (best - agreement[v])))
            }
        }
        for v in 0..<nv { pastVotes[slot * nv + v] = lastArgmax[voterIndices[v]] }
    }

    private func combine() -> RegimeSignal {
        let cap = RegimeProbabilities.capacity
        var combined = RegimeProbabilities(uniform: k)
        for j in 0..<k { combined[j] = 0 }
        var total = 0.0
        for (v, i) in voterIndices.enumerated() {
            let w = weights[v]
            total += w
            switch configuration.votingMethod {
            case .weightedAverage: for j in 0..<k { combined[j] += w * probs[i * cap + j] }
            case .majority: combined[max(lastArgmax[i], 0)] += w
            }
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
                for i in voterIndices where lastArgmax[i] == state && lastSwitchTick[i] > lastChangeTick { triggers.insert(kinds[i]) }
                if triggers.isEmpty { for i in voterIndices where lastArgmax[i] == state { triggers.insert(kinds[i]) } }
            }
            confirmedState = state
            lastChangeTick = tick
        }
        lastSignal = RegimeSignal(state: state, probabilities: combined, confidence: confidence, uncertain: uncertain,
                                  changed: changed, triggeredBy: triggers, tick: tick)
        return lastSignal
    }
}
