// Online regime detector on a 1-D Gaussian mixture of returns (GaussianMixture1D.swift): EM fit on
// the warm-up, components ordered by variance. Online, a component is assigned to the trailing
// window of the last w returns as a whole, under the mixture's own assumption that a window
// comes from one component: log p(j | x_{t−w+1..t}) = log π_j + Σ_i log N(x_i; μ_j, σ²_j) + const,
// computed from running sums Σx and Σx². With w = 1 this is scikit-learn's `predict_proba`.

import Foundation

/// Gaussian-mixture regime detector. O(K) per update (running sums over a ring), no allocation.
public final class GMMRegimeModel: RegimeModel {
    public let name = "gmm"
    public let axis = RegimeAxis.volatility
    public let stateCount: Int
    public var minimumFitCount: Int { 2 * stateCount }
    public var isFitted: Bool { mixture != nil }
    /// Fitting options.
    public let configuration: GaussianMixture1D.Configuration
    /// Returns assigned together (w ≥ 1). A single return says little about a variance regime; 20,
    /// the ensemble's realised window, is the default.
    public let window: Int
    /// The current mixture (nil before the first fit).
    public private(set) var mixture: GaussianMixture1D?

    // Raw storage: logNorm[K] | means[K] | halfInvVar[K] | last[K] | ring[w].
    private let storage: UnsafeMutablePointer<Double>
    private var logWeightNorm: UnsafeMutablePointer<Double> { storage }
    private var means: UnsafeMutablePointer<Double> { storage + stateCount }
    private var halfInvVar: UnsafeMutablePointer<Double> { storage + 2 * stateCount }
    private var last: UnsafeMutablePointer<Double> { storage + 3 * stateCount }
    private var ring: UnsafeMutablePointer<Double> { storage + 4 * stateCount }
    private var head = 0, filled = 0
    private var sum = 0.0, sumSquares = 0.0

    /// - Throws: ``RegimeError/invalidParameter(name:value:allowed:)`` for a bad configuration
    ///   or a window below 1.
    public init(configuration: GaussianMixture1D.Configuration = .init(), window: Int = 20) throws(RegimeError) {
        try configuration.validate()
        guard window >= 1 else { throw .invalidParameter(name: "gmm.window", value: "\(window)", allowed: ">= 1") }
        self.configuration = configuration
        self.window = window
        stateCount = configuration.components
        let size = 4 * stateCount + window
        storage = .allocate(capacity: size)
        storage.initialize(repeating: 0, count: size)
        for j in 0..<stateCount { storage[3 * stateCount + j] = 1 / Double(stateCount) }
    }

    deinit { storage.deallocate() }

    /// Variance floor as a fraction of the window's variance, added to every component
    /// (scikit-learn's `reg_covar`, made scale-free): without it a component can collapse onto one
    /// return and take a zero variance, the singularity of the mixture likelihood.
    public static let relativeVarianceFloor = 1e-3

    public func fit(_ window: [Double]) throws(RegimeError) {
        try RegimeCheck.window(window, needed: minimumFitCount, detector: name)
        let mean = window.reduce(0, +) / Double(window.count)
        let variance = window.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(window.count)
        var c = configuration
        c.regCovar = max(c.regCovar, Self.relativeVarianceFloor * variance)
        let m = try GaussianMixture1D.fit(window, configuration: c)
        mixture = m
        for j in 0..<stateCount {
            means[j] = m.means[j]
            halfInvVar[j] = 0.5 / m.variances[j]
            logWeightNorm[j] = -0.5 * (1.8378770664093453 + log(m.variances[j]))
        }
    }

    public func update(_ observation: Double, into p: UnsafeMutableBufferPointer<Double>) {
        let k = stateCount
        if observation.isFinite { push(observation) }
        guard let m = mixture, filled > 0 else { RegimeCheck.uniform(p, k); return }
        if observation.isFinite {
            let n = Double(filled)
            var mx = -Double.infinity
            for j in 0..<k {
                // Σ_i (x_i − μ)² = Σx² − 2μΣx + nμ².
                let mu = means[j]
                let ss = sumSquares - 2 * mu * sum + n * mu * mu
                let l = log(m.weights[j]) + n * logWeightNorm[j] - ss * halfInvVar[j]
                last[j] = l
                if l > mx { mx = l }
            }
            var s = 0.0
            for j in 0..<k { last[j] = exp(last[j] - mx); s += last[j] }
            let inv = 1 / s
            for j in 0..<k { last[j] *= inv }
        }
        for j in 0..<k { p[j] = last[j] }
    }

    /// Adds `x` to the ring and the running sums; re-sums exactly once per wrap so rounding
    /// errors of the running subtraction cannot accumulate.
    private func push(_ x: Double) {
        if filled == window { sum -= ring[head]; sumSquares -= ring[head] * ring[head] } else { filled += 1 }
        ring[head] = x
        sum += x; sumSquares += x * x
        head = head + 1 == window ? 0 : head + 1
        if head == 0 {
            sum = 0; sumSquares = 0
            for i in 0..<filled { sum += ring[i]; sumSquares += ring[i] * ring[i] }
        }
    }

    public func reset() {
        for j in 0..<stateCount { last[j] = 1 / Double(stateCount) }
        head = 0; filled = 0; sum = 0; sumSquares = 0
    }
}
