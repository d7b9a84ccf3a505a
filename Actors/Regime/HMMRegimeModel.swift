// Online regime detector on a Gaussian HMM: Baum–Welch fit on a warm-up window (see
// GaussianHMM+BaumWelch.swift), then the scaled forward filter (Rabiner 1989), one O(K²)
// step per observation with no allocation.

import Foundation

/// Gaussian-HMM regime detector. States are ordered by variance after every fit, and the
/// filtered distribution carries over a refit in that canonical order. With `selectsStates`
/// (the default) each fit keeps the number of states, 1…K, with the lowest BIC and places them in
/// the K canonical slots nearest to the earlier fits' (see ``CanonicalSlots``).
public final class HMMRegimeModel: RegimeModel {
    public let name = "hmm"
    public let axis = RegimeAxis.volatility
    public let stateCount: Int
    public var minimumFitCount: Int { 2 * stateCount }
    public var isFitted: Bool { fitted }
    /// Fitting options.
    public let configuration: GaussianHMM.FitConfiguration
    /// The current model (nil before the first fit).
    public private(set) var model: GaussianHMM?
    /// Report of the last fit.
    public private(set) var lastFit: GaussianHMM.FitReport?
    /// Whether a fit chooses the number of occupied states by BIC (otherwise always K).
    public let selectsStates: Bool
    /// Canonical slots occupied by the last fit (ascending; all K without state selection).
    public private(set) var occupiedSlots: [Int]
    public var slotAnchors: [Double?]

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
    // A plain flag: testing `model != nil` copies the model (four arrays retained and released)
    // on every update.
    private var fitted = false

    /// - Throws: ``RegimeError/invalidParameter(name:value:allowed:)`` for a bad configuration.
    public init(configuration: GaussianHMM.FitConfiguration = .init(), selectsStates: Bool = false) throws(RegimeError) {
        try configuration.validate()
        self.configuration = configuration
        self.selectsStates = selectsStates
        stateCount = configuration.states
        let k = stateCount
        occupiedSlots = Array(0..<k)
        slotAnchors = [Double?](repeating: nil, count: k)
        let size = (5 + k) * k
        storage = .allocate(capacity: size)
        storage.initialize(repeating: 0, count: size)
        for j in 0..<k { storage[j] = 1 / Double(k) }
    }

    deinit { storage.deallocate() }

    /// Runs Baum–Welch with restarts on `window` (for every K′ ≤ K, keeping the lowest BIC, if
    /// `selectsStates`) and installs the variance-ordered model in its canonical slots.
    public func fit(_ window: [Double]) throws(RegimeError) {
        guard selectsStates else {
            let (m, report) = try GaussianHMM.fit(window, configuration: configuration)
            install(m, slots: Array(0..<stateCount))
            lastFit = report
            return
        }
        let (m, report, _) = try GaussianHMM.fitSelectingStates(window, configuration: configuration)
        let logVariances = m.covars.map { log($0) }
        let slots = CanonicalSlots.assign(logVariances, slots: stateCount, anchors: slotAnchors)
        slotAnchors = CanonicalSlots.updated(slotAnchors, k: stateCount, fitted: logVariances, slots: slots)
        install(m.embedded(slots: slots, in: stateCount), slots: slots)
        lastFit = report
    }

    /// Installs an externally fitted model (e.g. one fitted on another thread), reordered by variance.
    /// - Throws: ``RegimeError/invalidParameter(name:value:allowed:)`` if K differs.
    public func setModel(_ m: GaussianHMM) throws(RegimeError) {
        guard m.stateCount == stateCount else {
            throw .invalidParameter(name: "model.stateCount", value: "\(m.stateCount)", allowed: "\(stateCount)")
        }
        install(m.sortedByVariance(), slots: Array(0..<stateCount))
    }

    /// Installs `m` (K states, `slots` occupied). The filtered distribution carries over, less
    /// any mass on a slot the new fit leaves empty.
    private func install(_ m: GaussianHMM, slots: [Int]) {
        model = m
        occupiedSlots = slots
        fitted = true
        for i in 0..<(stateCount * stateCount) { trans[i] = m.transmat[i] }
        for j in 0..<stateCount {
            means[j] = m.means[j]
            halfInvVar[j] = 0.5 / m.covars[j]
            logNorm[j] = -0.5 * (1.8378770664093453 + log(m.covars[j]))
        }
        if !started { for j in 0..<stateCount { alpha[j] = m.startprob[j] } }
        var kept = 0.0
        for j in 0..<stateCount { if slots.contains(j) { kept += alpha[j] } else { alpha[j] = 0 } }
        if kept > 0 { for j in 0..<stateCount { alpha[j] /= kept } }
        else { for j in 0..<stateCount { alpha[j] = m.startprob[j] } }
    }

    /// One scaled forward step: alpha_t ∝ (alpha_{t-1} A) ⊙ b(x_t); the first step uses startprob.
    /// The emission terms are taken relative to the most likely state's, so that state needs no
    /// `exp` and nothing overflows or underflows to all-zero however far out x_t is; K = 3, the
    /// default, has an unrolled path with the parameters in registers (the forward step is the
    /// ensemble's most frequent O(K²) work; `perf regime` measures it).
    public func update(_ observation: Double, into p: UnsafeMutableBufferPointer<Double>) {
        let k = stateCount
        guard fitted, observation.isFinite else {
            if !fitted { RegimeCheck.uniform(p, k) } else { for j in 0..<k { p[j] = alpha[j] } }
            return
        }
        let first = !started
        started = true
        if k == 3 { step3(observation, first: first, into: p) } else { stepK(observation, first: first, into: p) }
    }

    @inline(__always)
    private func step3(_ x: Double, first: Bool, into p: UnsafeMutableBufferPointer<Double>) {
        let a = alpha, tr = trans, mu = means, hv = halfInvVar, ln = logNorm
        let d0 = x - mu[0], d1 = x - mu[1], d2 = x - mu[2]
        let l0 = ln[0] - d0 * d0 * hv[0], l1 = ln[1] - d1 * d1 * hv[1], l2 = ln[2] - d2 * d2 * hv[2]
        var p0 = a[0], p1 = a[1], p2 = a[2]
        if !first {
            let q0 = p0 * tr[0] + p1 * tr[3] + p2 * tr[6]
            let q1 = p0 * tr[1] + p1 * tr[4] + p2 * tr[7]
            let q2 = p0 * tr[2] + p1 * tr[5] + p2 * tr[8]
            p0 = q0; p1 = q1; p2 = q2
        }
        // Emissions relative to the largest: that one is exp(0) = 1.
        if l0 >= l1 && l0 >= l2 {
            p1 *= exp(l1 - l0); p2 *= exp(l2 - l0)
        } else if l1 >= l2 {
            p0 *= exp(l0 - l1); p2 *= exp(l2 - l1)
        } else {
            p0 *= exp(l0 - l2); p1 *= exp(l1 - l2)
        }
        let sum = p0 + p1 + p2
        if sum > 0, sum.isFinite {
            let inv = 1 / sum
            a[0] = p0 * inv; a[1] = p1 * inv; a[2] = p2 * inv
        }
        p[0] = a[0]; p[1] = a[1]; p[2] = a[2]
    }

    private func stepK(_ x: Double, first: Bool, into p: UnsafeMutableBufferPointer<Double>) {
        let k = stateCount
        let a = alpha, nx = scratch, tr = trans, mu = means, hv = halfInvVar, ln = logNorm
        var maxLog = -Double.infinity
        for j in 0..<k {
            let d = x - mu[j]
            let l = ln[j] - d * d * hv[j]
            nx[j] = l
            if l > maxLog { maxLog = l }
        }
        var sum = 0.0
        for j in 0..<k {
            var prior = 0.0
            if first { prior = a[j] } else { for i in 0..<k { prior += a[i] * tr[i &* k &+ j] } }
            let v = prior * exp(nx[j] - maxLog)
            nx[j] = v
            sum += v
        }
        if sum > 0, sum.isFinite {
            let inv = 1 / sum
            for j in 0..<k { a[j] = nx[j] * inv }
        }
        for j in 0..<k { p[j] = a[j] }
    }

    /// Back to the model's start probabilities.
    public func reset() {
        started = false
        if let m = model { for j in 0..<stateCount { alpha[j] = m.startprob[j] } }
        else { for j in 0..<stateCount { alpha[j] = 1 / Double(stateCount) } }
    }
}
