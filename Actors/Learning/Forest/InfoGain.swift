// Information-gain split criterion, River 0.26 `InfoGainSplitCriterion`
// (min_branch_fraction 0.01); Quinlan, J. R. (1986). "Induction of decision trees."
// Machine Learning 1, 81–106.

import Foundation

/// River's `InfoGainSplitCriterion` (min_branch_fraction = 0.01).
enum InfoGain {
    static let minBranchFraction = 0.01

    static func entropy(_ d: ClassStats) -> Double {
        var entropy = 0.0, sum = 0.0
        for c in d.order.classes where d.weight[c] > 0 {
            entropy -= d.weight[c] * log2(d.weight[c])
            sum += d.weight[c]
        }
        return sum > 0 ? (entropy + sum * log2(sum)) / sum : 0
    }

    /// Merit of a binary split given the (precomputed) entropy of the parent.
    static func merit(preEntropy: Double, left: ClassStats, right: ClassStats) -> Double {
        let wl = left.total, wr = right.total
        let total = wl + wr
        var greater = 0
        if total > 0 {
            if wl / total > minBranchFraction { greater += 1 }
            if wr / total > minBranchFraction { greater += 1 }
        }
        if greater < 2 { return -.infinity }
        let post = (wl * entropy(left) + wr * entropy(right)) / total
        return preEntropy - post
    }

    /// log2(max(classes, 2)).
    static func rangeOfMerit(_ d: ClassStats) -> Double { log2(Double(max(d.count, 2))) }
}
