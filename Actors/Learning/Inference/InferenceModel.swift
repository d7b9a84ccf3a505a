// Prediction-only form of a trained model, for the latency engine's hot path.
//
// The learner's models are built for learning: an ARF leaf keeps a class-weight
// dictionary in insertion order, one Gaussian splitter per monitored feature and
// class, and computes `log(w / total)` and the Gaussian log densities' derived
// terms on every call; predicting through them also copies leaves (retain/release
// per tree) and walks `ClassStats` iterators. `InferenceModel` compiles one model
// once (on the learner's thread, at publish time) into immutable arrays of plain
// structs — every term that depends only on the model (log class priors, −2σ²,
// ½·log σ², leaf majority distributions, per-tree vote scales) is computed at
// compile time with the same floating-point operations the learner performs per
// call — so that `predictProbability` returns bit-for-bit what
// `ModelManager.predict` / `AnyOnlineModel.predictProbability` return, without
// allocation, reference counting or dictionary lookups.

import Foundation

/// An immutable, flattened copy of a model for prediction only (no learning).
///
/// Build it where the model learns (`InferenceModel(manager)`), send it to the
/// thread that predicts; `predictProbability` is allocation-free and returns exactly
/// the champion's `predictProbability` for the same features.
public final class InferenceModel: Sendable {
    /// The champion's version id (`ModelManager.currentVersion`) at compile time.
    public let version: Int
    /// The model family.
    public let kind: ModelKind
    let root: InferenceNode

    /// Compiles the champion of `manager`, tagged with its current version.
    public convenience init(_ manager: ModelManager) {
        self.init(manager.champion, version: manager.currentVersion)
    }

    /// Compiles one model.
    public init(_ model: AnyOnlineModel, version: Int = 0) {
        self.version = version
        kind = model.kind
        root = InferenceNode(model)
    }

    /// Probability of class 1; identical to the source model's `predictProbability`.
    @inlinable
    public func predictProbability(_ features: [Double]) -> Double {
        features.withUnsafeBufferPointer { predictProbability($0) }
    }

    /// Probability of class 1 from features in a buffer (no array needed).
    public func predictProbability(_ features: UnsafeBufferPointer<Double>) -> Double {
        root.predict(features)
    }

    /// Probability of class 1 and the version (the shape of `ModelManager.predict`).
    public func predict(_ features: [Double]) -> (probability: Double, version: Int) {
        (predictProbability(features), version)
    }
}

/// One compiled model of any family.
enum InferenceNode: Sendable {
    case logistic(InferenceLinear)
    case svm(InferenceLinear, plattA: Double, plattB: Double)
    case forest(InferenceForest)
    case ensemble(weights: [Double], members: [InferenceNode])
    case constant(Double)

    init(_ model: AnyOnlineModel) {
        if let gd = model.onlineGD {
            self = .logistic(InferenceLinear(scaler: gd.scaler, weights: gd.weights, intercept: gd.intercept))
        } else if let svm = model.incrementalSVM {
            self = .svm(InferenceLinear(scaler: svm.scaler, weights: svm.weights, intercept: svm.intercept),
                        plattA: svm.plattA, plattB: svm.plattB)
        } else if let rf = model.streamRF {
            self = .forest(InferenceForest(rf))
        } else if let ensemble = model.ensemble {
            self = .ensemble(weights: ensemble.weights, members: ensemble.members.map { InferenceNode($0) })
        } else {
            self = .constant(0.5)
        }
    }

    func predict(_ x: UnsafeBufferPointer<Double>) -> Double {
        switch self {
        case .logistic(let linear):
            // LogisticRegression: σ(Σ w·z + b), the sum starting at 0.
            return LogisticRegression.sigmoid(linear.dot(x, start: 0) + linear.intercept)
        case .svm(let linear, let a, let b):
            // PegasosSVM: σ(A·(b + Σ w·z) + B), the sum starting at the intercept.
            return LogisticRegression.sigmoid(a * linear.dot(x, start: linear.intercept) + b)
        case .forest(let forest):
            return forest.predict(x)
        case .ensemble(let weights, let members):
            // WeightedEnsemble: Σ wᵢ·pᵢ in member order, clamped to [0, 1].
            var p = 0.0
            for i in 0..<min(weights.count, members.count) { p += weights[i] * members[i].predict(x) }
            return min(max(p, 0), 1)
        case .constant(let p):
            return p
        }
    }
}

/// A linear model over online-standardised features: per feature the weight and
/// the scaler's mean, variance and deviation (`StandardScaler.transform`).
struct InferenceLinear: Sendable {
    struct Term: Sendable {
        var weight: Double
        var mean: Double
        var variance: Double
        var deviation: Double
    }

    let terms: [Term]
    let intercept: Double

    init(scaler: StandardScaler, weights: [Double], intercept: Double) {
        let n = min(weights.count, scaler.dimension)
        terms = (0..<n).map { i in
            Term(weight: weights[i], mean: scaler.means[i], variance: scaler.variances[i], deviation: scaler.deviations[i])
        }
        self.intercept = intercept
    }

    /// `start + Σ w[i]·z[i]` over min(x.count, terms) features, in order.
    @inline(__always)
    func dot(_ x: UnsafeBufferPointer<Double>, start: Double) -> Double {
        terms.withUnsafeBufferPointer { t in
            var dot = start
            for i in 0..<min(x.count, t.count) {
                let z = t[i].variance != 0 ? (x[i] - t[i].mean) / t[i].deviation : 0.0
                dot += t[i].weight * z
            }
            return dot
        }
    }
}
