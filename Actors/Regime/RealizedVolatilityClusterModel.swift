// Eighth detector: realised volatility over a trailing window, clustered by 1-D k-means
// (Lloyd 1982) on its logarithm at fit, nearest-level assignment online.
// Why this one: it makes no distributional assumption, so it stays right under the fat tails
// that bias the Gaussian-likelihood detectors (HMM, GMM, BOCPD), and it is the same measure the
// ensemble uses to label the realised regime.

import Foundation

/// Realised-volatility clustering detector. O(K) per update (running sum over a ring buffer),
/// no allocation.
public final class RealizedVolatilityClusterModel: RegimeModel {
    public let name = "rvcluster"
    public let axis = RegimeAxis.volatility
    public let stateCount: Int
    public var minimumFitCount: Int { window + 2 * stateCount }
    public var isFitted: Bool { levels != nil }
    /// Trailing window (observations).
    public let window: Int
    /// Levels learnt at fit.
    public private(set) var levels: VolatilityLevels?
    private let table: VolatilityLevelTable
    private var ring: [Double]
    private var head = 0, filled = 0
    private var sumSquares = 0.0
    private var mean = 0.0

    /// - Throws: ``RegimeError/invalidParameter(name:value:allowed:)`` for K outside 2...8 or a
    ///   window below 2.
    public init(states: Int = 3, window: Int = 20) throws(RegimeError) {
        try RegimeCheck.states(states)
        guard window >= 2 else { throw .invalidParameter(name: "rvcluster.window", value: "\(window)", allowed: ">= 2") }
        stateCount = states
        self.window = window
        ring = [Double](repeating: 0, count: window)
        table = VolatilityLevelTable(count: states)
    }

    /// Realised volatility √(mean of squared demeaned returns) over each trailing window of `x`.
    public static func rollingVolatility(_ x: [Double], window: Int, mean: Double = 0) -> [Double] {
        var out: [Double] = []
        out.reserveCapacity(x.count)
        var s = 0.0
        for i in 0..<x.count {
            s += (x[i] - mean) * (x[i] - mean)
            if i >= window { s -= (x[i - window] - mean) * (x[i - window] - mean) }
            out.append((max(s, 0) / Double(min(i + 1, window))).squareRoot())
        }
        return out
    }

    public func fit(_ x: [Double]) throws(RegimeError) {
        try RegimeCheck.window(x, needed: minimumFitCount, detector: name)
        mean = x.reduce(0, +) / Double(x.count)
        let vols = Self.rollingVolatility(x, window: window, mean: mean)
        let lv = VolatilityLevels(fitting: Array(vols.dropFirst(window - 1)), k: stateCount)
        levels = lv
        table.set(lv)
    }

    public func update(_ observation: Double, into p: UnsafeMutableBufferPointer<Double>) {
        if observation.isFinite {
            let d = (observation - mean) * (observation - mean)
            if filled == window { sumSquares -= ring[head] } else { filled += 1 }
            ring[head] = d
            sumSquares += d
            head = head + 1 == window ? 0 : head + 1
        }
        guard table.isSet, filled > 0 else { RegimeCheck.uniform(p, stateCount); return }
        table.probabilities(of: (max(sumSquares, 0) / Double(filled)).squareRoot(), into: p)
    }

    public func reset() { head = 0; filled = 0; sumSquares = 0; for i in 0..<window { ring[i] = 0 } }
}
