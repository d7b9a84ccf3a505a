// Seeded pseudo-random numbers for reproducible restarts: SplitMix64 (Steele, Lea & Flood 2014),
// Box–Muller normals, Marsaglia & Tsang (2000) gamma variates, Dirichlet by normalised gammas.

import Foundation
import Protocols

/// A small deterministic generator so every fit with the same seed gives the same result.
public struct RegimeRandom: Sendable {
    private var bits: SplitMix64

    /// A generator started from `seed` (the SplitMix64 stream of `seed` + the golden gamma,
    /// so fits keep the restarts they had before the generator was shared).
    public init(seed: UInt64) { bits = SplitMix64(seed: seed &+ 0x9E37_79B9_7F4A_7C15) }

    /// Next 64 random bits (SplitMix64).
    public mutating func next() -> UInt64 { bits.next() }

    /// Uniform in [0, 1).
    public mutating func uniform() -> Double { bits.nextUnit() }

    /// Uniform integer in 0..<n (n > 0).
    public mutating func index(below n: Int) -> Int { Int(next() % UInt64(max(n, 1))) }

    /// Standard normal by Box–Muller.
    public mutating func normal() -> Double {
        var u = uniform()
        while u <= 0 { u = uniform() }
        let v = uniform()
        return (-2 * log(u)).squareRoot() * cos(2 * Double.pi * v)
    }

    /// Gamma(shape, 1) variate, shape > 0 (Marsaglia & Tsang 2000, with the shape < 1 boost).
    public mutating func gamma(shape: Double) -> Double {
        if shape < 1 {
            var u = uniform()
            while u <= 0 { u = uniform() }
            return gamma(shape: shape + 1) * pow(u, 1 / shape)
        }
        let d = shape - 1.0 / 3.0
        let c = 1 / (9 * d).squareRoot()
        while true {
            var x = 0.0, v = 0.0
            repeat { x = normal(); v = 1 + c * x } while v <= 0
            v = v * v * v
            let u = uniform()
            if u < 1 - 0.0331 * x * x * x * x { return d * v }
            if u > 0, log(u) < 0.5 * x * x + d * (1 - v + log(v)) { return d * v }
        }
    }

    /// A Dirichlet(alpha, …, alpha) draw of dimension `k`, like numpy's `dirichlet(np.full(k, alpha))`
    /// in distribution (not in bit stream).
    public mutating func dirichlet(alpha: Double, count k: Int) -> [Double] {
        var g = (0..<k).map { _ in gamma(shape: alpha) }
        var s = g.reduce(0, +)
        if !(s > 0) { g = [Double](repeating: 1, count: k); s = Double(k) }
        return g.map { $0 / s }
    }
}
