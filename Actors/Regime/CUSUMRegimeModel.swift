// Two-sided CUSUM (Page 1954) on standardised returns for shifts of volatility between
// adjacent levels: the log-likelihood ratio of N(0, σ²_{s±1}) against N(0, σ²_s) is accumulated
// in two one-sided sums; crossing `threshold` moves the state one level and resets both sums.

import Foundation

/// CUSUM regime detector. Levels σ_0 < … < σ_{K-1} come from k-means on the warm-up's EWMA
/// volatility; the observation is standardised by the current level, z = (x − μ)/σ_s.
public final class CUSUMRegimeModel: RegimeModel {
    /// Options.
    public struct Configuration: Sendable, Equatable, Codable {
        /// Number of states K (2...8).
        public var states: Int = 3
        /// Alarm threshold h on each one-sided sum (nats of log-likelihood ratio).
        public var threshold: Double = 5
        /// EWMA decay used to learn the levels at fit.
        public var lambda: Double = 0.94
        public init(states: Int = 3) { self.states = states }
        func validate() throws(RegimeError) {
            try RegimeCheck.states(states)
            guard threshold > 0 else { throw .invalidParameter(name: "cusum.threshold", value: "\(threshold)", allowed: "> 0") }
            guard lambda > 0, lambda < 1 else { throw .invalidParameter(name: "cusum.lambda", value: "\(lambda)", allowed: "(0, 1)") }
        }
    }

    public let name = "cusum"
    public let axis = RegimeAxis.volatility
    public let stateCount: Int
    public var minimumFitCount: Int { 20 }
    public private(set) var isFitted = false
    public let configuration: Configuration
    /// Learnt levels (nil before fit).
    public private(set) var levels: VolatilityLevels?
    /// Current state index.
    public private(set) var state = 0
    /// Upward and downward sums (nats).
    public private(set) var upSum = 0.0, downSum = 0.0
    private var mean = 0.0
    private var sigma: [Double]

    /// - Throws: ``RegimeError/invalidParameter(name:value:allowed:)`` for a bad configuration.
    public init(configuration: Configuration = .init()) throws(RegimeError) {
        try configuration.validate()
        self.configuration = configuration
        stateCount = configuration.states
        sigma = [Double](repeating: 1, count: stateCount)
    }

    public func fit(_ window: [Double]) throws(RegimeError) {
        try RegimeCheck.window(window, needed: minimumFitCount, detector: name)
        mean = window.reduce(0, +) / Double(window.count)
        let lv = VolatilityLevels(fitting: VolatilityLevels.ewmaVolatility(window.map { $0 - mean }, lambda: configuration.lambda), k: stateCount)
        levels = lv
        sigma = lv.levels
        if !isFitted {
            state = lv.state(of: VolatilityLevels.ewmaVolatility(window.map { $0 - mean }, lambda: configuration.lambda).last ?? sigma[0])
        }
        isFitted = true
    }

    /// Adds the two log-likelihood ratios, moves the state on an alarm, writes probabilities:
    /// 1 − ½·S⁺/h − ½·S⁻/h on the current state, ½·S±/h on its neighbours.
    public func update(_ observation: Double, into p: UnsafeMutableBufferPointer<Double>) {
        let k = stateCount
        guard isFitted else { RegimeCheck.uniform(p, k); return }
        if observation.isFinite {
            let z2 = (observation - mean) * (observation - mean) / (sigma[state] * sigma[state])
            if state + 1 < k {
                let r = sigma[state] * sigma[state] / (sigma[state + 1] * sigma[state + 1])
                upSum = max(0, upSum + 0.5 * log(r) + 0.5 * z2 * (1 - r))
            }
            if state > 0 {
                let r = sigma[state] * sigma[state] / (sigma[state - 1] * sigma[state - 1])
                downSum = max(0, downSum + 0.5 * log(r) + 0.5 * z2 * (1 - r))
            }
            let h = configuration.threshold
            if upSum >= h, state + 1 < k { state += 1; upSum = 0; downSum = 0 }
            else if downSum >= h, state > 0 { state -= 1; upSum = 0; downSum = 0 }
        }
        let h = configuration.threshold
        for j in 0..<k { p[j] = 0 }
        let up = state + 1 < k ? 0.5 * min(upSum / h, 1) : 0
        let down = state > 0 ? 0.5 * min(downSum / h, 1) : 0
        p[state] = 1 - up - down
        if state + 1 < k { p[state + 1] = up }
        if state > 0 { p[state - 1] = down }
    }

    public func reset() { upSum = 0; downSum = 0; state = 0 }
}
