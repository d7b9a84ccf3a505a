// Ensemble over the configured model families (the seed's `model_types`), weighted by
// recent prequential performance: each member's accuracy over the last
// `ensemble_update_frequency` examples (predicted before learning) sets its weight
// w_i ∝ exp(sharpness · (acc_i − max_j acc_j)); weights are recomputed every
// `ensemble_update_frequency` examples (seed default 1000) and start uniform.
// Weighted-majority idea after Littlestone, N. & Warmuth, M. K. (1994). "The weighted
// majority algorithm." Information and Computation 108(2), 212–261.

import Foundation

/// Performance-weighted ensemble of online models.
public struct WeightedEnsemble: OnlineClassifier, Equatable {
    /// Hyper-parameters (CLI names: ensemble_update_frequency, ensemble_sharpness).
    public struct Configuration: Sendable, Codable, Equatable {
        public var updateFrequency = 1000
        public var sharpness = 50.0
        public init(updateFrequency: Int = 1000, sharpness: Double = 50.0) {
            self.updateFrequency = updateFrequency
            self.sharpness = sharpness
        }

        /// Throws `ParameterError.outOfRange` naming the first invalid parameter.
        public func validate() throws(ParameterError) {
            if updateFrequency < 1 || updateFrequency > 10_000_000 {
                throw .outOfRange(name: "ensemble_update_frequency", value: "\(updateFrequency)",
                                  allowed: "integer in [1, 10000000]")
            }
            if !(sharpness >= 0 && sharpness <= 1000) {
                throw .outOfRange(name: "ensemble_sharpness", value: "\(sharpness)", allowed: "0 <= x <= 1000")
            }
        }
    }

    public let configuration: Configuration
    public private(set) var members: [AnyOnlineModel]
    /// Current weights (sum 1).
    public private(set) var weights: [Double]
    private var correctInPeriod: [Int]
    private var seenInPeriod = 0

    /// An ensemble of `members` (at least one).
    public init(members: [AnyOnlineModel], configuration: Configuration = Configuration()) throws(ParameterError) {
        try configuration.validate()
        guard !members.isEmpty else {
            throw .outOfRange(name: "models", value: "0", allowed: "at least one model family")
        }
        self.configuration = configuration
        self.members = members
        weights = [Double](repeating: 1.0 / Double(members.count), count: members.count)
        correctInPeriod = [Int](repeating: 0, count: members.count)
    }

    public func predictProbability(_ features: [Double]) -> Double {
        var p = 0.0
        for (i, m) in members.enumerated() { p += weights[i] * m.predictProbability(features) }
        return min(max(p, 0), 1)
    }

    public mutating func learn(_ features: [Double], label: Bool) {
        for i in members.indices {
            if members[i].predictLabel(features) == label { correctInPeriod[i] += 1 }
            members[i].learn(features, label: label)
        }
        seenInPeriod += 1
        if seenInPeriod >= configuration.updateFrequency { reweight() }
    }

    private mutating func reweight() {
        let n = Double(seenInPeriod)
        var best = -Double.infinity
        for c in correctInPeriod { best = max(best, Double(c) / n) }
        var sum = 0.0
        for i in weights.indices {
            weights[i] = exp(configuration.sharpness * (Double(correctInPeriod[i]) / n - best))
            sum += weights[i]
        }
        for i in weights.indices { weights[i] /= sum }
        for i in correctInPeriod.indices { correctInPeriod[i] = 0 }
        seenInPeriod = 0
    }

    /// Consistency of decoded state.
    var isConsistent: Bool {
        (try? configuration.validate()) != nil && !members.isEmpty && weights.count == members.count
            && correctInPeriod.count == members.count && seenInPeriod >= 0
            && members.allSatisfy(\.isConsistent)
    }
}
