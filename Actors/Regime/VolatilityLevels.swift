// K volatility levels learnt by 1-D k-means (Lloyd 1982) on log volatility, used to map a
// volatility estimate to canonical states (lowest first) with soft, Gaussian-kernel probabilities.

import Foundation

/// K volatility levels (ascending) and a soft assignment of a volatility to them.
public struct VolatilityLevels: Sendable, Equatable, Codable {
    /// Centres of log volatility, ascending.
    public private(set) var logCenters: [Double]
    /// Pooled within-cluster standard deviation of log volatility (floored at 0.05).
    public private(set) var logSpread: Double
    /// Squared geometric midpoints between adjacent levels (K−1 variances), for log-free lookup.
    public private(set) var varianceCutpoints: [Double]

    /// Levels from explicit volatilities (ascending, positive) and a log-scale spread.
    public init(levels: [Double], logSpread: Double = 0.25) {
        logCenters = levels.map { log(max($0, .leastNormalMagnitude)) }.sorted()
        self.logSpread = max(logSpread, 0.05)
        let c = logCenters
        varianceCutpoints = (0..<max(c.count - 1, 0)).map { exp(c[$0] + c[$0 + 1]) }
    }

    /// Level of a variance by comparison with ``varianceCutpoints`` (no logarithm).
    @inlinable
    public func state(ofVariance v: Double) -> Int {
        var j = 0
        while j < varianceCutpoints.count, v > varianceCutpoints[j] { j += 1 }
        return j
    }

    /// Learns K levels from positive volatility estimates (non-positive ones are ignored).
    public init(fitting vols: [Double], k: Int, seed: UInt64 = 0) {
        let logs = vols.filter { $0 > 0 && $0.isFinite }.map { log($0) }
        guard logs.count >= k else {
            let base = logs.isEmpty ? 0 : logs.reduce(0, +) / Double(logs.count)
            self.init(levels: (0..<k).map { exp(base + 0.5 * Double($0 - k / 2)) })
            return
        }
        var random = RegimeRandom(seed: seed)
        let km = KMeans1D(logs, k: k, restarts: 10, random: &random)
        var ss = 0.0
        for v in logs { let c = km.centers[km.assign(v)]; ss += (v - c) * (v - c) }
        self.init(levels: km.centers.map { exp($0) }, logSpread: (ss / Double(logs.count)).squareRoot())
    }

    /// Number of levels K.
    public var count: Int { logCenters.count }

    /// The levels as volatilities (exp of the log centres).
    public var levels: [Double] { logCenters.map { exp($0) } }

    /// Nearest level of `vol` in log space.
    @inlinable
    public func state(of vol: Double) -> Int {
        let l = log(max(vol, .leastNormalMagnitude))
        var best = 0
        var bd = Double.infinity
        for (j, c) in logCenters.enumerated() where abs(l - c) < bd { bd = abs(l - c); best = j }
        return best
    }

    /// Writes p_j ∝ exp(-(log vol - c_j)² / (2 s²)) into `p` (K slots). No allocation.
    @inlinable
    public func probabilities(of vol: Double, into p: UnsafeMutableBufferPointer<Double>) {
        let l = log(max(vol, .leastNormalMagnitude))
        let inv = 0.5 / (logSpread * logSpread)
        var mx = -Double.infinity
        for j in 0..<logCenters.count { let d = l - logCenters[j]; p[j] = -d * d * inv; mx = max(mx, p[j]) }
        var s = 0.0
        for j in 0..<logCenters.count { p[j] = exp(p[j] - mx); s += p[j] }
        for j in 0..<logCenters.count { p[j] /= s }
    }

    /// EWMA volatility path of `x` (RiskMetrics recursion σ²_t = λσ²_{t-1} + (1-λ)x_t², started at
    /// the mean square of the first min(20, n) values). Helper for fitting levels.
    public static func ewmaVolatility(_ x: [Double], lambda: Double) -> [Double] {
        guard !x.isEmpty else { return [] }
        let m = min(20, x.count)
        var v = x.prefix(m).reduce(0) { $0 + $1 * $1 } / Double(m)
        return x.map { r in v = lambda * v + (1 - lambda) * r * r; return v.squareRoot() }
    }
}
