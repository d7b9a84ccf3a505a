// Baum–Welch (Baum et al. 1970; Rabiner 1989) for GaussianHMM, following hmmlearn 0.3 exactly:
// initialisation (Dirichlet(1/K) start and transition rows, k-means means, sample variance
// + min_covar), E-step, M-step with the inverse-gamma covariance prior (covars_prior,
// covars_weight), convergence when the log-likelihood gain is below `tol`.
// Several seeded restarts; the best final log-likelihood wins; states are then ordered by variance.
// Besides hmmlearn's initialisation (k-means on the values, equal variances), `scaleRestarts`
// start EM from a split by scale (k-means on the log of a local volatility), the axis volatility
// regimes differ on:
// from equal variances EM tends to split a scale mixture by location (left tail, centre, right
// tail), a local optimum it rarely leaves (on a 1,250-return window with three regimes, 8 of 10
// hmmlearn-style restarts ended 35 nats below the optimum). Only the start differs; EM is hmmlearn's.

import Foundation

extension GaussianHMM {
    /// Fitting options; names and defaults follow hmmlearn's `GaussianHMM`, except `iterations`
    /// (hmmlearn's default of 10 rarely converges on returns) and `restarts`/`seed`.
    public struct FitConfiguration: Sendable, Equatable, Codable {
        /// Number of states K (2...8).
        public var states: Int = 3
        /// Maximum EM iterations per restart (hmmlearn `n_iter`).
        public var iterations: Int = 100
        /// Stop when the log-likelihood gain is below this (hmmlearn `tol`, nats).
        public var tolerance: Double = 1e-2
        /// Added to the sample variance at initialisation (hmmlearn `min_covar`).
        public var minCovar: Double = 1e-3
        /// Inverse-gamma prior on the variances (hmmlearn `covars_prior`, `covars_weight`).
        public var covarsPrior: Double = 1e-2
        public var covarsWeight: Double = 1
        /// Normal prior on the means (hmmlearn `means_prior`, `means_weight`).
        public var meansPrior: Double = 0
        public var meansWeight: Double = 0
        /// Dirichlet priors (hmmlearn `startprob_prior`, `transmat_prior`).
        public var startprobPrior: Double = 1
        public var transmatPrior: Double = 1
        /// Number of seeded restarts; the one with the highest final log-likelihood is kept.
        public var restarts: Int = 5
        /// Additional restarts initialised by scale (see the file header); 0 = hmmlearn's only.
        public var scaleRestarts: Int = 1
        /// Window (returns) of the local volatility that initialises the scale restarts.
        public var scaleWindow: Int = 20
        /// Seed of the first restart (restart r uses seed + r).
        public var seed: UInt64 = 0

        public init(states: Int = 3) { self.states = states }

        /// - Throws: ``RegimeError/invalidParameter(name:value:allowed:)`` naming the bad option.
        public func validate() throws(RegimeError) {
            try RegimeCheck.states(states)
            guard iterations >= 1 else { throw .invalidParameter(name: "hmm.iterations", value: "\(iterations)", allowed: ">= 1") }
            guard tolerance >= 0 else { throw .invalidParameter(name: "hmm.tolerance", value: "\(tolerance)", allowed: ">= 0") }
            guard minCovar >= 0, covarsPrior >= 0 else {
                throw .invalidParameter(name: "hmm.minCovar/covarsPrior", value: "\(minCovar)/\(covarsPrior)", allowed: ">= 0")
            }
            guard restarts >= 1 else { throw .invalidParameter(name: "hmm.restarts", value: "\(restarts)", allowed: ">= 1") }
            guard scaleRestarts >= 0 else { throw .invalidParameter(name: "hmm.scaleRestarts", value: "\(scaleRestarts)", allowed: ">= 0") }
        }
    }

    /// Outcome of a fit.
    public struct FitReport: Sendable, Equatable, Codable {
        /// Log-likelihood of the data under the returned model (nats).
        public var logLikelihood: Double
        /// EM iterations of the winning restart.
        public var iterations: Int
        /// Whether the winning restart met the tolerance before the iteration limit.
        public var converged: Bool
        /// Index of the winning restart.
        public var restart: Int
    }

    /// Fits a K-state model to `x` with several restarts and returns it with states ordered by
    /// variance (lowest first).
    /// - Throws: ``RegimeError`` for a bad configuration, fewer than 2K observations or a
    ///   non-finite value.
    public static func fit(_ x: [Double], configuration c: FitConfiguration) throws(RegimeError) -> (model: GaussianHMM, report: FitReport) {
        try c.validate()
        try RegimeCheck.window(x, needed: 2 * c.states, detector: "hmm")
        var best: (GaussianHMM, FitReport)?
        for r in 0..<(c.restarts + c.scaleRestarts) {
            var random = RegimeRandom(seed: c.seed &+ UInt64(r))
            let initial = r < c.restarts ? initialModel(x, configuration: c, random: &random)
                                         : scaleInitialModel(x, configuration: c, random: &random)
            let (model, iterations, converged) = baumWelch(x, from: initial, configuration: c)
            let ll = model.score(x)
            guard ll.isFinite else { continue }
            if best == nil || ll > best!.1.logLikelihood {
                best = (model, FitReport(logLikelihood: ll, iterations: iterations, converged: converged, restart: r))
            }
        }
        guard let (model, report) = best else {
            throw .invalidParameter(name: "hmm fit", value: "no restart gave a finite likelihood", allowed: "data with positive variance")
        }
        return (model.sortedByVariance(), report)
    }

    /// hmmlearn's `_init`: Dirichlet(1/K) start probabilities and transition rows, k-means means
    /// (10 seedings), every variance = sample variance (ddof 1) + min_covar.
    static func initialModel(_ x: [Double], configuration c: FitConfiguration, random: inout RegimeRandom) -> GaussianHMM {
        let k = c.states
        let alpha = 1.0 / Double(k)
        let start = random.dirichlet(alpha: alpha, count: k)
        var trans: [Double] = []
        for _ in 0..<k { trans += random.dirichlet(alpha: alpha, count: k) }
        let means = KMeans1D(x, k: k, restarts: 10, random: &random).centers
        let n = Double(x.count)
        let mean = x.reduce(0, +) / n
        let v = x.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / (n - 1)
        return GaussianHMM(unchecked: k, start, trans, means, [Double](repeating: v + c.minCovar, count: k))
    }

    /// A start from the regimes of local volatility: the centred rolling mean square of
    /// x − x̄ over `scaleWindow` returns, clustered by k-means on its logarithm, labels every
    /// return; each state takes its cluster's sample mean and variance (+ min_covar), the
    /// transition rows are the label transitions counted (+ 1 each, so none is zero) and the start
    /// probabilities hmmlearn's Dirichlet draw. A cluster with fewer than 2 returns takes the
    /// overall mean and variance.
    static func scaleInitialModel(_ x: [Double], configuration c: FitConfiguration, random: inout RegimeRandom) -> GaussianHMM {
        var m = initialModel(x, configuration: c, random: &random)
        let k = c.states, n = x.count
        let mean = x.reduce(0, +) / Double(n)
        let h = max(c.scaleWindow / 2, 1)
        var prefix = [Double](repeating: 0, count: n + 1)
        for t in 0..<n { prefix[t + 1] = prefix[t] + (x[t] - mean) * (x[t] - mean) }
        let logs = (0..<n).map { t -> Double in
            let lo = max(t - h, 0), hi = min(t + h + 1, n)
            return log(max((prefix[hi] - prefix[lo]) / Double(hi - lo), .leastNormalMagnitude))
        }
        let km = KMeans1D(logs, k: k, restarts: 10, random: &random)
        let labels = logs.map { km.assign($0) }
        var count = [Double](repeating: 0, count: k), s = count, s2 = count
        var trans = [Double](repeating: 1, count: k * k)
        for t in 0..<n {
            let j = labels[t]
            count[j] += 1; s[j] += x[t]; s2[j] += x[t] * x[t]
            if t + 1 < n { trans[j * k + labels[t + 1]] += 1 }
        }
        for i in 0..<k { normalise(&trans, from: i * k, count: k) }
        m.transmat = trans
        let overall = m.covars[0]
        for j in 0..<k {
            guard count[j] >= 2 else { m.means[j] = mean; m.covars[j] = overall; continue }
            let mu = s[j] / count[j]
            m.means[j] = mu
            m.covars[j] = max(s2[j] / count[j] - mu * mu, 0) + c.minCovar
        }
        return m
    }

    /// EM from `initial` until the gain of the (pre-M-step) log-likelihood is below `tolerance`
    /// or `iterations` are done, as hmmlearn's `fit` loop. Returns the model after the last M-step.
    static func baumWelch(_ x: [Double], from initial: GaussianHMM, configuration c: FitConfiguration) -> (GaussianHMM, Int, Bool) {
        var m = initial
        let k = m.stateCount, n = x.count
        var previous = -Double.infinity
        for iter in 1...c.iterations {
            let f = m.scaledFrames(x)
            let fw = m.forward(frame: f.frame, rowMax: f.rowMax, count: n)
            let beta = m.backward(frame: f.frame, scale: fw.scale, count: n)
            var post = [Double](repeating: 0, count: k), obs = post, obs2 = post
            var start = post
            var xi = [Double](repeating: 0, count: k * k)
            var g = [Double](repeating: 0, count: k)
            for t in 0..<n {
                var s = 0.0
                for j in 0..<k { g[j] = fw.alpha[t * k + j] * beta[t * k + j]; s += g[j] }
                if s > 0 { for j in 0..<k { g[j] /= s } }
                for j in 0..<k { post[j] += g[j]; obs[j] += g[j] * x[t]; obs2[j] += g[j] * x[t] * x[t] }
                if t == 0 { start = g }
                if t + 1 < n {
                    let inv = 1 / fw.scale[t + 1]
                    for i in 0..<k {
                        let a = fw.alpha[t * k + i] * inv
                        for j in 0..<k {
                            xi[i * k + j] += a * m.transmat[i * k + j] * f.frame[(t + 1) * k + j] * beta[(t + 1) * k + j]
                        }
                    }
                }
            }
            mStep(&m, post: post, obs: obs, obs2: obs2, start: start, xi: xi, configuration: c)
            let gain = fw.logLikelihood - previous
            previous = fw.logLikelihood
            if iter > 1, gain < c.tolerance { return (m, iter, true) }
        }
        return (m, c.iterations, false)
    }

    /// hmmlearn's `_do_mstep` for the 1-D diagonal case.
    static func mStep(_ m: inout GaussianHMM, post: [Double], obs: [Double], obs2: [Double], start: [Double],
                      xi: [Double], configuration c: FitConfiguration) {
        let k = m.stateCount
        var sp = (0..<k).map { m.startprob[$0] == 0 ? 0 : max(c.startprobPrior - 1 + start[$0], 0) }
        normalise(&sp, from: 0, count: k)
        m.startprob = sp
        var tm = (0..<(k * k)).map { m.transmat[$0] == 0 ? 0 : max(c.transmatPrior - 1 + xi[$0], 0) }
        for i in 0..<k { normalise(&tm, from: i * k, count: k) }
        m.transmat = tm
        for j in 0..<k {
            let mu = (c.meansWeight * c.meansPrior + obs[j]) / (c.meansWeight + post[j])
            let diff = mu - c.meansPrior
            let cn = c.meansWeight * diff * diff + obs2[j] - 2 * mu * obs[j] + mu * mu * post[j]
            let cd = max(c.covarsWeight - 1, 0) + post[j]
            m.means[j] = mu
            m.covars[j] = (c.covarsPrior + cn) / max(cd, 1e-5)
        }
    }

    /// hmmlearn's `normalize`: divide by the sum, leaving all-zero rows at zero.
    static func normalise(_ a: inout [Double], from: Int, count: Int) {
        var s = 0.0
        for i in from..<(from + count) { s += a[i] }
        if s == 0 { s = 1 }
        for i in from..<(from + count) { a[i] /= s }
    }
}
