// Leaf of an ARF Hoeffding tree: River 0.26 `RandomLeafNaiveBayesAdaptive` — class
// weights, a random subset of the features (drawn lazily from the forest's shared
// generator at the first update, `rng.sample(sorted(features), max_features)`), one
// Gaussian splitter per monitored feature, and naive-Bayes-adaptive prediction
// (naive Bayes when it has been right at least as often as the majority class).

import Foundation

/// A learning leaf of a binary Hoeffding tree.
struct RandomLeaf: Sendable, Codable, Equatable {
    var stats: ClassStats
    var depth: Int
    var lastSplitAttemptAt: Double
    var features: [Int] = []
    /// One splitter per entry of `features`; empty until the first update after
    /// (re)activation, as River's `splitters` dict.
    var splitters: [GaussianSplitter] = []
    var majorityCorrect = 0.0
    var naiveBayesCorrect = 0.0

    init(stats: ClassStats, depth: Int) {
        self.stats = stats
        self.depth = depth
        lastSplitAttemptAt = stats.isEmpty ? 0 : stats.total
    }

    /// Naive Bayes class probabilities over `stats`' classes (River's
    /// `do_naive_bayes_prediction`); nil when no class weight was observed.
    func naiveBayes(_ x: [Double]) -> ClassStats? {
        let total = stats.total
        if stats.isEmpty || total == 0 { return nil }
        var votes = ClassStats()
        for c in stats.order.classes {
            let w = stats.weight[c]
            guard w > 0 else { votes.add(c, 0); continue }
            var v = Foundation.log(w / total)
            for (k, f) in features.enumerated() where k < splitters.count {
                let lp = splitters[k].logProbability(x[f], label: c)
                if lp > -.infinity { v += lp }
            }
            votes.add(c, v)
        }
        var maxLL = -Double.infinity
        for c in votes.order.classes where votes.weight[c] > maxLL { maxLL = votes.weight[c] }
        var sum = 0.0
        for c in votes.order.classes { sum += exp(votes.weight[c] - maxLL) }
        let lse = maxLL + Foundation.log(sum)
        for c in votes.order.classes { votes.weight[c] = exp(votes.weight[c] - lse) }
        return votes
    }

    /// Leaf prediction (class weights or probabilities, River's dict); nil = `{}`.
    func prediction(_ x: [Double]) -> ClassStats? { predictionAndNaiveBayes(x).prediction }

    /// The prediction, and the naive Bayes result when the prediction computed it
    /// (`naiveBayes` is nil-or-value; `computed` tells whether it is available).
    func predictionAndNaiveBayes(_ x: [Double]) -> (prediction: ClassStats?, naiveBayes: ClassStats?, computed: Bool) {
        if naiveBayesCorrect >= majorityCorrect {
            let nb = naiveBayes(x)
            return (nb, nb, true)
        }
        return (majorityPrediction, nil, false)
    }

    private var majorityPrediction: ClassStats? {
        if stats.isEmpty { return nil }
        let total = stats.total
        guard total != 0 && !total.isNaN else { return stats }
        var normalized = stats
        for c in stats.order.classes { normalized.weight[c] = stats.weight[c] / total }
        return normalized
    }

    /// Learns one example; `cachedNaiveBayes` is `naiveBayes(x)` on this unchanged leaf
    /// when the caller already has it (from the prediction just made).
    mutating func learn(_ x: [Double], label c: Int, weight w: Double,
                        maxFeatures: Int, rng: inout PythonRandom, cachedNaiveBayes: ClassStats?? = nil) {
        if stats.isEmpty || stats.argmax == c { majorityCorrect += w }
        let nbResult: ClassStats?
        if let cached = cachedNaiveBayes { nbResult = cached } else { nbResult = naiveBayes(x) }
        if let nb = nbResult, nb.argmax == c { naiveBayesCorrect += w }
        stats.add(c, w)
        if features.isEmpty { sampleFeatures(count: x.count, maxFeatures: maxFeatures, rng: &rng) }
        if splitters.isEmpty {
            splitters = [GaussianSplitter](repeating: GaussianSplitter(), count: features.count)
        }
        for (k, f) in features.enumerated() { splitters[k].update(x[f], label: c, weight: w) }
    }

    private mutating func sampleFeatures(count n: Int, maxFeatures: Int, rng: inout PythonRandom) {
        guard n >= maxFeatures else { features = Array(0..<n); return }
        var picked = [Int](repeating: 0, count: maxFeatures)
        var scratch = [Int](repeating: 0, count: n)
        rng.sampleRange(n, maxFeatures, into: &picked, scratch: &scratch)
        features = picked
    }
}
