// Prediction-only form of an `AdaptiveRandomForest`: all trees' nodes, leaves and
// naive-Bayes terms in flat tables of plain structs. The vote replays River's
// `predict_proba_one` exactly as `AdaptiveRandomForest.predictProbability` does
// (same operations, same order); only terms that depend on the model alone are
// computed at compile time.

import Foundation

/// The tables of compiled adaptive random forests (see `InferenceModel`). Built as
/// arrays at compile time; `InferenceModel` copies them into memory it owns, and the
/// vote reads them through unsafe buffers (no reference counting per call).
enum InferenceForest {
    struct Tree: Sendable {
        /// Index of the root in `nodes`, or −1 when the tree has no node yet.
        var root: Int32
        /// Classes the tree has seen (River's `classes`); a tree that saw none does not vote.
        var seen0: Bool
        var seen1: Bool
        /// Vote weight: the tree's accuracy when positive, else 1.
        var scale: Double
    }

    /// A branch (`x[feature] <= threshold` → left) or a leaf (`leaf >= 0`, index into `leaves`).
    /// A leaf's children are itself (feature 0, threshold 0), so that a descent step from a
    /// leaf stays there and the vote can step every tree without branching on the node kind.
    struct Node: Sendable {
        var leaf: Int32
        var feature: Int32
        var left: Int32
        var right: Int32
        var threshold: Double
    }

    /// A leaf: either a fixed class distribution (majority-class prediction, or no
    /// prediction) or naive Bayes over its monitored features.
    struct Leaf: Sendable {
        /// Naive Bayes (true) or the fixed `p0`, `p1`.
        var naiveBayes: Bool
        var p0: Double
        var p1: Double
        /// Classes of the leaf's weights in insertion order (1 or 2 used).
        var classCount: Int32
        var class0: Int32
        var class1: Int32
        /// Per ordered class: weight > 0, and log(weight / total).
        var positive0: Bool
        var positive1: Bool
        var logPrior0: Double
        var logPrior1: Double
        /// Terms of the ordered classes: `terms[termStart + k·termCount + j]`.
        var termStart: Int32
        var termCount: Int32
    }

    /// One monitored feature of one class in a leaf: its Gaussian's log density terms.
    struct Term: Sendable {
        var feature: Int32
        /// The splitter knows the class and its Gaussian has n > 1 and a positive variance.
        var valid: Bool
        var mean: Double
        /// −2·variance.
        var negTwoVariance: Double
        /// ½·log(variance).
        var halfLogVariance: Double
    }

    /// Compile-time tables: forests are appended one after another; every index in a
    /// forest's entries is absolute (into the whole table).
    struct Tables {
        var trees: [Tree] = []
        var nodes: [Node] = []
        var leaves: [Leaf] = []
        var terms: [Term] = []

        /// Appends `forest`; returns the range of its trees.
        mutating func append(_ forest: AdaptiveRandomForest) -> Range<Int> {
            let firstTree = trees.count
            for member in forest.members {
                let tree = member.tree
                let accuracy = member.accuracy
                let nodeBase = Int32(nodes.count), leafBase = Int32(leaves.count)
                for node in tree.nodes {
                    let own = Int32(nodes.count)
                    if node.leaf >= 0 {
                        nodes.append(Node(leaf: Int32(node.leaf) + leafBase, feature: 0, left: own, right: own, threshold: 0))
                    } else {
                        nodes.append(Node(leaf: -1, feature: Int32(node.feature),
                                          left: node.left >= 0 ? Int32(node.left) + nodeBase : own,
                                          right: node.right >= 0 ? Int32(node.right) + nodeBase : own,
                                          threshold: node.threshold))
                    }
                }
                for leaf in tree.leaves { leaves.append(InferenceForest.compile(leaf, terms: &terms)) }
                trees.append(Tree(root: tree.nodes.isEmpty ? -1 : nodeBase, seen0: tree.seen[0], seen1: tree.seen[1],
                                  scale: accuracy > 0 ? accuracy : 1))
            }
            return firstTree..<trees.count
        }
    }

    /// The tables as the vote reads them.
    struct View {
        var trees: UnsafeBufferPointer<Tree>
        var nodes: UnsafeBufferPointer<Node>
        var leaves: UnsafeBufferPointer<Leaf>
        var terms: UnsafeBufferPointer<Term>
    }

    private static func compile(_ leaf: RandomLeaf, terms: inout [Term]) -> Leaf {
        var out = Leaf(naiveBayes: false, p0: 0, p1: 0, classCount: 0, class0: 0, class1: 0, positive0: false,
                       positive1: false, logPrior0: 0, logPrior1: 0, termStart: Int32(terms.count), termCount: 0)
        let stats = leaf.stats
        let total = stats.total
        if leaf.naiveBayesCorrect >= leaf.majorityCorrect {
            // RandomLeaf.naiveBayes: no prediction ({}) without class weight.
            guard !(stats.isEmpty || total == 0) else { return out }
            out.naiveBayes = true
            out.classCount = Int32(stats.order.count)
            let used = min(leaf.features.count, leaf.splitters.count)
            out.termCount = Int32(used)
            for (k, c) in stats.order.classes.enumerated() {
                let w = stats.weight[c]
                let positive = w > 0
                let prior = positive ? Foundation.log(w / total) : 0
                if k == 0 {
                    out.class0 = Int32(c); out.positive0 = positive; out.logPrior0 = prior
                } else {
                    out.class1 = Int32(c); out.positive1 = positive; out.logPrior1 = prior
                }
                for j in 0..<used {
                    let splitter = leaf.splitters[j]
                    let g = splitter.gaussians[c]
                    let valid = splitter.classOrder.contains(c) && g.n > 1 && g.variance > 0
                    terms.append(Term(feature: Int32(leaf.features[j]), valid: valid, mean: g.mean,
                                      negTwoVariance: -2.0 * g.variance, halfLogVariance: g.halfLogVariance))
                }
            }
            return out
        }
        // Majority class: the class weights, normalised when the total is a non-zero number.
        guard !stats.isEmpty else { return out }
        var p = Pair(0.0, 0.0)
        let normalise = total != 0 && !total.isNaN
        for c in stats.order.classes { p[c] = normalise ? stats.weight[c] / total : stats.weight[c] }
        out.p0 = p[0]
        out.p1 = p[1]
        return out
    }

    /// Trees descended together (the vote's stack buffer).
    static let lanes = 16

    /// `AdaptiveRandomForest.predictProbability` over trees `first..<end` of `tables`:
    /// River's accuracy-weighted vote, normalised; the weight of class 1 (0.5 without votes).
    /// `x` holds at least the forest's dimension (checked by the caller).
    ///
    /// Fast path: up to `lanes` trees descend level by level together, each step a
    /// selected (not branched-to) child, leaves stepping to themselves; the trees' node
    /// loads are independent, so they overlap instead of waiting on each other, and the
    /// only branch per level is "did any tree move". The leaves then vote in tree order
    /// with the learner's arithmetic.
    @inline(__always)
    static func vote(_ x: UnsafePointer<Double>, tables: View, first: Int, end: Int) -> Double {
        let halfLogTau = WeightedGaussian.halfLogTau
        var has0 = false, has1 = false
        var s0 = 0.0, s1 = 0.0
        withUnsafeTemporaryAllocation(of: Int32.self, capacity: lanes) { current in
            var chunk = first
            while chunk < end {
                let count = min(lanes, end - chunk)
                // Roots (a tree without nodes parks on node 0 and is not read: root < 0).
                for lane in 0..<count { current[lane] = max(0, tables.trees[chunk + lane].root) }
                if !tables.nodes.isEmpty {
                    // A path visits each node once at most: the bound only guards malformed tables.
                    var moving = true
                    var steps = 0
                    while moving && steps < tables.nodes.count {
                        moving = false
                        steps += 1
                        for lane in 0..<count {
                            let node = tables.nodes[Int(current[lane])]
                            current[lane] = x[Int(node.feature)] <= node.threshold ? node.left : node.right
                            moving = moving || node.leaf < 0
                        }
                    }
                }
                for lane in 0..<count {
                    let tree = tables.trees[chunk + lane]
                    guard tree.seen0 || tree.seen1 else { continue }
                    var p0 = 0.0, p1 = 0.0
                    let leafIndex = tree.root >= 0 ? Int(tables.nodes[Int(current[lane])].leaf) : -1
                    if leafIndex >= 0 {
                        let leaf = tables.leaves[leafIndex]
                        if leaf.naiveBayes {
                            (p0, p1) = naiveBayes(x, leaf: leaf, terms: tables.terms, halfLogTau: halfLogTau)
                        } else {
                            p0 = leaf.p0
                            p1 = leaf.p1
                        }
                    }
                    if tree.seen0 { s0 += p0 * tree.scale; has0 = true }
                    if tree.seen1 { s1 += p1 * tree.scale; has1 = true }
                }
                chunk += count
            }
        }
        // ClassStats.total and normalisation (sums of two terms are order-independent).
        var total = 0.0
        if has0 { total += s0 }
        if has1 { total += s1 }
        if total > 0 {
            s0 /= total
            s1 /= total
        }
        var after = 0.0
        if has0 { after += s0 }
        if has1 { after += s1 }
        return after > 0 ? (has1 ? s1 : 0) : 0.5
    }

    /// `RandomLeaf.naiveBayes`: per ordered class the log prior plus the finite Gaussian
    /// log densities, then a log-sum-exp normalisation; returns (p0, p1).
    @inline(__always)
    private static func naiveBayes(_ x: UnsafePointer<Double>, leaf: Leaf, terms: UnsafeBufferPointer<Term>,
                                   halfLogTau: Double) -> (Double, Double) {
        let count = Int(leaf.termCount)
        let start = Int(leaf.termStart)
        let v0 = logLikelihood(x, terms: terms, from: start, count: count, positive: leaf.positive0,
                               prior: leaf.logPrior0, halfLogTau: halfLogTau)
        let two = leaf.classCount > 1
        let v1 = two ? logLikelihood(x, terms: terms, from: start + count, count: count, positive: leaf.positive1,
                                     prior: leaf.logPrior1, halfLogTau: halfLogTau) : 0
        var maxLL = -Double.infinity
        if v0 > maxLL { maxLL = v0 }
        if two, v1 > maxLL { maxLL = v1 }
        var sum = 0.0
        sum += shiftedExp(v0, maxLL)
        if two { sum += shiftedExp(v1, maxLL) }
        let lse = maxLL + Foundation.log(sum)
        var p0 = 0.0, p1 = 0.0
        let e0 = exp(v0 - lse)
        if leaf.class0 == 0 { p0 = e0 } else { p1 = e0 }
        if two {
            let e1 = exp(v1 - lse)
            if leaf.class1 == 0 { p0 = e1 } else { p1 = e1 }
        }
        return (p0, p1)
    }

    /// One class's log likelihood: 0 without class weight, else the log prior plus every
    /// finite log density, in feature order.
    @inline(__always)
    private static func logLikelihood(_ x: UnsafePointer<Double>, terms: UnsafeBufferPointer<Term>, from start: Int,
                                      count: Int, positive: Bool, prior: Double, halfLogTau: Double) -> Double {
        guard positive else { return 0 }
        var v = prior
        for j in start..<(start + count) {
            let term = terms[j]
            guard term.valid else { continue }
            let d = x[Int(term.feature)] - term.mean
            let lp = d * d / term.negTwoVariance - halfLogTau - term.halfLogVariance
            if lp > -.infinity { v += lp }
        }
        return v
    }

    /// exp(v − maxLL), which is exactly 1 for the maximum itself (v − v = +0 when finite).
    @inline(__always)
    private static func shiftedExp(_ v: Double, _ maxLL: Double) -> Double {
        v == maxLL && v.isFinite ? 1 : exp(v - maxLL)
    }
}
