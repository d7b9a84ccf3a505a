// Trend regime (down / flat / up) from the t-statistic of an EMA slope: the EMA of returns
// (the slope of the log-price EMA) divided by its standard error under i.i.d. noise,
// se² = s² · a/(2 − a) with a the EMA weight (Roberts 1959 for the EWMA variance factor).

import Foundation

/// Trend detector with three states in drift order: 0 = down, 1 = flat, 2 = up
/// (its ``axis`` is ``RegimeAxis/trend``, not volatility). Needs no fit; `fit` only primes the
/// averages from a window. O(1) per update.
public final class TrendRegimeModel: RegimeModel {
    /// Options.
    public struct Configuration: Sendable, Equatable, Codable {
        /// EMA span N (weight a = 2/(N+1)), in observations.
        public var span: Double = 50
        /// |t| above which the trend is called (standard errors).
        public var tCritical: Double = 2
        /// Softness of the call, in t units.
        public var softness: Double = 0.5
        public init() {}
        func validate() throws(RegimeError) {
            guard span >= 2 else { throw .invalidParameter(name: "trend.span", value: "\(span)", allowed: ">= 2") }
            guard tCritical > 0, softness > 0 else {
                throw .invalidParameter(name: "trend.tCritical/softness", value: "\(tCritical)/\(softness)", allowed: "> 0")
            }
        }
    }

    public let name = "trend"
    public let axis = RegimeAxis.trend
    public let stateCount = 3
    public var minimumFitCount: Int { 2 }
    public var isFitted: Bool { true }
    public let configuration: Configuration
    /// Current t-statistic of the EMA slope.
    public private(set) var tStatistic = 0.0
    private let a: Double
    private var mean = 0.0, meanSquare = 0.0, seen = 0

    /// - Throws: ``RegimeError/invalidParameter(name:value:allowed:)`` for a bad configuration.
    public init(configuration: Configuration = .init()) throws(RegimeError) {
        try configuration.validate()
        self.configuration = configuration
        a = 2 / (configuration.span + 1)
    }

    /// Primes the EMA of returns and of squared returns with `window` if nothing was seen yet.
    public func fit(_ window: [Double]) throws(RegimeError) {
        try RegimeCheck.window(window, needed: minimumFitCount, detector: name)
        guard seen == 0 else { return }
        for x in window { accumulate(x) }
    }

    private func accumulate(_ x: Double) {
        if seen == 0 { mean = x; meanSquare = x * x } else {
            mean += a * (x - mean)
            meanSquare += a * (x * x - meanSquare)
        }
        seen += 1
    }

    public func update(_ observation: Double, into p: UnsafeMutableBufferPointer<Double>) {
        if observation.isFinite { accumulate(observation) }
        let variance = max(meanSquare - mean * mean, 0)
        let se = (variance * a / (2 - a)).squareRoot()
        tStatistic = se > 0 && seen > 1 ? mean / se : 0
        let c = configuration.tCritical, s = configuration.softness
        let up = 1 / (1 + exp(-(tStatistic - c) / s))
        let down = 1 / (1 + exp(-(-tStatistic - c) / s))
        p[0] = down; p[2] = up; p[1] = max(1 - up - down, 0)
        let total = p[0] + p[1] + p[2]
        for j in 0..<3 { p[j] /= total }
    }

    public func reset() { mean = 0; meanSquare = 0; seen = 0; tStatistic = 0 }
}
