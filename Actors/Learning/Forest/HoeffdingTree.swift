// Hoeffding tree for binary classification as used inside an adaptive random forest:
// River 0.26 `forest.adaptive_random_forest.BaseTreeClassifier` (a
// `HoeffdingTreeClassifier` with random-subspace leaves).
// Domingos, P. & Hulten, G. (2000). "Mining high-speed data streams." KDD 2000, 71–80.
//
// Semantics kept from River: info-gain merit with the null split (merit -∞) as a
// candidate, Hoeffding bound sqrt(R² ln(1/δ) / 2n) with R = log2(#classes), split when
// the merit gap exceeds the bound or the bound is below tau, split attempts every
// `grace_period` of leaf weight, majority share above 0.99 blocks splitting, and the
// effect of River's size manager before its first memory estimate (a pre-pruned leaf
// is re-activated at once with fresh splitters). River's periodic memory estimate
// (every 2,000,000 of training weight) is not modelled.

import Foundation

/// Binary Hoeffding tree with random-subspace naive-Bayes-adaptive leaves.
struct HoeffdingTree: Sendable, Codable, Equatable {
    struct Parameters: Sendable, Codable, Equatable {
        var gracePeriod = 50.0
        var delta = 0.01
        var tau = 0.05
        var maxFeatures = 2
        var maxShareToSplit = 0.99
    }

    /// Node: a leaf (index into `leaves`) or a numeric binary branch (`x[f] <= t` → left).
    struct Node: Sendable, Codable, Equatable {
        var leaf: Int
        var feature = -1
        var threshold = 0.0
        var left = -1
        var right = -1
    }

    let parameters: Parameters
    private(set) var nodes: [Node] = []
    private(set) var leaves: [RandomLeaf] = []
    /// Classes seen (River's `classes` set).
    private(set) var seen = Pair(false, false)
    private(set) var trainWeight = 0.0

    init(parameters: Parameters) { self.parameters = parameters }

    /// Sorts `x` to its leaf. Hot path without bounds checks: every branch's feature is
    /// < dimension ≤ x.count (checked by the forest and by `isConsistent` on decode) and
    /// children indices are valid by construction.
    private func leafIndex(_ x: [Double]) -> (node: Int, leaf: Int)? {
        guard !nodes.isEmpty else { return nil }
        return nodes.withUnsafeBufferPointer { n in
            x.withUnsafeBufferPointer { v in
                var i = 0
                while n[i].leaf < 0 {
                    i = v[n[i].feature] <= n[i].threshold ? n[i].left : n[i].right
                }
                return (i, n[i].leaf)
            }
        }
    }

    /// River's `predict_proba_one`: (p0, p1) over the classes seen, nil when none seen.
    func predictProba(_ x: [Double]) -> (p0: Double, p1: Double)? {
        guard seen[0] || seen[1] else { return nil }
        var p = Pair(0.0, 0.0)
        if let (_, l) = leafIndex(x), let pred = leaves[l].prediction(x) {
            for c in pred.order.classes { p[c] = pred.weight[c] }
        }
        return (p[0], p[1])
    }

    /// A prediction with what `learn` can reuse for the same example (valid only while
    /// the tree is unchanged).
    struct Inspection: Sendable, Equatable {
        var proba: Pair<Double>?
        var naiveBayes: ClassStats??
        var node = -1
        var leaf = -1
        var position: (node: Int, leaf: Int)? { node >= 0 ? (node, leaf) : nil }
    }

    /// `predictProba` plus the leaf's naive Bayes result when it was computed.
    func inspect(_ x: [Double]) -> Inspection {
        guard seen[0] || seen[1] else { return Inspection(proba: nil, naiveBayes: nil) }
        var p = Pair(0.0, 0.0)
        var cached: ClassStats?? = nil
        let position = leafIndex(x)
        if let (_, l) = position {
            let r = leaves[l].predictionAndNaiveBayes(x)
            if let pred = r.prediction { for c in pred.order.classes { p[c] = pred.weight[c] } }
            if r.computed { cached = .some(r.naiveBayes) }
        }
        return Inspection(proba: p, naiveBayes: cached, node: position?.node ?? -1, leaf: position?.leaf ?? -1)
    }

    /// River's `predict_one`: argmax over the sorted seen classes; nil before any learning.
    func predictLabel(_ x: [Double]) -> Int? { Self.label(predictProba(x), seen: seen) }

    /// Label from `predictProba`'s result (sorted classes, first on ties).
    static func label(_ proba: (p0: Double, p1: Double)?, seen: Pair<Bool>) -> Int? {
        guard let (p0, p1) = proba else { return nil }
        if !seen[0] { return 1 }
        if !seen[1] { return 0 }
        return p1 > p0 ? 1 : 0
    }

    /// Learns one example with weight `w`; `cached` is this tree's `inspect(x)` made
    /// since its last change, if any (it saves sorting and naive Bayes again).
    mutating func learn(_ x: [Double], label c: Int, weight w: Double, rng: inout PythonRandom,
                        cached: Inspection? = nil) {
        seen[c] = true
        trainWeight += w
        if nodes.isEmpty {
            leaves.append(RandomLeaf(stats: ClassStats(), depth: 0))
            nodes.append(Node(leaf: 0))
        }
        guard let (node, l) = cached?.position ?? leafIndex(x) else { return }
        leaves[l].learn(x, label: c, weight: w, maxFeatures: parameters.maxFeatures, rng: &rng,
                        cachedNaiveBayes: cached?.naiveBayes)
        let weightSeen = leaves[l].stats.total
        if weightSeen - leaves[l].lastSplitAttemptAt >= parameters.gracePeriod {
            // After a split, slot `l` holds the new left child, which keeps its own mark.
            if !attemptSplit(node: node, leaf: l) { leaves[l].lastSplitAttemptAt = weightSeen }
        }
    }

    /// Returns whether the leaf was replaced by a branch.
    private mutating func attemptSplit(node: Int, leaf l: Int) -> Bool {
        let stats = leaves[l].stats
        guard !stats.isPure else { return false }
        var suggestions: [SplitSuggestion] = [.null]
        var majority = -Double.infinity
        for c in stats.order.classes where stats.weight[c] > majority { majority = stats.weight[c] }
        if !(majority != 0 && majority / stats.total > parameters.maxShareToSplit) {
            for (k, f) in leaves[l].features.enumerated() where k < leaves[l].splitters.count {
                suggestions.append(leaves[l].splitters[k].bestSplit(preSplit: stats, feature: f))
            }
        }
        // Stable sort by merit, as Python's list.sort.
        let sorted = suggestions.enumerated().sorted {
            $0.element.merit < $1.element.merit || ($0.element.merit == $1.element.merit && $0.offset < $1.offset)
        }.map(\.element)
        var shouldSplit = false
        if sorted.count < 2 {
            shouldSplit = !sorted.isEmpty
        } else {
            let n = stats.total
            let r = InfoGain.rangeOfMerit(stats)
            let bound = ((r * r * Foundation.log(1.0 / parameters.delta)) / (2.0 * n)).squareRoot()
            let best = sorted[sorted.count - 1], second = sorted[sorted.count - 2]
            if best.merit - second.merit > bound || bound < parameters.tau { shouldSplit = true }
        }
        guard shouldSplit, let decision = sorted.last else { return false }
        guard let feature = decision.feature else {
            // Pre-pruning: River deactivates the leaf, then its size manager (estimates
            // still 0) re-activates every inactive leaf with empty splitters.
            leaves[l].splitters = []
            return false
        }
        let depth = leaves[l].depth + 1
        leaves[l] = RandomLeaf(stats: decision.left, depth: depth)
        leaves.append(RandomLeaf(stats: decision.right, depth: depth))
        let leftNode = nodes.count, rightNode = nodes.count + 1
        nodes.append(Node(leaf: l))
        nodes.append(Node(leaf: leaves.count - 1))
        nodes[node] = Node(leaf: -1, feature: feature, threshold: decision.threshold,
                           left: leftNode, right: rightNode)
        return true
    }
}
