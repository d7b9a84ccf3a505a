// Standard normal quantile and a seeded generator for Monte Carlo VaR.
//
// Quantile: Wichura, M. J. (1988), "Algorithm AS 241: The Percentage Points of the Normal
// Distribution", Applied Statistics 37(3), 477–484 (PPND16, relative accuracy ~1e-16) —
// the same algorithm scipy.special.ndtri's reference results agree with to ~1e-15.

import Foundation
import Protocols

/// The standard normal distribution.
public enum StandardNormal {
    /// Φ⁻¹(p): the quantile of the standard normal at probability `p` (0 < p < 1);
    /// −∞ at 0, +∞ at 1, NaN outside [0, 1].
    public static func quantile(_ p: Double) -> Double {
        guard p >= 0, p <= 1 else { return .nan }
        if p == 0 { return -.infinity }
        if p == 1 { return .infinity }
        let q = p - 0.5
        if abs(q) <= 0.425 {
            let r = 0.180625 - q * q
            return q * poly(r, a) / poly(r, b)
        }
        var r = q < 0 ? p : 1 - p
        r = (-log(r)).squareRoot()
        let value: Double
        if r <= 5 {
            r -= 1.6
            value = poly(r, c) / poly(r, d)
        } else {
            r -= 5
            value = poly(r, e) / poly(r, f)
        }
        return q < 0 ? -value : value
    }

    /// Φ(x): the standard normal cumulative distribution function.
    public static func cdf(_ x: Double) -> Double { 0.5 * erfc(-x / 2.0.squareRoot()) }

    private static func poly(_ x: Double, _ coefficients: [Double]) -> Double {
        var result = 0.0
        for coefficient in coefficients.reversed() { result = result * x + coefficient }
        return result
    }

    private static let a = [3.387132872796366608, 133.14166789178437745, 1971.5909503065514427,
                            13731.693765509461125, 45921.953931549871457, 67265.770927008700853,
                            33430.575583588128105, 2509.0809287301226727]
    private static let b = [1.0, 42.313330701600911252, 687.1870074920579083, 5394.1960214247511077,
                            21213.794301586595867, 39307.89580009271061, 28729.085735721942674,
                            5226.495278852545925]
    private static let c = [1.42343711074968357734, 4.6303378461565452959, 5.7694972214606914055,
                            3.64784832476320460504, 1.27045825245236838258, 0.24178072517745061177,
                            0.0227238449892691845833, 7.7454501427834140764e-4]
    private static let d = [1.0, 2.05319162663775882187, 1.6763848301838038494, 0.68976733498510000455,
                            0.14810397642748007459, 0.0151986665636164571966, 5.475938084995344946e-4,
                            1.05075007164441684324e-9]
    private static let e = [6.6579046435011037772, 5.4637849111641143699, 1.7848265399172913358,
                            0.29656057182850489123, 0.026532189526576123093, 0.0012426609473880784386,
                            2.71155556874348757815e-5, 2.01033439929228813265e-7]
    private static let f = [1.0, 0.59983220655588793769, 0.13692988092273580531, 0.0148753612908506148525,
                            7.868691311456132591e-4, 1.8463183175100546818e-5, 1.4215117583164458887e-7,
                            2.04426310338993978564e-15]
}

/// SplitMix64 (Steele, Lea & Flood 2014): a small seeded generator, so Monte Carlo VaR is
/// reproducible for a given seed.
public struct SeededGenerator: RandomNumberGenerator, Sendable {
    private var bits: SplitMix64

    /// A generator whose whole output is fixed by `seed`.
    public init(seed: UInt64) { bits = SplitMix64(seed: seed) }

    public mutating func next() -> UInt64 { bits.next() }

    /// Uniform in (0, 1): never 0, so `log` is safe.
    public mutating func nextUnit() -> Double {
        (Double(next() >> 11) + 0.5) * 0x1p-53
    }

    /// A standard normal draw (Box–Muller).
    public mutating func nextNormal() -> Double {
        let u1 = nextUnit()
        let u2 = nextUnit()
        return (-2 * log(u1)).squareRoot() * cos(2 * Double.pi * u2)
    }
}
