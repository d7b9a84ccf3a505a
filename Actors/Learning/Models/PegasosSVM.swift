// INCREMENTAL_SVM — linear SVM trained online on the hinge loss, Pegasos style:
// Shalev-Shwartz, S., Singer, Y., Srebro, N. & Cotter, A. (2011). "Pegasos: primal
// estimated sub-gradient solver for SVM." Mathematical Programming 127(1), 3–30.
// Probabilities by online Platt scaling: Platt, J. (1999). "Probabilistic outputs for
// support vector machines...", with the sigmoid σ(A·f + B) fitted by SGD on the log loss.
//
// Features are standardised online (River-style StandardScaler). Step schedule of
// Bottou's SGD-SVM, η_t = eta0 / (1 + λ·eta0·t), which keeps Pegasos' 1/(λt) decay
// asymptotically but starts at eta0 (Bottou, L. (2010), COMPSTAT); the unregularised
// intercept takes the same step; after each step w is projected onto the ball of
// radius 1/√λ (Pegasos' projection).

import Foundation

/// Online linear SVM (Pegasos) with online Platt-scaled probabilities.
public struct PegasosSVM: OnlineClassifier, Equatable {
    /// Hyper-parameters (CLI names: lambda, eta0, platt_lr).
    public struct Configuration: Sendable, Codable, Equatable {
        /// Regularisation strength λ (> 0).
        public var lambda = 1e-4
        /// Initial step η0 of weights and intercept.
        public var eta0 = 0.01
        /// Step of the Platt sigmoid's SGD.
        public var plattLearningRate = 0.01
        public init() {}

        /// Throws `ParameterError.outOfRange` naming the first invalid parameter.
        public func validate() throws(ParameterError) {
            if !(lambda > 0 && lambda < 1e3) {
                throw .outOfRange(name: "lambda", value: "\(lambda)", allowed: "0 < lambda < 1000")
            }
            if !(eta0 > 0 && eta0 <= 10) {
                throw .outOfRange(name: "eta0", value: "\(eta0)", allowed: "0 < eta0 <= 10")
            }
            if !(plattLearningRate >= 0 && plattLearningRate <= 1) {
                throw .outOfRange(name: "platt_lr", value: "\(plattLearningRate)", allowed: "[0, 1]")
            }
        }
    }

    public let configuration: Configuration
    public private(set) var scaler: StandardScaler
    public private(set) var weights: [Double]
    public private(set) var intercept = 0.0
    /// Platt sigmoid slope and offset.
    public private(set) var plattA = 1.0
    public private(set) var plattB = 0.0
    public private(set) var steps = 0.0

    /// A model for `dimension` features.
    public init(dimension: Int, configuration: Configuration = Configuration()) throws(ParameterError) {
        try configuration.validate()
        self.configuration = configuration
        scaler = StandardScaler(dimension: dimension)
        weights = [Double](repeating: 0, count: dimension)
    }

    /// Signed margin f(x) = w·z + b.
    public func margin(_ x: [Double]) -> Double {
        var dot = intercept
        for i in 0..<min(x.count, weights.count) { dot += weights[i] * scaler.transform(x[i], at: i) }
        return dot
    }

    public func predictProbability(_ features: [Double]) -> Double {
        LogisticRegression.sigmoid(plattA * margin(features) + plattB)
    }

    public mutating func learn(_ features: [Double], label: Bool) {
        let y: Double = label ? 1 : -1
        // Platt scaling on the margin of the model before this example (out-of-sample).
        let f = margin(features)
        let p = LogisticRegression.sigmoid(plattA * f + plattB)
        let target: Double = label ? 1 : 0
        plattA -= configuration.plattLearningRate * (p - target) * f
        plattB -= configuration.plattLearningRate * (p - target)

        scaler.learn(features)
        let eta = configuration.eta0 / (1 + configuration.lambda * configuration.eta0 * steps)
        steps += 1
        let fz = margin(features)
        let shrink = 1.0 - eta * configuration.lambda
        let violated = y * fz < 1
        var norm2 = 0.0
        for i in 0..<min(features.count, weights.count) {
            var w = weights[i] * shrink
            if violated { w += eta * y * scaler.transform(features[i], at: i) }
            weights[i] = w
            norm2 += w * w
        }
        if violated { intercept += eta * y }
        let radius = 1.0 / configuration.lambda.squareRoot()
        if norm2 > radius * radius {
            let s = radius / norm2.squareRoot()
            for i in 0..<weights.count { weights[i] *= s }
        }
    }
}
