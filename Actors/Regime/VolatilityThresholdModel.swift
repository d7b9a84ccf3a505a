// Volatility-threshold detector: RiskMetrics EWMA volatility (J.P. Morgan 1996) compared with
// K−1 ascending thresholds, either configured or taken as quantiles (numpy's linear
// interpolation) of the warm-up's EWMA volatility.

import Foundation

/// EWMA volatility against thresholds. Probabilities are soft around each threshold:
/// P(state ≥ j) = logistic((ln σ − ln θ_j)/τ), p_j = P(≥ j) − P(≥ j+1).
public final class VolatilityThresholdModel: RegimeModel {
    /// Where the thresholds come from.
    public enum Thresholds: Sendable, Equatable, Codable {
        /// K−1 ascending volatilities in observation units.
        case fixed([Double])
        /// K−1 ascending probabilities in (0, 1): quantiles of the warm-up's EWMA volatility.
        case quantiles([Double])
    }

    /// Options.
    public struct Configuration: Sendable, Equatable, Codable {
        public var states: Int = 3
        /// EWMA decay λ of σ²_t = λσ²_{t−1} + (1−λ)(x_t − μ)².
        public var lambda: Double = 0.94
        /// Thresholds; `nil` means evenly spaced quantiles j/K.
        public var thresholds: Thresholds? = nil
        /// Softness τ of the assignment, in log-volatility units.
        public var softness: Double = 0.1
        public init(states: Int = 3) { self.states = states }
        func validate() throws(RegimeError) {
            try RegimeCheck.states(states)
            guard lambda > 0, lambda < 1 else { throw .invalidParameter(name: "threshold.lambda", value: "\(lambda)", allowed: "(0, 1)") }
            guard softness > 0 else { throw .invalidParameter(name: "threshold.softness", value: "\(softness)", allowed: "> 0") }
            switch thresholds {
            case .none: break
            case let .fixed(t)?:
                guard t.count == states - 1, zip(t, t.dropFirst()).allSatisfy({ $0 < $1 }), t.allSatisfy({ $0 > 0 }) else {
                    throw .invalidParameter(name: "threshold.thresholds", value: "\(t)", allowed: "\(states - 1) ascending positive volatilities")
                }
            case let .quantiles(q)?:
                guard q.count == states - 1, zip(q, q.dropFirst()).allSatisfy({ $0 < $1 }), q.allSatisfy({ $0 > 0 && $0 < 1 }) else {
                    throw .invalidParameter(name: "threshold.quantiles", value: "\(q)", allowed: "\(states - 1) ascending values in (0, 1)")
                }
            }
        }
    }

    public let name = "threshold"
    public let axis = RegimeAxis.volatility
    public let stateCount: Int
    public var minimumFitCount: Int { 20 }
    public private(set) var isFitted = false
    public let configuration: Configuration
    /// Thresholds in use, ascending (volatility units).
    public private(set) var cutpoints: [Double]
    /// Current EWMA variance.
    public private(set) var variance = 0.0
    private var logCut: [Double]
    private var mean = 0.0

    /// - Throws: ``RegimeError/invalidParameter(name:value:allowed:)`` for a bad configuration.
    public init(configuration: Configuration = .init()) throws(RegimeError) {
        try configuration.validate()
        self.configuration = configuration
        stateCount = configuration.states
        cutpoints = [Double](repeating: 1, count: stateCount - 1)
        logCut = [Double](repeating: 0, count: stateCount - 1)
        if case let .fixed(t)? = configuration.thresholds { setCutpoints(t); isFitted = true }
    }

    private func setCutpoints(_ t: [Double]) {
        cutpoints = t
        for j in 0..<t.count { logCut[j] = log(max(t[j], .leastNormalMagnitude)) }
    }

    /// Estimates the mean and, for quantile thresholds, the cut points; starts the EWMA at the
    /// window's last value if this is the first fit.
    public func fit(_ window: [Double]) throws(RegimeError) {
        try RegimeCheck.window(window, needed: minimumFitCount, detector: name)
        mean = window.reduce(0, +) / Double(window.count)
        let vols = VolatilityLevels.ewmaVolatility(window.map { $0 - mean }, lambda: configuration.lambda)
        switch configuration.thresholds {
        case .fixed?: break
        case let .quantiles(q)?: setCutpoints(q.map { Self.quantile(vols, $0) })
        case .none:
            // Natural breaks: geometric midpoints between the k-means levels of log volatility
            // (Jenks breaks in 1-D). Evenly spaced quantiles would assume equally frequent regimes.
            let lv = VolatilityLevels(fitting: vols, k: stateCount)
            setCutpoints(lv.varianceCutpoints.map { $0.squareRoot() })
        }
        if variance == 0, let last = vols.last { variance = last * last }
        isFitted = true
    }

    /// numpy `quantile(method="linear")`.
    static func quantile(_ x: [Double], _ q: Double) -> Double {
        let s = x.sorted()
        guard !s.isEmpty else { return 0 }
        let h = Double(s.count - 1) * q
        let lo = Int(h.rounded(.down)), hi = min(lo + 1, s.count - 1)
        return s[lo] + (h - Double(lo)) * (s[hi] - s[lo])
    }

    public func update(_ observation: Double, into p: UnsafeMutableBufferPointer<Double>) {
        let k = stateCount
        if observation.isFinite {
            let d = observation - mean
            variance = variance == 0 ? d * d : configuration.lambda * variance + (1 - configuration.lambda) * d * d
        }
        guard isFitted, variance > 0 else { RegimeCheck.uniform(p, k); return }
        let l = 0.5 * log(variance)
        var above = 1.0   // P(state ≥ j) for j = 0
        for j in 0..<k {
            let nextAbove = j + 1 < k ? 1 / (1 + exp(-(l - logCut[j]) / configuration.softness)) : 0
            p[j] = max(above - nextAbove, 0)
            above = min(above, nextAbove)
        }
        var s = 0.0
        for j in 0..<k { s += p[j] }
        for j in 0..<k { p[j] /= s }
    }

    public func reset() { variance = 0 }
}
