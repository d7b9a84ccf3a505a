// The online and offline drivers of RegimeEvaluation, per-state summaries and label matching.

import Foundation

extension RegimeEvaluation {
    /// Strictly causal: row t's states use rows 0...t only; refits happen after the update of the
    /// row that makes them due, so they affect later rows only.
    static func online(_ x: [Double], ensemble e: RegimeEnsemble) -> (Rows, Int) {
        let nd = e.models.count
        var states = [[Int]](repeating: [Int](repeating: 0, count: x.count), count: nd)
        var ens = [Int](repeating: 0, count: x.count), conf = [Double](repeating: 0, count: x.count)
        var changes = 0
        for (t, v) in x.enumerated() {
            let s = e.update(v)
            for d in 0..<nd { states[d][t] = e.state(ofDetector: d) }
            ens[t] = s.state; conf[t] = s.confidence
            if s.changed { changes += 1 }
            if e.refitDue { e.refit() }
        }
        return (Rows(detectors: e.kinds.map(\.rawValue), states: states, ensemble: ens, confidence: conf), changes)
    }

    /// Fits every detector on the whole series, then decodes: Viterbi (states) and smoothed
    /// posteriors (probabilities) for the HMM, `predict`/`predict_proba` for the GMM, a filtering
    /// pass with the whole-series parameters for the others. The ensemble combines the voters'
    /// per-row probabilities with equal weights (no adaptation offline).
    static func offline(_ x: [Double], ensemble e: RegimeEnsemble) -> (Rows, Int) {
        let n = x.count, nd = e.models.count, k = e.configuration.states
        e.refit(window: x)
        var states = [[Int]](repeating: [], count: nd)
        var probs = [[Double]](repeating: [], count: nd)   // n×K_d row-major
        for (d, m) in e.models.enumerated() {
            let kd = m.stateCount
            if let h = m as? HMMRegimeModel, let model = h.model {
                states[d] = model.viterbi(x).states
                probs[d] = model.posteriors(x)
            } else if let g = m as? GMMRegimeModel, let mix = g.mixture {
                probs[d] = mix.predictProbabilities(x)
                states[d] = mix.predict(x)
            } else {
                m.reset()
                var p = [Double](repeating: 0, count: n * kd)
                var st = [Int](repeating: 0, count: n)
                p.withUnsafeMutableBufferPointer { all in
                    for t in 0..<n {
                        let row = UnsafeMutableBufferPointer(rebasing: all[(t * kd)..<(t * kd + kd)])
                        m.update(x[t], into: row)
                        var a = 0
                        for j in 1..<kd where row[j] > row[a] { a = j }
                        st[t] = a
                    }
                }
                states[d] = st; probs[d] = p
            }
        }
        var ens = [Int](repeating: 0, count: n), conf = [Double](repeating: 0, count: n)
        var changes = 0, confirmed = -1
        let voters = e.voterIndices
        for t in 0..<n {
            var c = [Double](repeating: 0, count: k)
            for d in voters {
                switch e.configuration.votingMethod {
                case .weightedAverage: for j in 0..<k { c[j] += probs[d][t * k + j] / Double(voters.count) }
                case .majority: c[states[d][t]] += 1 / Double(voters.count)
                }
            }
            var a = 0
            for j in 1..<k where c[j] > c[a] { a = j }
            ens[t] = a; conf[t] = c[a]
            if c[a] >= e.configuration.confidenceThreshold, a != confirmed {
                if confirmed >= 0 { changes += 1 }
                confirmed = a
            }
        }
        return (Rows(detectors: e.kinds.map(\.rawValue), states: states, ensemble: ens, confidence: conf), changes)
    }

    /// Counts, means and population variances of the observations in each state.
    static func summary(_ x: [Double], _ s: [Int], k: Int) -> DetectorSummary {
        var count = [Int](repeating: 0, count: k), sum = [Double](repeating: 0, count: k), sq = sum
        for (v, st) in zip(x, s) where st >= 0 && st < k { count[st] += 1; sum[st] += v }
        let mean: [Double?] = (0..<k).map { count[$0] > 0 ? sum[$0] / Double(count[$0]) : nil }
        for (v, st) in zip(x, s) where st >= 0 && st < k { let d = v - (mean[st] ?? 0); sq[st] += d * d }
        let variance: [Double?] = (0..<k).map { count[$0] > 0 ? sq[$0] / Double(count[$0]) : nil }
        return DetectorSummary(stateCounts: count, mean: mean, variance: variance)
    }

    /// Accuracy of `predicted` against `truth` under the one-to-one relabelling of predicted states
    /// that maximises agreement (exhaustive over permutations; at most 8 labels).
    public static func matchedAccuracy(_ predicted: [Int], _ truth: [Int]) -> Double {
        guard !truth.isEmpty, predicted.count == truth.count else { return 0 }
        let m = max((predicted.max() ?? 0), (truth.max() ?? 0)) + 1
        guard m <= RegimeProbabilities.capacity else { return rawAccuracy(predicted, truth) }
        var confusion = [Int](repeating: 0, count: m * m)
        for (p, t) in zip(predicted, truth) where p >= 0 && t >= 0 { confusion[p * m + t] += 1 }
        var best = 0
        var perm = Array(0..<m)
        func search(_ i: Int, _ acc: Int) {
            if i == m { best = max(best, acc); return }
            for j in i..<m {
                perm.swapAt(i, j)
                search(i + 1, acc + confusion[i * m + perm[i]])
                perm.swapAt(i, j)
            }
        }
        search(0, 0)
        return Double(best) / Double(truth.count)
    }

    static func rawAccuracy(_ p: [Int], _ t: [Int]) -> Double {
        Double(zip(p, t).filter { $0 == $1 }.count) / Double(max(t.count, 1))
    }
}
