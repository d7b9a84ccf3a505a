// ONLINE_GD — logistic regression trained by stochastic gradient descent on the log
// loss, after online standard scaling. Mirrors River 0.26's
// `preprocessing.StandardScaler() | linear_model.LogisticRegression()` defaults:
// SGD(lr=0.01), intercept_lr=0.01, l2=0, clip_gradient=1e12, zero initial weights; the
// scaler learns the example before it is transformed for the weight update, and
// prediction uses the scaler's current statistics.
// Reference: Bottou, L. (2010). "Large-scale machine learning with stochastic gradient
// descent." COMPSTAT 2010, 177–186.

import Foundation

/// Online logistic regression (ONLINE_GD) with an online standard scaler.
public struct LogisticRegression: OnlineClassifier, Equatable {
    /// Learning-rate schedule of the weights.
    public enum Schedule: String, Sendable, Codable, CaseIterable {
        /// η_t = learning_rate (River's default `optim.SGD(0.01)`).
        case constant
        /// η_t = learning_rate / (t + 1)^power_t (River's `schedulers.InverseScaling`).
        case invscaling
    }

    /// Hyper-parameters (River names in the CLI: learning_rate, intercept_lr, l2,
    /// schedule, power_t, clip_gradient).
    public struct Configuration: Sendable, Codable, Equatable {
        public var learningRate = 0.01
        public var interceptLearningRate = 0.01
        public var l2 = 0.0
        public var schedule = Schedule.constant
        public var powerT = 0.5
        public var clipGradient = 1e12
        public init() {}

        /// Throws `ParameterError.outOfRange` naming the first invalid parameter.
        public func validate() throws(ParameterError) {
            if !(learningRate > 0 && learningRate.isFinite) {
                throw .outOfRange(name: "learning_rate", value: "\(learningRate)", allowed: "finite > 0")
            }
            if !(interceptLearningRate >= 0 && interceptLearningRate.isFinite) {
                throw .outOfRange(name: "intercept_lr", value: "\(interceptLearningRate)", allowed: "finite >= 0")
            }
            if !(l2 >= 0 && l2.isFinite) { throw .outOfRange(name: "l2", value: "\(l2)", allowed: "finite >= 0") }
            if !(powerT >= 0 && powerT <= 10) {
                throw .outOfRange(name: "power_t", value: "\(powerT)", allowed: "0 <= power_t <= 10")
            }
            if !(clipGradient > 0) {
                throw .outOfRange(name: "clip_gradient", value: "\(clipGradient)", allowed: "> 0")
            }
        }
    }

    public let configuration: Configuration
    public private(set) var scaler: StandardScaler
    public private(set) var weights: [Double]
    public private(set) var intercept = 0.0
    /// Weight updates so far (River's `optimizer.n_iterations`).
    public private(set) var iterations = 0

    /// A model for `dimension` features.
    public init(dimension: Int, configuration: Configuration = Configuration()) throws(ParameterError) {
        try configuration.validate()
        self.configuration = configuration
        scaler = StandardScaler(dimension: dimension)
        weights = [Double](repeating: 0, count: dimension)
    }

    /// Raw score w·z + b on scaled features `z`.
    private func rawDot(_ x: [Double]) -> Double {
        var dot = 0.0
        for i in 0..<min(x.count, weights.count) { dot += weights[i] * scaler.transform(x[i], at: i) }
        return dot + intercept
    }

    public func predictProbability(_ features: [Double]) -> Double {
        Self.sigmoid(rawDot(features))
    }

    /// River's `utils.math.sigmoid`.
    static func sigmoid(_ x: Double) -> Double {
        if x < -30 { return 0 }
        if x > 30 { return 1 }
        return 1 / (1 + exp(-x))
    }

    /// River's `optim.losses.Log().gradient` for y ∈ {0, 1} and a raw score.
    static func logLossGradient(label: Bool, raw: Double) -> Double {
        let y: Double = label ? 1 : -1
        let z = raw * y
        if z > 18 { return exp(-z) * -y }
        if z < -18 { return -y }
        return -y / (exp(z) + 1.0)
    }

    private var learningRate: Double {
        switch configuration.schedule {
        case .constant: return configuration.learningRate
        case .invscaling: return configuration.learningRate / pow(Double(iterations + 1), configuration.powerT)
        }
    }

    public mutating func learn(_ features: [Double], label: Bool) {
        scaler.learn(features)
        let raw = rawDot(features)
        let clip = configuration.clipGradient
        let g = min(max(Self.logLossGradient(label: label, raw: raw), -clip), clip)
        intercept -= configuration.interceptLearningRate * g
        let eta = learningRate
        for i in 0..<min(features.count, weights.count) {
            var gi = scaler.transform(features[i], at: i) * g
            if configuration.l2 != 0 { gi += configuration.l2 * weights[i] }
            weights[i] -= eta * gi
        }
        iterations += 1
    }
}
