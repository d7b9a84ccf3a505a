// Choosing the number of occupied HMM states by the Bayesian information criterion (Schwarz
// 1978) in hmmlearn 0.3's semantics (`GaussianHMM.bic`: −2·score + p·ln n, p the free parameters
// of "stmc"), and placing a model with fewer states than K into K canonical slots.
//
// Why: a warm-up or a trailing window often lacks a regime (a series that starts calm has no crisis
// in its first few hundred returns). A K-state fit then splits a present regime into two (two calm
// "states" 0.45 and 0.55 apart), and the labels of that fit disagree with every later fit's.
// The BIC prefers the smaller model in that case, and its states keep their meaning.

import Foundation

extension GaussianHMM {
    /// Free parameters of a 1-D Gaussian HMM with `k` states as hmmlearn counts them for
    /// `params="stmc"`: startprob k − 1, transmat k(k − 1), means k, covars k.
    public static func freeParameters(states k: Int) -> Int { k * k + 2 * k - 1 }

    /// hmmlearn's `bic(X)`: −2·log-likelihood + free parameters · ln n (lower is better).
    public func bic(_ x: [Double]) -> Double {
        -2 * score(x) + Double(Self.freeParameters(states: stateCount)) * log(Double(x.count))
    }

    /// BIC of the one-state model hmmlearn converges to (one M-step: the mean, and the variance
    /// under the same inverse-gamma prior as the K-state fit). A one-state HMM is a Gaussian.
    static func oneStateBIC(_ x: [Double], configuration c: FitConfiguration) -> (bic: Double, mean: Double, variance: Double) {
        let n = Double(x.count)
        let mean = (c.meansWeight * c.meansPrior + x.reduce(0, +)) / (c.meansWeight + n)
        let ss = x.reduce(0) { $0 + ($1 - mean) * ($1 - mean) }
        let variance = (c.covarsPrior + ss + c.meansWeight * (mean - c.meansPrior) * (mean - c.meansPrior)) / max(max(c.covarsWeight - 1, 0) + n, 1e-5)
        let ll = -0.5 * (n * (1.8378770664093453 + log(variance)) + ss / variance)
        return (-2 * ll + Double(freeParameters(states: 1)) * log(n), mean, variance)
    }

    /// Fits 1…K states (each K′ ≥ 2 by ``fit(_:configuration:)`` with its restarts) and returns the
    /// variance-ordered fit with the lowest BIC (K′ states; a one-state winner as a 1-state model).
    /// A K′ whose fit fails is skipped; the one-state model always exists.
    /// - Throws: ``RegimeError`` for fewer than 2K observations or a non-finite value.
    static func fitSelectingStates(_ x: [Double], configuration c: FitConfiguration)
        throws(RegimeError) -> (model: GaussianHMM, report: FitReport, bic: Double) {
        try c.validate()
        try RegimeCheck.window(x, needed: 2 * c.states, detector: "hmm")
        let one = oneStateBIC(x, configuration: c)
        let ll1 = -0.5 * (one.bic - Double(freeParameters(states: 1)) * log(Double(x.count)))
        var best = (model: GaussianHMM(unchecked: 1, [1], [1], [one.mean], [one.variance]),
                    report: FitReport(logLikelihood: ll1, iterations: 1, converged: true, restart: 0), bic: one.bic)
        for k in 2...c.states {
            var ck = c
            ck.states = k
            guard let (m, r) = try? fit(x, configuration: ck) else { continue }
            let b = -2 * r.logLikelihood + Double(freeParameters(states: k)) * log(Double(x.count))
            if b < best.bic { best = (m, r, b) }
        }
        return best
    }

    /// The model in `k` ≥ K′ canonical slots: fitted state i goes to `slots[i]` (ascending).
    /// An unoccupied slot gets start probability 0 and no transition into it, so a filter or a
    /// Viterbi path never enters it; its own row is the start distribution (mass that a previous
    /// fit left there moves out at the next step) and its emission copies the nearest occupied slot.
    func embedded(slots: [Int], in k: Int) -> GaussianHMM {
        let kk = stateCount
        var start = [Double](repeating: 0, count: k), mu = start, cv = start
        var trans = [Double](repeating: 0, count: k * k)
        for (i, s) in slots.enumerated() {
            start[s] = startprob[i]; mu[s] = means[i]; cv[s] = covars[i]
            for (j, t) in slots.enumerated() { trans[s * k + t] = transmat[i * kk + j] }
        }
        for s in 0..<k where !slots.contains(s) {
            let near = slots.min { abs($0 - s) < abs($1 - s) } ?? 0
            mu[s] = mu[near]; cv[s] = cv[near]
            for t in 0..<k { trans[s * k + t] = start[t] }
        }
        return GaussianHMM(unchecked: k, start, trans, mu, cv)
    }
}

/// Placement of K′ ≤ K variance-ordered fitted states into K canonical slots, so labels keep
/// their meaning across refits that find fewer regimes than K.
public enum CanonicalSlots {
    /// Slots (ascending) for fitted states with log-variances `fitted` (ascending). With K′ = K it
    /// is the identity. With fewer, and at least K′ slots known from earlier fits (`anchors`, the
    /// last log-variance seen in each slot, nil if never occupied), the order-preserving placement
    /// that minimises the squared log-variance distance to the anchors; otherwise the lowest slots
    /// (calm first: with no earlier fit the regimes present are taken to be the calmest).
    public static func assign(_ fitted: [Double], slots k: Int, anchors: [Double?]) -> [Int] {
        let m = fitted.count
        guard m < k else { return Array(0..<k) }
        let known = (0..<k).filter { $0 < anchors.count && anchors[$0] != nil }
        guard known.count >= m else { return Array(0..<m) }
        var best: [Int] = Array(known.prefix(m)), bestCost = Double.infinity
        var pick: [Int] = []
        func search(_ from: Int) {
            if pick.count == m {
                var cost = 0.0
                for (i, s) in pick.enumerated() { let d = fitted[i] - (anchors[s] ?? 0); cost += d * d }
                if cost < bestCost { bestCost = cost; best = pick }
                return
            }
            guard from < known.count else { return }
            for idx in from..<known.count where known.count - idx >= m - pick.count {
                pick.append(known[idx]); search(idx + 1); pick.removeLast()
            }
        }
        search(0)
        return best
    }

    /// Anchors after a fit placed log-variances `fitted` in `slots`: those slots take the new
    /// values, the others keep theirs.
    public static func updated(_ anchors: [Double?], k: Int, fitted: [Double], slots: [Int]) -> [Double?] {
        var a = anchors.count == k ? anchors : [Double?](repeating: nil, count: k)
        for (i, s) in slots.enumerated() { a[s] = fitted[i] }
        return a
    }
}
