// STREAM_RF — Adaptive Random Forest for binary classification.
// Gomes, H. M., Bifet, A., Read, J., Barddal, J. P., Enembreck, F., Pfahringer, B.,
// Holmes, G. & Abdessalem, T. (2017). "Adaptive random forests for evolving data
// stream classification." Machine Learning 106(9–10), 1469–1495.
//
// Follows River 0.26 `forest.ARFClassifier` defaults and update order: n_models 10,
// max_features "sqrt" (round(√d)), lambda 6 (online bagging with Poisson(6) weights),
// grace_period 50, delta 0.01, tau 0.05, per-tree accuracy-weighted vote, per-tree
// ADWIN warning (δ = 0.01) and drift (δ = 0.001) detectors fed the tree's 0/1 error;
// a warning starts a background tree, a drift replaces the tree by its background
// (or a fresh tree). One generator (CPython-compatible Mersenne Twister seeded with
// `seed`) drives the Poisson draws and the leaves' feature subsets in River's order.

import Foundation

/// Adaptive random forest (STREAM_RF) of binary Hoeffding trees.
public struct AdaptiveRandomForest: OnlineClassifier, Equatable {
    /// Hyper-parameters (River names in the CLI: n_models, lambda_value, grace_period,
    /// delta, tau, max_features, warning_delta, drift_delta, seed).
    public struct Configuration: Sendable, Codable, Equatable {
        public var models = 10
        public var lambda = 6.0
        public var gracePeriod = 50
        public var delta = 0.01
        public var tau = 0.05
        /// Features per leaf; 0 = round(sqrt(d)) as River's "sqrt".
        public var maxFeatures = 0
        public var warningDelta = 0.01
        public var driftDelta = 0.001
        public var seed = 42
        public init() {}

        /// Throws `ParameterError.outOfRange` naming the first invalid parameter.
        public func validate() throws(ParameterError) {
            if models < 1 || models > 1000 {
                throw .outOfRange(name: "n_models", value: "\(models)", allowed: "integer in [1, 1000]")
            }
            if !(lambda > 0 && lambda <= 100) {
                throw .outOfRange(name: "lambda_value", value: "\(lambda)", allowed: "0 < lambda_value <= 100")
            }
            if gracePeriod < 1 {
                throw .outOfRange(name: "grace_period", value: "\(gracePeriod)", allowed: "integer >= 1")
            }
            if !(delta > 0 && delta < 1) { throw .outOfRange(name: "delta", value: "\(delta)", allowed: "0 < delta < 1") }
            if !(tau >= 0 && tau <= 1) { throw .outOfRange(name: "tau", value: "\(tau)", allowed: "0 <= tau <= 1") }
            if maxFeatures < 0 {
                throw .outOfRange(name: "max_features", value: "\(maxFeatures)", allowed: "integer >= 0 (0 = sqrt)")
            }
            if !(warningDelta > 0 && warningDelta < 1) {
                throw .outOfRange(name: "warning_delta", value: "\(warningDelta)", allowed: "0 < warning_delta < 1")
            }
            if !(driftDelta > 0 && driftDelta < 1) {
                throw .outOfRange(name: "drift_delta", value: "\(driftDelta)", allowed: "0 < drift_delta < 1")
            }
        }
    }

    /// Per-tree state: tree, optional background tree, detectors and accuracy.
    struct Member: Sendable, Codable, Equatable {
        var tree: HoeffdingTree
        var background: HoeffdingTree?
        var warning: ADWIN
        var drift: ADWIN
        var correct = 0.0
        var seen = 0.0
        var accuracy: Double { seen > 0 ? correct / seen : 0 }
    }

    public let configuration: Configuration
    public let dimension: Int
    private(set) var members: [Member]
    private(set) var rng: PythonRandom
    let treeParameters: HoeffdingTree.Parameters
    /// exp(−lambda), River's `L` in `poisson`.
    private let poissonLimit: Double
    /// Per-tree labels computed by `predictLabelThenLearn` (preallocated).
    private var scratchLabels: [Int?] = []
    /// Per-tree inspections of the same pass, reused by the trees' `learn` (transient,
    /// not persisted).
    private var scratchInspections: [HoeffdingTree.Inspection?] = []

    private enum CodingKeys: String, CodingKey {
        case configuration, dimension, members, rng, treeParameters, poissonLimit, warnings, drifts
    }

    /// Equality of the persisted state (the transient prediction buffers are ignored).
    public static func == (a: Self, b: Self) -> Bool {
        a.configuration == b.configuration && a.dimension == b.dimension && a.members == b.members
            && a.rng == b.rng && a.treeParameters == b.treeParameters && a.poissonLimit == b.poissonLimit
            && a.warnings == b.warnings && a.drifts == b.drifts
    }
    /// Warnings and drifts detected over all trees.
    public private(set) var warnings = 0
    public private(set) var drifts = 0

    /// A forest for `dimension` features.
    public init(dimension: Int, configuration: Configuration = Configuration()) throws(ParameterError) {
        try configuration.validate()
        guard dimension >= 1 else {
            throw .outOfRange(name: "features", value: "\(dimension)", allowed: "at least 1 feature column")
        }
        self.configuration = configuration
        self.dimension = dimension
        var k = configuration.maxFeatures
        if k == 0 { k = Int(Double(dimension).squareRoot().rounded(.toNearestOrEven)) }
        k = min(max(k, 1), dimension)
        treeParameters = .init(gracePeriod: Double(configuration.gracePeriod), delta: configuration.delta,
                               tau: configuration.tau, maxFeatures: k)
        rng = PythonRandom(seed: configuration.seed)
        poissonLimit = exp(-configuration.lambda)
        scratchLabels = [Int?](repeating: nil, count: configuration.models)
        scratchInspections = [HoeffdingTree.Inspection?](repeating: nil, count: configuration.models)
        let warning = try ADWIN(.init(delta: configuration.warningDelta))
        let drift = try ADWIN(.init(delta: configuration.driftDelta))
        let tree = HoeffdingTree(parameters: treeParameters)
        members = [Member](repeating: Member(tree: tree, warning: warning, drift: drift), count: configuration.models)
    }

    /// River's weighted vote: per-class sums of tree probabilities × tree accuracy, in
    /// first-seen class order, normalised when the total is positive.
    private func vote(_ x: [Double]) -> ClassStats {
        var sum = ClassStats()
        for i in members.indices {
            Self.addVote(members[i].tree.predictProba(x), accuracy: members[i].accuracy,
                         seen: members[i].tree.seen, to: &sum)
        }
        return Self.normalized(sum)
    }

    @inline(__always)
    private static func addVote(_ proba: (p0: Double, p1: Double)?, accuracy a: Double, seen: Pair<Bool>,
                                to sum: inout ClassStats) {
        guard let (p0, p1) = proba else { return }
        let scale = a > 0 ? a : 1
        for c in 0...1 where seen[c] { sum.add(c, (c == 0 ? p0 : p1) * scale) }
    }

    private static func normalized(_ s: ClassStats) -> ClassStats {
        var sum = s
        let total = sum.total
        if total > 0 { for c in sum.order.classes { sum.weight[c] /= total } }
        return sum
    }

    /// Prequential step: River's `predict_one` (returned), then `learn_one`, computing
    /// each tree's prediction once for both (identical results to calling them in turn).
    public mutating func predictLabelThenLearn(_ features: [Double], label: Bool) -> Bool? {
        guard features.count >= dimension else { return nil }
        if scratchLabels.count != members.count {  // after decoding: transient buffers are not persisted
            scratchLabels = [Int?](repeating: nil, count: members.count)
            scratchInspections = [HoeffdingTree.Inspection?](repeating: nil, count: members.count)
        }
        var sum = ClassStats()
        for i in members.indices {
            let inspection = members[i].tree.inspect(features)
            let proba = inspection.proba.map { (p0: $0[0], p1: $0[1]) }
            Self.addVote(proba, accuracy: members[i].accuracy, seen: members[i].tree.seen, to: &sum)
            scratchLabels[i] = HoeffdingTree.label(proba, seen: members[i].tree.seen)
            scratchInspections[i] = inspection
        }
        let predicted = Self.normalized(sum).argmax.map { $0 == 1 }
        learn(features, label: label, treePredictions: true)
        return predicted
    }

    public func predictProbability(_ features: [Double]) -> Double {
        guard features.count >= dimension else { return 0.5 }
        let v = vote(features)
        return v.total > 0 ? v.weight[1] : 0.5
    }

    /// River's `predict_one`: nil before any class was seen.
    public func predictLabel(_ features: [Double]) -> Bool? {
        guard features.count >= dimension else { return nil }
        return vote(features).argmax.map { $0 == 1 }
    }

    public mutating func learn(_ features: [Double], label: Bool) {
        learn(features, label: label, treePredictions: false)
    }

    private mutating func learn(_ features: [Double], label: Bool, treePredictions: Bool) {
        guard features.count >= dimension else { return }
        let c = label ? 1 : 0
        for i in members.indices {
            let predicted = treePredictions ? scratchLabels[i] : members[i].tree.predictLabel(features)
            members[i].seen += 1
            if predicted == c { members[i].correct += 1 }
            let k = poisson()
            guard k > 0 else { continue }
            let w = Double(k)
            if members[i].background != nil {
                members[i].background?.learn(features, label: c, weight: w, rng: &rng)
            }
            members[i].tree.learn(features, label: c, weight: w, rng: &rng,
                                  cached: treePredictions ? scratchInspections[i] : nil)
            let error: Double = predicted == c ? 0 : 1
            members[i].warning.update(error)
            if members[i].warning.driftDetected {
                members[i].background = HoeffdingTree(parameters: treeParameters)
                members[i].warning.reset()
                warnings += 1
            }
            members[i].drift.update(error)
            if members[i].drift.driftDetected {
                if let bg = members[i].background {
                    members[i].tree = bg
                    members[i].background = nil
                    members[i].warning.reset()
                } else {
                    members[i].tree = HoeffdingTree(parameters: treeParameters)
                }
                members[i].drift.reset()
                members[i].correct = 0
                members[i].seen = 0
                drifts += 1
            }
        }
    }

    /// River's `utils.random.poisson` (Knuth's multiplication method).
    private mutating func poisson() -> Int {
        let limit = poissonLimit
        var k = 0
        var p = 1.0
        while p > limit {
            k += 1
            p *= rng.random()
        }
        return k - 1
    }
}
