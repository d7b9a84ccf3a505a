// Weighted Gaussian estimator: River 0.26 `proba.Gaussian` over `stats.Var(ddof=1)`
// (West, D. H. D. (1979). "Updating mean and variance estimates: an improved method."
// Communications of the ACM 22(9), 532–535), used by the Hoeffding trees' splitters.

import Foundation

/// Weighted running mean and variance (River's `stats.Var(ddof=1)` update order), with
/// the derived terms the predictions use cached at update time (same operations as
/// River performs per call, so the values are identical).
struct WeightedGaussian: Sendable, Codable, Equatable {
    var n = 0.0
    var mean = 0.0
    var s = 0.0
    /// s / (n − 1) when n > 1, else 0.
    private(set) var variance = 0.0
    /// 0.5·log(variance) when variance > 0.
    private(set) var halfLogVariance = 0.0

    mutating func update(_ x: Double, weight w: Double) {
        let old = mean
        n += w
        mean += (w / n) * (x - mean)
        s += w * (x - old) * (x - mean)
        variance = n > 1 ? s / (n - 1) : 0
        halfLogVariance = variance > 0 ? 0.5 * Foundation.log(variance) : 0
    }

    static let halfLogTau = 0.5 * Foundation.log(2 * Double.pi)

    /// Log density, or -∞ without a positive variance (River's `Gaussian.log_pdf`).
    func logPDF(_ x: Double) -> Double {
        guard n > 1, variance > 0 else { return -.infinity }
        let d = x - mean
        return d * d / (-2.0 * variance) - Self.halfLogTau - halfLogVariance
    }

    /// River's `sigma`, pow(variance, 0.5).
    var sigma: Double { pow(variance, 0.5) }

    /// CDF at x given `sigma` (computed once per split attempt); 0 when sigma is 0
    /// (River's ZeroDivisionError path).
    func cdf(_ x: Double, sigma: Double) -> Double {
        guard sigma != 0 else { return 0 }
        return 0.5 * (1.0 + erf(((x - mean) / sigma) / 2.0.squareRoot()))
    }

    var isConsistent: Bool { true }
}
