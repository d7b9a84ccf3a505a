// Online regime detector on a Gaussian HMM: Baum–Welch fit on a warm-up window (see
// GaussianHMM+BaumWelch.swift), then the scaled forward filter (Rabiner 1989), one O(K²)
// step per observation with no allocation.

import Foundation

/// Gaussian-HMM regime detector. States are ordered by variance after every fit, and the
/// filtered distribution carries over a refit in that canonical order.
public final class HMMRegimeModel: RegimeModel {
    public let name = "hmm"
    public let axis = RegimeAxis.volatility
    public let stateCount: Int
    public var minimumFitCount: Int { 2 * stateCount }
    public var isFitted: Bool { model != nil }
    /// Fitting options.
    public let configuration: GaussianHMM.FitConfiguration
    /// The current model (nil before the first fit).
    public private(set) var model: GaussianHMM?
    /// Report of the last fit.
    public private(set) var lastFit: GaussianHMM.FitReport?

    // Preallocated hot-path storage in one block (a raw pointer: no exclusivity or bounds checks
    // per access, which cost more than the arithmetic at K = 3). Layout, K = stateCount:
    // alpha[K] | scratch[K] | transmat[K×K] | means[K] | 1/(2σ²)[K] | −½ln(2πσ²)[K].
    private let storage: UnsafeMutablePointer<Double>
    private var alpha: UnsafeMutablePointer<Double> { storage }
    private var scratch: UnsafeMutablePointer<Double> { storage + stateCount }
    private var trans: UnsafeMutablePointer<Double> { storage + 2 * stateCount }
    private var means: UnsafeMutablePointer<Double> { storage + (2 + stateCount) * stateCount }
    private var halfInvVar: UnsafeMutablePointer<Double> { storage + (3 + stateCount) * stateCount }
    private var logNorm: UnsafeMutablePointer<Double> { storage + (4 + stateCount) * stateCount }
    private var started = false

    /// - Throws: ``RegimeError/invalidParameter(name:value:allowed:)`` for a bad configuration.
    public init(configuration: GaussianHMM.FitConfiguration = .init()) throws(RegimeError) {
        try configuration.validate()
        self.configuration = configuration
        stateCount = configuration.states
        let k = stateCount
        let size = (5 + k) * k
        storage = .allocate(capacity: size)
        storage.initialize(repeating: 0, count: size)
        for j in 0..<k { storage[j] = 1 / Double(k) }
    }

    deinit { storage.deallocate() }

    /// Runs Baum–Welch with restarts on `window` and installs the variance-ordered model.
    public func fit(_ window: [Double]) throws(RegimeError) {
        let (m, report) = try GaussianHMM.fit(window, configuration: configuration)
        install(m)
        lastFit = report
    }

    /// Installs an externally fitted model (e.g. one fitted on another thread), reordered by variance.
    /// - Throws: ``RegimeError/invalidParameter(name:value:allowed:)`` if K differs.
    public func setModel(_ m: GaussianHMM) throws(RegimeError) {
        guard m.stateCount == stateCount else {
            throw .invalidParameter(name: "model.stateCount", value: "\(m.stateCount)", allowed: "\(stateCount)")
        }
        install(m.sortedByVariance())
    }

    private func install(_ m: GaussianHMM) {
        model = m
        for i in 0..<(stateCount * stateCount) { trans[i] = m.transmat[i] }
        for j in 0..<stateCount {
            means[j] = m.means[j]
            halfInvVar[j] = 0.5 / m.covars[j]
            logNorm[j] = -0.5 * (1.8378770664093453 + log(m.covars[j]))
        }
        if !started { for j in 0..<stateCount { alpha[j] = m.startprob[j] } }
    }

    /// One scaled forward step: alpha_t ∝ (alpha_{t-1} A) ⊙ b(x_t); the first step uses startprob.
    public func update(_ observation: Double, into p: UnsafeMutableBufferPointer<Double>) {
        let k = stateCount
        guard isFitted, observation.isFinite else {
            if !isFitted { RegimeCheck.uniform(p, k) } else { for j in 0..<k { p[j] = alpha[j] } }
            return
        }
        let a = alpha, nx = scratch, tr = trans, mu = means, hv = halfInvVar, ln = logNorm
        var maxLog = -Double.infinity
        for j in 0..<k {
            let d = observation - mu[j]
            let l = ln[j] - d * d * hv[j]
            nx[j] = l
            if l > maxLog { maxLog = l }
        }
        var sum = 0.0
        for j in 0..<k {
            var prior = 0.0
            if started { for i in 0..<k { prior += a[i] * tr[i &* k &+ j] } } else { prior = a[j] }
            let v = prior * exp(nx[j] - maxLog)
            nx[j] = v
            sum += v
        }
        if sum > 0, sum.isFinite {
            let inv = 1 / sum
            for j in 0..<k { a[j] = nx[j] * inv }
        }
        for j in 0..<k { p[j] = a[j] }
        started = true
    }

    /// Back to the model's start probabilities.
    public func reset() {
        started = false
        if let m = model { for j in 0..<stateCount { alpha[j] = m.startprob[j] } }
        else { for j in 0..<stateCount { alpha[j] = 1 / Double(stateCount) } }
    }
}
