// Online regime detector on a 1-D Gaussian mixture of returns (GaussianMixture1D.swift): EM fit on
// the warm-up, components ordered by variance. Online, the mixture's posterior is smoothed in time
// by a forward filter under a sticky prior (the "sticky" mixture of Fox, Sudderth, Jordan &
// Willsky 2011): between two returns the component is kept with probability ρ and otherwise
// redrawn from the mixture weights π, i.e. transitions A = ρI + (1 − ρ)·1πᵀ, so
//   a_t(j) ∝ (ρ·a_{t−1}(j) + (1 − ρ)·π_j) · N(x_t; μ_j, σ²_j).
// ρ = 1 − 1/w for an expected regime duration of w returns. With w = 1 (ρ = 0) this is
// scikit-learn's `predict_proba`. Unlike a trailing block of w returns assigned as a whole, the
// filter needs no w-return delay after a switch: one return far outside the current component
// moves it at once, while ordinary noise cannot.

import Foundation

/// Gaussian-mixture regime detector. O(K) per update, no allocation.
public final class GMMRegimeModel: RegimeModel {
    public let name = "gmm"
    public let axis = RegimeAxis.volatility
    public let stateCount: Int
    public var minimumFitCount: Int { 2 * stateCount }
    public var isFitted: Bool { mixture != nil }
    /// Fitting options.
    public let configuration: GaussianMixture1D.Configuration
    /// Expected regime duration w ≥ 1 in returns: the filter keeps the component with probability
    /// 1 − 1/w between two returns. 20, the ensemble's realised window, is the default.
    public let window: Int
    /// The current mixture (nil before the first fit).
    public private(set) var mixture: GaussianMixture1D?

    // Raw storage: logNorm[K] | means[K] | halfInvVar[K] | posterior[K] | (1 − ρ)·π[K].
    private let storage: UnsafeMutablePointer<Double>
    private var logNorm: UnsafeMutablePointer<Double> { storage }
    private var means: UnsafeMutablePointer<Double> { storage + stateCount }
    private var halfInvVar: UnsafeMutablePointer<Double> { storage + 2 * stateCount }
    private var last: UnsafeMutablePointer<Double> { storage + 3 * stateCount }
    private var jump: UnsafeMutablePointer<Double> { storage + 4 * stateCount }
    private let persistence: Double
    private var started = false

    /// - Throws: ``RegimeError/invalidParameter(name:value:allowed:)`` for a bad configuration
    ///   or a window below 1.
    public init(configuration: GaussianMixture1D.Configuration = .init(), window: Int = 20) throws(RegimeError) {
        try configuration.validate()
        guard window >= 1 else { throw .invalidParameter(name: "gmm.window", value: "\(window)", allowed: ">= 1") }
        self.configuration = configuration
        self.window = window
        persistence = 1 - 1 / Double(window)
        stateCount = configuration.components
        let size = 5 * stateCount
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
            logNorm[j] = -0.5 * (1.8378770664093453 + log(m.variances[j]))
            jump[j] = (1 - persistence) * m.weights[j]
        }
        if !started { for j in 0..<stateCount { last[j] = m.weights[j] } }
    }

    /// One forward step under the sticky prior; writes the filtered posterior.
    public func update(_ observation: Double, into p: UnsafeMutableBufferPointer<Double>) {
        let k = stateCount
        guard isFitted else { RegimeCheck.uniform(p, k); return }
        if observation.isFinite {
            let a = last, rho = persistence
            var mx = -Double.infinity
            for j in 0..<k {
                let d = observation - means[j]
                let l = logNorm[j] - d * d * halfInvVar[j]
                p[j] = l
                if l > mx { mx = l }
            }
            var s = 0.0
            for j in 0..<k {
                let v = (rho * a[j] + jump[j]) * exp(p[j] - mx)
                p[j] = v
                s += v
            }
            if s > 0, s.isFinite {
                let inv = 1 / s
                for j in 0..<k { a[j] = p[j] * inv }
            }
            started = true
        }
        for j in 0..<k { p[j] = last[j] }
    }

    public func reset() {
        started = false
        if let m = mixture { for j in 0..<stateCount { last[j] = m.weights[j] } }
        else { for j in 0..<stateCount { last[j] = 1 / Double(stateCount) } }
    }
}
