// One-dimensional Gaussian mixture fitted by EM (Dempster, Laird & Rubin 1977) in
// scikit-learn 1.x's `GaussianMixture` semantics: k-means initial responsibilities, `reg_covar`
// added to every variance, `nk + 10·eps`, convergence when |Δ mean log-likelihood| < tol,
// best of `n_init` by lower bound.

import Foundation

/// A fitted 1-D Gaussian mixture with components ordered by variance (lowest first).
public struct GaussianMixture1D: Sendable, Equatable, Codable {
    /// Fitting options; names and defaults follow scikit-learn's `GaussianMixture`.
    public struct Configuration: Sendable, Equatable, Codable {
        /// Number of components K (2...8).
        public var components: Int = 3
        /// Non-negative regularisation added to each variance (`reg_covar`).
        public var regCovar: Double = 1e-6
        /// Convergence threshold on the mean log-likelihood gain (`tol`).
        public var tolerance: Double = 1e-3
        /// Maximum EM iterations (`max_iter`).
        public var maxIterations: Int = 100
        /// Number of initialisations (`n_init`).
        public var restarts: Int = 1
        /// Seed of the k-means initialisation.
        public var seed: UInt64 = 0
        /// How the initial responsibilities are set.
        public var initialisation: Initialisation = .kmeans

        /// Initial responsibilities.
        public enum Initialisation: String, Sendable, Equatable, Codable {
            /// scikit-learn's: k-means on the values (separates components by location).
            case kmeans
            /// k-means on log |x − mean|: separates components by scale, which is what volatility
            /// regimes differ by (k-means on the values splits a scale mixture into a left tail,
            /// a centre and a right tail, a local optimum EM rarely leaves).
            case scale
        }

        public init(components: Int = 3) { self.components = components }

        /// - Throws: ``RegimeError/invalidParameter(name:value:allowed:)`` naming the bad option.
        public func validate() throws(RegimeError) {
            try RegimeCheck.states(components)
            guard regCovar >= 0 else { throw .invalidParameter(name: "gmm.regCovar", value: "\(regCovar)", allowed: ">= 0") }
            guard tolerance >= 0 else { throw .invalidParameter(name: "gmm.tolerance", value: "\(tolerance)", allowed: ">= 0") }
            guard maxIterations >= 1, restarts >= 1 else {
                throw .invalidParameter(name: "gmm.maxIterations/restarts", value: "\(maxIterations)/\(restarts)", allowed: ">= 1")
            }
        }
    }

    /// Mixture weights (sum to 1).
    public var weights: [Double]
    /// Component means.
    public var means: [Double]
    /// Component variances.
    public var variances: [Double]
    /// Mean log-likelihood per sample at the last EM iteration (sklearn `lower_bound_`).
    public var lowerBound: Double
    /// Whether EM met the tolerance.
    public var converged: Bool

    /// Fits `x`. - Throws: ``RegimeError`` for a bad configuration, fewer than K observations or
    /// a non-finite value.
    public static func fit(_ x: [Double], configuration c: Configuration) throws(RegimeError) -> GaussianMixture1D {
        try c.validate()
        try RegimeCheck.window(x, needed: c.components, detector: "gmm")
        let k = c.components, n = x.count
        var random = RegimeRandom(seed: c.seed)
        var best: GaussianMixture1D?
        for _ in 0..<c.restarts {
            var resp = [Double](repeating: 0, count: n * k)
            switch c.initialisation {
            case .kmeans:
                let km = KMeans1D(x, k: k, restarts: 1, random: &random)
                for (i, v) in x.enumerated() { resp[i * k + km.assign(v)] = 1 }
            case .scale:
                let mean = x.reduce(0, +) / Double(n)
                let logs = x.map { log(max(abs($0 - mean), .leastNormalMagnitude)) }
                let km = KMeans1D(logs, k: k, restarts: 1, random: &random)
                for (i, v) in logs.enumerated() { resp[i * k + km.assign(v)] = 1 }
            }
            var m = mStep(x, resp: resp, k: k, regCovar: c.regCovar, weightsOverN: true)
            var lower = -Double.infinity
            for _ in 0..<c.maxIterations {
                let previous = lower
                lower = m.eStep(x, resp: &resp)
                let w = m.converged
                m = mStep(x, resp: resp, k: k, regCovar: c.regCovar, weightsOverN: false)
                m.converged = w
                if abs(lower - previous) < c.tolerance { m.converged = true; break }
            }
            m.lowerBound = lower
            if best == nil || lower > (best?.lowerBound ?? -.infinity) { best = m }
        }
        guard let fitted = best else {
            throw .invalidParameter(name: "gmm fit", value: "no initialisation", allowed: "restarts >= 1")
        }
        return fitted.sortedByVariance()
    }

    /// sklearn `_estimate_gaussian_parameters` (+ the weight normalisation of `_initialize` or `_m_step`).
    static func mStep(_ x: [Double], resp: [Double], k: Int, regCovar: Double, weightsOverN: Bool) -> GaussianMixture1D {
        let eps10 = 10 * Double.ulpOfOne
        var nk = [Double](repeating: eps10, count: k), mean = [Double](repeating: 0, count: k)
        for (i, v) in x.enumerated() { for j in 0..<k { nk[j] += resp[i * k + j]; mean[j] += resp[i * k + j] * v } }
        for j in 0..<k { mean[j] /= nk[j] }
        var variance = [Double](repeating: 0, count: k)
        for (i, v) in x.enumerated() { for j in 0..<k { variance[j] += resp[i * k + j] * (v - mean[j]) * (v - mean[j]) } }
        for j in 0..<k { variance[j] = variance[j] / nk[j] + regCovar }
        let total = weightsOverN ? Double(x.count) : nk.reduce(0, +)
        return GaussianMixture1D(weights: nk.map { $0 / total }, means: mean, variances: variance,
                                 lowerBound: -.infinity, converged: false)
    }

    /// E-step: fills responsibilities and returns the mean log-likelihood.
    func eStep(_ x: [Double], resp: inout [Double]) -> Double {
        let k = weights.count
        var total = 0.0
        var row = [Double](repeating: 0, count: k)
        for (i, v) in x.enumerated() {
            total += logPosterior(v, into: &row)
            for j in 0..<k { resp[i * k + j] = row[j] }
        }
        return total / Double(x.count)
    }

    /// Posterior responsibilities of `v` written into `out` (K); returns log p(v).
    func logPosterior(_ v: Double, into out: inout [Double]) -> Double {
        let k = weights.count
        var m = -Double.infinity
        for j in 0..<k { out[j] = weightedLogDensity(v, j); m = max(m, out[j]) }
        var s = 0.0
        for j in 0..<k { out[j] = exp(out[j] - m); s += out[j] }
        for j in 0..<k { out[j] /= s }
        return m + log(s)
    }

    /// log w_j + log N(v; μ_j, σ²_j).
    @inlinable
    public func weightedLogDensity(_ v: Double, _ j: Int) -> Double {
        let d = v - means[j]
        return log(weights[j]) - 0.5 * (1.8378770664093453 + log(variances[j]) + d * d / variances[j])
    }

    /// Component probabilities of every value, row-major n×K (sklearn `predict_proba`).
    public func predictProbabilities(_ x: [Double]) -> [Double] {
        var out = [Double](repeating: 0, count: x.count * weights.count)
        _ = eStep(x, resp: &out)
        return out
    }

    /// Most probable component of every value (sklearn `predict`).
    public func predict(_ x: [Double]) -> [Int] {
        x.map { v in
            var best = 0
            for j in 1..<weights.count where weightedLogDensity(v, j) > weightedLogDensity(v, best) { best = j }
            return best
        }
    }

    /// The same mixture with components reordered by ascending variance (ties: by mean).
    public func sortedByVariance() -> GaussianMixture1D {
        let o = (0..<weights.count).sorted { variances[$0] != variances[$1] ? variances[$0] < variances[$1] : means[$0] < means[$1] }
        return GaussianMixture1D(weights: o.map { weights[$0] }, means: o.map { means[$0] }, variances: o.map { variances[$0] },
                                 lowerBound: lowerBound, converged: converged)
    }
}
