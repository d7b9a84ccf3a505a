// Prediction-only form of a trained model, for the latency engine's hot path.
//
// The learner's models are built for learning: an ARF leaf keeps a class-weight
// dictionary in insertion order, one Gaussian splitter per monitored feature and
// class, and computes `log(w / total)` and the Gaussian log densities' derived
// terms on every call; predicting through them also copies leaves (retain/release
// per tree) and walks `ClassStats` iterators. `InferenceModel` compiles one model
// once (on the learner's thread, at publish time) into flat tables of plain structs
// in memory it owns — every term that depends only on the model (log class priors,
// −2σ², ½·log σ², leaf majority distributions, per-tree vote scales) is computed at
// compile time with the same floating-point operations the learner performs per
// call — so that `predictProbability` returns bit-for-bit what
// `ModelManager.predict` / `AnyOnlineModel.predictProbability` return, without
// allocation, reference counting, existentials or dictionary lookups: a call reads
// raw buffers only (the hot path's fast path; see PipelineBenchmarks).

import Foundation

/// An immutable, flattened copy of a model for prediction only (no learning).
///
/// Build it where the model learns (`InferenceModel(manager)`), send it to the
/// thread that predicts; `predictProbability` is allocation-free and returns exactly
/// the champion's `predictProbability` for the same features.
public final class InferenceModel: @unchecked Sendable {
    // @unchecked: every table is written once in init and only read afterwards; the
    // buffers are owned by this object and freed in deinit.

    /// The champion's version id (`ModelManager.currentVersion`) at compile time.
    public let version: Int
    /// The model family.
    public let kind: ModelKind
    /// Member 0 is the root: one family, or an ensemble of the members after it.
    let members: UnsafeMutableBufferPointer<Member>
    let linearTerms: UnsafeMutableBufferPointer<LinearTerm>
    let trees: UnsafeMutableBufferPointer<InferenceForest.Tree>
    let nodes: UnsafeMutableBufferPointer<InferenceForest.Node>
    let leaves: UnsafeMutableBufferPointer<InferenceForest.Leaf>
    let terms: UnsafeMutableBufferPointer<InferenceForest.Term>

    /// Compiles the champion of `manager`, tagged with its current version.
    public convenience init(_ manager: ModelManager) {
        self.init(manager.champion, version: manager.currentVersion)
    }

    /// Compiles one model.
    public init(_ model: AnyOnlineModel, version: Int = 0) {
        self.version = version
        kind = model.kind
        var builder = Builder()
        builder.add(model)
        members = Self.copy(builder.members)
        linearTerms = Self.copy(builder.linear)
        trees = Self.copy(builder.forests.trees)
        nodes = Self.copy(builder.forests.nodes)
        leaves = Self.copy(builder.forests.leaves)
        terms = Self.copy(builder.forests.terms)
    }

    deinit {
        members.deallocate()
        linearTerms.deallocate()
        trees.deallocate()
        nodes.deallocate()
        leaves.deallocate()
        terms.deallocate()
    }

    private static func copy<T>(_ array: [T]) -> UnsafeMutableBufferPointer<T> {
        let buffer = UnsafeMutableBufferPointer<T>.allocate(capacity: max(array.count, 1))
        _ = buffer.initialize(from: array)
        return UnsafeMutableBufferPointer(rebasing: buffer[0..<array.count])
    }

    /// Probability of class 1; identical to the source model's `predictProbability`.
    @inlinable
    public func predictProbability(_ features: [Double]) -> Double {
        features.withUnsafeBufferPointer { predictProbability($0) }
    }

    /// Probability of class 1 from features in a buffer (no array needed).
    public func predictProbability(_ features: UnsafeBufferPointer<Double>) -> Double {
        evaluate(0, features)
    }

    /// Probability of class 1 and the version (the shape of `ModelManager.predict`).
    public func predict(_ features: [Double]) -> (probability: Double, version: Int) {
        (predictProbability(features), version)
    }

    /// The forest tables, for tests.
    var forestView: InferenceForest.View {
        InferenceForest.View(trees: UnsafeBufferPointer(trees), nodes: UnsafeBufferPointer(nodes),
                             leaves: UnsafeBufferPointer(leaves), terms: UnsafeBufferPointer(terms))
    }

    /// Member `index`'s probability of class 1.
    private func evaluate(_ index: Int, _ x: UnsafeBufferPointer<Double>) -> Double {
        let member = members[index]
        switch member.family {
        case .logistic:
            // LogisticRegression: σ(Σ w·z + b), the sum starting at 0.
            return LogisticRegression.sigmoid(dot(member, x, start: 0) + member.intercept)
        case .svm:
            // PegasosSVM: σ(A·(b + Σ w·z) + B), the sum starting at the intercept.
            return LogisticRegression.sigmoid(member.plattA * dot(member, x, start: member.intercept) + member.plattB)
        case .forest:
            guard x.count >= Int(member.dimension), let base = x.baseAddress else { return 0.5 }
            return InferenceForest.vote(base, tables: forestView, first: Int(member.start),
                                        end: Int(member.start) + Int(member.count))
        case .ensemble:
            // WeightedEnsemble: Σ wᵢ·pᵢ in member order, clamped to [0, 1].
            var p = 0.0
            var i = Int(member.start)
            let end = i + Int(member.count)
            while i < end {
                p += members[i].weight * evaluate(i, x)
                i += 1
            }
            return min(max(p, 0), 1)
        case .constant:
            return member.constant
        }
    }

    /// `start + Σ w[i]·z[i]` over min(x.count, terms) features, in order
    /// (`StandardScaler.transform`: z = 0 where the variance is 0).
    @inline(__always)
    private func dot(_ member: Member, _ x: UnsafeBufferPointer<Double>, start: Double) -> Double {
        var dot = start
        let base = Int(member.start)
        for i in 0..<min(x.count, Int(member.count)) {
            let t = linearTerms[base + i]
            let z = t.variance != 0 ? (x[i] - t.mean) / t.deviation : 0.0
            dot += t.weight * z
        }
        return dot
    }
}

extension InferenceModel {
    /// One compiled model: a family with its parameters and the range of its table rows.
    struct Member: Sendable {
        enum Family: UInt8, Sendable { case logistic, svm, forest, ensemble, constant }
        var family: Family
        /// Weight in the parent ensemble (unused for the root).
        var weight: Double = 0
        var intercept: Double = 0
        var plattA: Double = 0
        var plattB: Double = 0
        var constant: Double = 0.5
        /// Forest: features needed (fewer → 0.5, as the learner).
        var dimension: Int32 = 0
        /// Linear: first row in `linearTerms` and count; forest: first tree and count;
        /// ensemble: first member and count.
        var start: Int32 = 0
        var count: Int32 = 0
    }

    /// A linear model's term for one feature: the weight and the scaler's mean,
    /// variance and deviation (`StandardScaler.transform`).
    struct LinearTerm: Sendable {
        var weight: Double
        var mean: Double
        var variance: Double
        var deviation: Double
    }

    /// Flattens a model tree into tables: member 0 is the root; an ensemble's children
    /// take consecutive slots, and their own children (if any) come after.
    struct Builder {
        var members: [Member] = []
        var linear: [LinearTerm] = []
        var forests = InferenceForest.Tables()

        /// Compiles `model` as the root.
        mutating func add(_ model: AnyOnlineModel) {
            members.append(Member(family: .constant))
            compile(model, into: 0)
        }

        /// Compiles `model` into the reserved slot `index` (keeping its weight).
        private mutating func compile(_ model: AnyOnlineModel, into index: Int) {
            if let gd = model.onlineGD {
                members[index].family = .logistic
                members[index].intercept = gd.intercept
                addLinear(index, scaler: gd.scaler, weights: gd.weights)
            } else if let svm = model.incrementalSVM {
                members[index].family = .svm
                members[index].intercept = svm.intercept
                members[index].plattA = svm.plattA
                members[index].plattB = svm.plattB
                addLinear(index, scaler: svm.scaler, weights: svm.weights)
            } else if let rf = model.streamRF {
                members[index].family = .forest
                members[index].dimension = Int32(rf.dimension)
                let range = forests.append(rf)
                members[index].start = Int32(range.lowerBound)
                members[index].count = Int32(range.count)
            } else if let ensemble = model.ensemble {
                members[index].family = .ensemble
                let used = min(ensemble.weights.count, ensemble.members.count)
                let first = members.count
                for i in 0..<used { members.append(Member(family: .constant, weight: ensemble.weights[i])) }
                members[index].start = Int32(first)
                members[index].count = Int32(used)
                for i in 0..<used { compile(ensemble.members[i], into: first + i) }
            }
        }

        private mutating func addLinear(_ index: Int, scaler: StandardScaler, weights: [Double]) {
            let n = min(weights.count, scaler.dimension)
            members[index].start = Int32(linear.count)
            members[index].count = Int32(n)
            for i in 0..<n {
                linear.append(LinearTerm(weight: weights[i], mean: scaler.means[i], variance: scaler.variances[i],
                                         deviation: scaler.deviations[i]))
            }
        }
    }
}
