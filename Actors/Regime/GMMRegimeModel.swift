// Online regime detector on a 1-D Gaussian mixture (see GaussianMixture1D.swift): each
// observation gets the mixture's posterior responsibilities, components ordered by variance.

import Foundation

/// Gaussian-mixture regime detector: EM fit on the warm-up window, then per-observation
/// posterior assignment (no memory between observations). O(K) per update, no allocation.
public final class GMMRegimeModel: RegimeModel {
    public let name = "gmm"
    public let axis = RegimeAxis.volatility
    public let stateCount: Int
    public var minimumFitCount: Int { 2 * stateCount }
    public var isFitted: Bool { mixture != nil }
    /// Fitting options.
    public let configuration: GaussianMixture1D.Configuration
    /// The current mixture (nil before the first fit).
    public private(set) var mixture: GaussianMixture1D?
    private var logWeightNorm: [Double]
    private var means: [Double]
    private var halfInvVar: [Double]
    private var last: [Double]

    /// - Throws: ``RegimeError/invalidParameter(name:value:allowed:)`` for a bad configuration.
    public init(configuration: GaussianMixture1D.Configuration = .init()) throws(RegimeError) {
        try configuration.validate()
        self.configuration = configuration
        stateCount = configuration.components
        logWeightNorm = [Double](repeating: 0, count: stateCount)
        means = logWeightNorm; halfInvVar = logWeightNorm
        last = [Double](repeating: 1 / Double(stateCount), count: stateCount)
    }

    public func fit(_ window: [Double]) throws(RegimeError) {
        let m = try GaussianMixture1D.fit(window, configuration: configuration)
        mixture = m
        for j in 0..<stateCount {
            means[j] = m.means[j]
            halfInvVar[j] = 0.5 / m.variances[j]
            logWeightNorm[j] = log(m.weights[j]) - 0.5 * (1.8378770664093453 + log(m.variances[j]))
        }
    }

    public func update(_ observation: Double, into p: UnsafeMutableBufferPointer<Double>) {
        let k = stateCount
        guard isFitted else { RegimeCheck.uniform(p, k); return }
        if observation.isFinite {
            var mx = -Double.infinity
            for j in 0..<k {
                let d = observation - means[j]
                let l = logWeightNorm[j] - d * d * halfInvVar[j]
                last[j] = l
                if l > mx { mx = l }
            }
            var s = 0.0
            for j in 0..<k { last[j] = exp(last[j] - mx); s += last[j] }
            for j in 0..<k { last[j] /= s }
        }
        for j in 0..<k { p[j] = last[j] }
    }

    public func reset() { for j in 0..<stateCount { last[j] = 1 / Double(stateCount) } }
}
