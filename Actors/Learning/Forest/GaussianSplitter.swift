// Gaussian split estimator of a numeric feature for a binary Hoeffding tree, after
// River 0.26 `tree.splitter.GaussianSplitter` (n_splits = 10) and `proba.Gaussian`:
// one weighted Gaussian (running mean / sample variance) plus min and max per class;
// candidate thresholds are n_splits equally spaced points inside [min, max]; the mass
// left of a threshold is the Gaussian CDF.
// Pfahringer, B., Holmes, G. & Kirkby, R. (2008). "Handling numeric attributes in
// Hoeffding trees." PAKDD 2008, 296–307.

import Foundation

/// Per-feature, per-class Gaussian statistics of a leaf (binary labels 0/1).
struct GaussianSplitter: Sendable, Codable, Equatable {
    var gaussians = Pair(WeightedGaussian(), WeightedGaussian())
    var minimum = Pair(Double.infinity, Double.infinity)
    var maximum = Pair(-Double.infinity, -Double.infinity)
    /// Classes in first-seen order (River's dict order), at most 2 entries.
    var classOrder = ClassOrder()

    static let splitCount = 10

    mutating func update(_ x: Double, label c: Int, weight w: Double) {
        if classOrder.contains(c) {
            if x < minimum[c] { minimum[c] = x }
            if x > maximum[c] { maximum[c] = x }
        } else {
            classOrder.append(c)
            minimum[c] = x
            maximum[c] = x
        }
        gaussians[c].update(x, weight: w)
    }

    func logProbability(_ x: Double, label c: Int) -> Double {
        classOrder.contains(c) ? gaussians[c].logPDF(x) : -.infinity
    }

    /// Class weights left and right of `threshold` (River's `_class_dists_from_binary_split`).
    func splitDistributions(at threshold: Double, sigmas: Pair<Double>) -> (left: ClassStats, right: ClassStats) {
        var left = ClassStats(), right = ClassStats()
        for c in classOrder.classes {
            let n = gaussians[c].n
            if threshold < minimum[c] {
                right.add(c, n)
            } else if threshold >= maximum[c] {
                left.add(c, n)
            } else {
                let l = gaussians[c].cdf(threshold, sigma: sigmas[c]) * n
                left.add(c, l)
                right.add(c, n - l)
            }
        }
        return (left, right)
    }

    /// Best split of this feature by information gain, or nil when no candidate exists.
    func bestSplit(preSplit: ClassStats, feature: Int) -> SplitSuggestion {
        var best = SplitSuggestion.null
        var lo = Double.infinity, hi = -Double.infinity
        for c in classOrder.classes {
            if minimum[c] < lo { lo = minimum[c] }
            if maximum[c] > hi { hi = maximum[c] }
        }
        guard lo < .infinity else { return best }
        let bin = (hi - lo) / (Double(Self.splitCount) + 1.0)
        let preEntropy = InfoGain.entropy(preSplit)
        let sigmas = Pair(gaussians[0].sigma, gaussians[1].sigma)
        for i in 0..<Self.splitCount {
            let value = lo + bin * Double(i + 1)
            guard lo < value && value < hi else { continue }
            let (l, r) = splitDistributions(at: value, sigmas: sigmas)
            let merit = InfoGain.merit(preEntropy: preEntropy, left: l, right: r)
            if merit > best.merit {
                best = SplitSuggestion(merit: merit, feature: feature, threshold: value, left: l, right: r)
            }
        }
        return best
    }
}
