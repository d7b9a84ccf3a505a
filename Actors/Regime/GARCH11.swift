// GARCH(1,1) (Bollerslev 1986) with Gaussian innovations, fitted by maximum likelihood the way
// the `arch` package's `arch_model(y, mean="Constant"|"Zero", vol="GARCH", p=1, q=1)` does:
// backcast σ²₀ = Σ w_i ε_i² over the first min(75, n) residuals with w ∝ 0.94^i, starting
// values from arch's grid, constraints ω > 0, α ≥ 0, β ≥ 0, α + β < 1. The optimiser here is
// Nelder–Mead (Nelder & Mead 1965) with restarts instead of arch's SLSQP; both reach the same
// maximum on well-posed data.

import Foundation

/// A fitted GARCH(1,1): σ²_t = ω + α ε²_{t−1} + β σ²_{t−1}, ε_t = y_t − μ.
public struct GARCH11: Sendable, Equatable, Codable {
    /// Mean model, as arch's `mean=` argument.
    public enum MeanModel: String, Sendable, Codable {
        /// μ estimated jointly (`mean="Constant"`).
        case constant
        /// μ = 0 (`mean="Zero"`).
        case zero
    }

    public var meanModel: MeanModel
    /// Mean (observation units).
    public var mu: Double
    /// Constant of the variance recursion (squared units).
    public var omega: Double
    /// ARCH and GARCH coefficients.
    public var alpha: Double
    public var beta: Double
    /// Backcast used for σ²₀ (squared units).
    public var backcast: Double
    /// Maximised log-likelihood (nats).
    public var logLikelihood: Double

    /// arch's backcast: Σ_{i<τ} w_i ε_i², w_i ∝ 0.94^i, τ = min(75, n).
    public static func backcast(_ resid: [Double]) -> Double {
        let tau = min(75, resid.count)
        var ws = 0.0, s = 0.0, w = 1.0
        for i in 0..<tau { s += w * resid[i] * resid[i]; ws += w; w *= 0.94 }
        return ws > 0 ? s / ws : 0
    }

    /// Conditional variances σ²_t for t = 0..<n (σ²₀ = ω + (α + β)·backcast).
    public func conditionalVariances(_ y: [Double]) -> [Double] {
        var out = [Double](repeating: 0, count: y.count)
        var prevE2 = backcast, prevS2 = backcast
        for t in 0..<y.count {
            let s2 = omega + alpha * prevE2 + beta * prevS2
            out[t] = s2
            let e = y[t] - mu
            prevE2 = e * e; prevS2 = s2
        }
        return out
    }

    /// Gaussian log-likelihood of `y` at parameters (μ, ω, α, β); −∞ outside the constraints.
    static func logLikelihood(_ y: [Double], mu: Double, omega: Double, alpha: Double, beta: Double, backcast: Double) -> Double {
        guard omega > 0, alpha >= 0, beta >= 0, alpha + beta < 1 else { return -.infinity }
        var prevE2 = backcast, prevS2 = backcast, ll = 0.0
        for v in y {
            let s2 = omega + alpha * prevE2 + beta * prevS2
            let e = v - mu
            ll += log(s2) + e * e / s2
            prevE2 = e * e; prevS2 = s2
        }
        return -0.5 * (Double(y.count) * 1.8378770664093453 + ll)
    }

    /// Maximum-likelihood fit. - Throws: ``RegimeError/notEnoughData(detector:needed:got:)``
    /// below 20 observations, ``RegimeError/nonFiniteObservation(detector:index:)``, or
    /// ``RegimeError/invalidParameter(name:value:allowed:)`` for a constant series.
    public static func fit(_ y: [Double], mean: MeanModel = .constant) throws(RegimeError) -> GARCH11 {
        try RegimeCheck.window(y, needed: 20, detector: "garch")
        let n = Double(y.count)
        let m0 = mean == .constant ? y.reduce(0, +) / n : 0
        let resid = y.map { $0 - m0 }
        let target = resid.reduce(0) { $0 + $1 * $1 } / n
        guard target > 0 else { throw .invalidParameter(name: "garch input", value: "constant series", allowed: "positive variance") }
        let bc = backcast(resid)
        // arch's starting-value grid: α ∈ {.01,.05,.1,.2}, α+β ∈ {.5,.7,.9,.98}, ω = target(1−α−β).
        var start = [m0, target * 0.1, 0.05, 0.85]
        var bestLL = -Double.infinity
        for a in [0.01, 0.05, 0.1, 0.2] {
            for pers in [0.5, 0.7, 0.9, 0.98] where pers > a {
                let ll = logLikelihood(y, mu: m0, omega: target * (1 - pers), alpha: a, beta: pers - a, backcast: bc)
                if ll > bestLL { bestLL = ll; start = [m0, target * (1 - pers), a, pers - a] }
            }
        }
        let objective: ([Double]) -> Double = { p in
            let mu = mean == .constant ? p[0] : 0
            let ll = logLikelihood(y, mu: mu, omega: p[1], alpha: p[2], beta: p[3], backcast: bc)
            return ll.isFinite ? -ll / n : .infinity
        }
        var x = start
        var fx = objective(x)
        for _ in 0..<4 {
            let (nx, nf) = NelderMead.minimize(objective, from: x, fixed: mean == .zero ? [0] : [],
                                               scale: [max(abs(x[0]), 1e-3 * target.squareRoot()) * 0.1, x[1] * 0.2, 0.02, 0.02])
            let improved = fx - nf
            if nf <= fx { x = nx; fx = nf }
            if improved < 1e-10 { break }
        }
        let mu = mean == .constant ? x[0] : 0
        return GARCH11(meanModel: mean, mu: mu, omega: x[1], alpha: x[2], beta: x[3], backcast: bc,
                       logLikelihood: logLikelihood(y, mu: mu, omega: x[1], alpha: x[2], beta: x[3], backcast: bc))
    }
}

/// Derivative-free minimiser (Nelder & Mead 1965) with the standard coefficients.
enum NelderMead {
    /// Minimises `f` from `x0`; coordinates listed in `fixed` are not moved. `scale` sets the
    /// initial simplex edge per coordinate.
    static func minimize(_ f: ([Double]) -> Double, from x0: [Double], fixed: Set<Int>, scale: [Double],
                         maxIterations: Int = 4000, tolerance: Double = 1e-12) -> ([Double], Double) {
        let free = (0..<x0.count).filter { !fixed.contains($0) }
        var simplex = [x0]
        for i in free { var v = x0; v[i] += scale[i] == 0 ? 1e-4 : scale[i]; simplex.append(v) }
        var values = simplex.map(f)
        func combine(_ a: [Double], _ b: [Double], _ t: Double) -> [Double] { zip(a, b).map { $0 + t * ($1 - $0) } }
        for _ in 0..<maxIterations {
            let order = values.indices.sorted { values[$0] < values[$1] }
            simplex = order.map { simplex[$0] }; values = order.map { values[$0] }
            let worst = simplex.count - 1
            if abs(values[worst] - values[0]) <= tolerance * (abs(values[0]) + 1e-30) { break }
            var centroid = [Double](repeating: 0, count: x0.count)
            for s in simplex.dropLast() { for i in 0..<s.count { centroid[i] += s[i] / Double(worst) } }
            let reflected = combine(centroid, simplex[worst], -1)
            let fr = f(reflected)
            if fr < values[0] {
                let expanded = combine(centroid, simplex[worst], -2)
                let fe = f(expanded)
                if fe < fr { simplex[worst] = expanded; values[worst] = fe } else { simplex[worst] = reflected; values[worst] = fr }
            } else if fr < values[worst - 1] {
                simplex[worst] = reflected; values[worst] = fr
            } else {
                let outside = fr < values[worst]
                let contracted = combine(centroid, outside ? reflected : simplex[worst], 0.5)
                let fc = f(contracted)
                if fc < (outside ? fr : values[worst]) {
                    simplex[worst] = contracted; values[worst] = fc
                } else {
                    for i in 1...worst { simplex[i] = combine(simplex[0], simplex[i], 0.5); values[i] = f(simplex[i]) }
                }
            }
        }
        let best = values.indices.min { values[$0] < values[$1] } ?? 0
        return (simplex[best], values[best])
    }
}
