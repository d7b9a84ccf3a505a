// Bayesian online change-point detection (Adams & MacKay 2007) with a Normal–Inverse-Gamma
// conjugate model (unknown mean and variance), constant hazard 1/λ, and run lengths truncated
// at `maxRunLength` (the mass beyond it is dropped and the rest renormalised).

import Foundation

/// BOCPD regime detector. Each run length r carries the posterior NIG(μ_r, κ_r, α_r, β_r) of the
/// current segment; its scale √(β_r/α_r) is mapped to the nearest of K volatility levels learnt
/// at fit, and each state's probability is the posterior mass of the run lengths mapped to it.
/// O(R) per update (R = `maxRunLength`, fixed), no allocation.
public final class BOCPDRegimeModel: RegimeModel {
    /// Options.
    public struct Configuration: Sendable, Equatable, Codable {
        public var states: Int = 3
        /// Expected run length λ (observations); hazard H = 1/λ.
        public var expectedRunLength: Double = 250
        /// Run-length truncation R: runs longer than R − 1 observations are dropped. 20, the
        /// ensemble's realised-volatility window, so the longest run estimates the variance from
        /// the same span as the after-the-fact label; cost is O(R) per update (a sweep on the
        /// synthetic series is in the README: accuracy is flat for R = 16…25 and lower above).
        public var maxRunLength: Int = 20
        /// Run lengths below this count as a recent change in ``BOCPDRegimeModel/changeProbability``.
        public var changeWindow: Int = 10
        /// Prior pseudo-counts κ₀ (for the mean) and α₀ (shape of the variance prior).
        public var kappa0: Double = 1
        public var alpha0: Double = 1
        public init(states: Int = 3) { self.states = states }
        func validate() throws(RegimeError) {
            try RegimeCheck.states(states)
            guard expectedRunLength > 1 else { throw .invalidParameter(name: "bocpd.expectedRunLength", value: "\(expectedRunLength)", allowed: "> 1") }
            guard maxRunLength >= 2 else { throw .invalidParameter(name: "bocpd.maxRunLength", value: "\(maxRunLength)", allowed: ">= 2") }
            guard changeWindow >= 1 else { throw .invalidParameter(name: "bocpd.changeWindow", value: "\(changeWindow)", allowed: ">= 1") }
            guard kappa0 > 0, alpha0 > 0 else { throw .invalidParameter(name: "bocpd.kappa0/alpha0", value: "\(kappa0)/\(alpha0)", allowed: "> 0") }
        }
    }

    public let name = "bocpd"
    public let axis = RegimeAxis.volatility
    public let stateCount: Int
    public var minimumFitCount: Int { 20 }
    public private(set) var isFitted = false
    public let configuration: Configuration
    /// Volatility levels learnt at fit.
    public private(set) var levels: VolatilityLevels?
    private let table: VolatilityLevelTable
    /// Posterior probability that a change happened within the last `changeWindow` observations,
    /// P(r_t < changeWindow). (P(r_t = 0) alone always equals the hazard under a constant hazard.)
    public private(set) var changeProbability = 0.0
    /// Number of live run lengths.
    public private(set) var liveRuns = 0

    private let rMax: Int
    // Run-length arrays live in one raw block of 12·R doubles (no exclusivity or bounds checks
    // in the O(R) loop): prob, probNext, mu, muNext, beta, betaNext, logPred, kappa, alpha,
    // logConst, logBeta, logBetaNext.
    private let block: UnsafeMutablePointer<Double>
    private let prob, probNext, mu, muNext, beta, betaNext, logPred, kappa, alpha, logConst: UnsafeMutablePointer<Double>
    private let logBeta, logBetaNext: UnsafeMutablePointer<Double>
    private var mu0 = 0.0, beta0 = 1.0, logBeta0 = 0.0

    /// - Throws: ``RegimeError/invalidParameter(name:value:allowed:)`` for a bad configuration.
    public init(configuration: Configuration = .init()) throws(RegimeError) {
        try configuration.validate()
        self.configuration = configuration
        stateCount = configuration.states
        rMax = configuration.maxRunLength
        table = VolatilityLevelTable(count: configuration.states)
        block = .allocate(capacity: 12 * rMax)
        block.initialize(repeating: 0, count: 12 * rMax)
        prob = block; probNext = block + rMax; mu = block + 2 * rMax; muNext = block + 3 * rMax
        beta = block + 4 * rMax; betaNext = block + 5 * rMax; logPred = block + 6 * rMax
        kappa = block + 7 * rMax; alpha = block + 8 * rMax; logConst = block + 9 * rMax
        logBeta = block + 10 * rMax; logBetaNext = block + 11 * rMax
        // κ_r, α_r and the r-only part of the log predictive depend on r only: precomputed.
        // logConst_r = ln Γ(α+½) − ln Γ(α) − ½ ln(2απ) − ½ ln((κ+1)/(ακ)); see `step`.
        for r in 0..<rMax {
            let k = configuration.kappa0 + Double(r), a = configuration.alpha0 + Double(r) / 2
            kappa[r] = k
            alpha[r] = a
            logConst[r] = lgamma(a + 0.5) - lgamma(a) - 0.5 * log(2 * a * Double.pi) - 0.5 * log((k + 1) / (a * k))
        }
    }

    deinit { block.deallocate() }

    /// Prior mean = window mean, β₀ = α₀ · window variance; levels from k-means on the window's
    /// EWMA (λ = 0.94) volatility.
    public func fit(_ window: [Double]) throws(RegimeError) {
        try RegimeCheck.window(window, needed: minimumFitCount, detector: name)
        let n = Double(window.count)
        mu0 = window.reduce(0, +) / n
        let v = window.reduce(0) { $0 + ($1 - mu0) * ($1 - mu0) } / n
        beta0 = configuration.alpha0 * max(v, .leastNormalMagnitude)
        logBeta0 = log(beta0)
        let lv = VolatilityLevels(fitting: VolatilityLevels.ewmaVolatility(window.map { $0 - mu0 }, lambda: 0.94), k: stateCount)
        levels = lv
        table.set(lv)
        if !isFitted { resetRuns() }
        isFitted = true
    }

    private func resetRuns() {
        for r in 0..<rMax { prob[r] = 0 }
        prob[0] = 1; mu[0] = mu0; beta[0] = beta0; logBeta[0] = log(beta0); liveRuns = 1
    }

    /// One step of the run-length recursion (growth, change point, normalisation, NIG update).
    public func update(_ x: Double, into p: UnsafeMutableBufferPointer<Double>) {
        let k = stateCount
        guard isFitted else { RegimeCheck.uniform(p, k); return }
        let lv = table
        if x.isFinite { step(x) }
        for j in 0..<k { p[j] = 0 }
        // Each run length votes its posterior mass for the level of its variance scale β_r/α_r.
        for r in 0..<liveRuns { p[lv.state(ofVariance: beta[r] / alpha[r])] += prob[r] }
        var total = 0.0
        for j in 0..<k { total += p[j] }
        if total > 0 { for j in 0..<k { p[j] /= total } } else { RegimeCheck.uniform(p, k) }
    }

    /// The Student-t predictive of run r (2α_r dof, location μ_r, scale² = β_r(κ_r+1)/(α_r κ_r))
    /// needs log(1 + κ_r d²/(2β_r(κ_r+1))) = ln β'_r − ln β_r, where β'_r is the NIG update of β_r
    /// by x. So ln p_r(x) = logConst_r + α_r ln β_r − (α_r + ½) ln β'_r: one logarithm and one
    /// exponential per run, and ln β'_r is next step's ln β_{r+1}.
    private func step(_ x: Double) {
        let h = 1 / configuration.expectedRunLength
        var changeMass = 0.0, total = 0.0
        let live = liveRuns
        let grow = min(live + 1, rMax)
        // Pass 1: NIG updates and log predictives (kept so pass 2 can subtract the maximum).
        var maxLog = -Double.infinity
        for r in 0..<live {
            let d = x - mu[r]
            let kr = kappa[r], ar = alpha[r]
            let b1 = beta[r] + kr * d * d / (2 * (kr + 1))
            let lb1 = log(b1)
            let l = logConst[r] + ar * logBeta[r] - (ar + 0.5) * lb1
            logPred[r] = l
            if prob[r] > 0, l > maxLog { maxLog = l }
            if r + 1 < rMax {
                muNext[r + 1] = (kr * mu[r] + x) / (kr + 1)
                betaNext[r + 1] = b1
                logBetaNext[r + 1] = lb1
            }
        }
        // Pass 2: growth and change-point masses.
        for r in 0..<live {
            let w = prob[r] * exp(logPred[r] - maxLog)
            changeMass += w * h
            if r + 1 < rMax { probNext[r + 1] = w * (1 - h); total += w * (1 - h) }
        }
        probNext[0] = changeMass
        total += changeMass
        muNext[0] = mu0; betaNext[0] = beta0; logBetaNext[0] = logBeta0
        guard total > 0, total.isFinite else { resetRuns(); changeProbability = 1; return }
        let inv = 1 / total
        for r in 0..<grow {
            prob[r] = probNext[r] * inv; mu[r] = muNext[r]; beta[r] = betaNext[r]; logBeta[r] = logBetaNext[r]
        }
        liveRuns = grow
        var recent = 0.0
        for r in 0..<min(grow, configuration.changeWindow) { recent += prob[r] }
        changeProbability = recent
    }

    public func reset() { if isFitted { resetRuns() }; changeProbability = 0 }
}
