// A one-dimensional Gaussian hidden Markov model in hmmlearn's semantics (hmmlearn 0.3,
// `GaussianHMM(covariance_type="diag")` with one feature): scaled forward–backward
// (Rabiner 1989), Viterbi decoding (Viterbi 1967). Fitting is in GaussianHMM+BaumWelch.swift.

import Foundation

/// Parameters of a 1-D Gaussian HMM with K states and the offline algorithms on them.
/// Matrices are row-major: `transmat[i * K + j]` = P(next = j | current = i).
public struct GaussianHMM: Sendable, Equatable, Codable {
    /// Number of hidden states K.
    public let stateCount: Int
    /// Initial state distribution (K).
    public var startprob: [Double]
    /// Transition matrix, row-major K×K.
    public var transmat: [Double]
    /// Emission means (K), in the unit of the observations.
    public var means: [Double]
    /// Emission variances (K), in squared observation units.
    public var covars: [Double]

    /// A model from explicit parameters.
    /// - Throws: ``RegimeError/invalidParameter(name:value:allowed:)`` when shapes disagree, a
    ///   probability row does not sum to 1 or a variance is not positive.
    public init(startprob: [Double], transmat: [Double], means: [Double], covars: [Double]) throws(RegimeError) {
        let k = startprob.count
        try RegimeCheck.states(k, parameter: "startprob.count")
        guard transmat.count == k * k else {
            throw .invalidParameter(name: "transmat.count", value: String(transmat.count), allowed: "\(k * k)")
        }
        guard means.count == k, covars.count == k else {
            throw .invalidParameter(name: "means/covars.count", value: "\(means.count)/\(covars.count)", allowed: "\(k)")
        }
        guard abs(startprob.reduce(0, +) - 1) < 1e-6, startprob.allSatisfy({ $0 >= 0 }) else {
            throw .invalidParameter(name: "startprob", value: "\(startprob)", allowed: "non-negative, summing to 1")
        }
        for i in 0..<k {
            let row = transmat[(i * k)..<(i * k + k)]
            guard abs(row.reduce(0, +) - 1) < 1e-6, row.allSatisfy({ $0 >= 0 }) else {
                throw .invalidParameter(name: "transmat row \(i)", value: "\(Array(row))", allowed: "non-negative, summing to 1")
            }
        }
        guard covars.allSatisfy({ $0 > 0 && $0.isFinite }), means.allSatisfy(\.isFinite) else {
            throw .invalidParameter(name: "covars", value: "\(covars)", allowed: "finite and > 0")
        }
        self.init(unchecked: k, startprob, transmat, means, covars)
    }

    init(unchecked k: Int, _ s: [Double], _ t: [Double], _ m: [Double], _ c: [Double]) {
        stateCount = k; startprob = s; transmat = t; means = m; covars = c
    }

    /// log N(x; means[j], covars[j]).
    @inlinable
    public func logDensity(_ x: Double, state j: Int) -> Double {
        let d = x - means[j]
        return -0.5 * (1.8378770664093453 + log(covars[j]) + d * d / covars[j])
    }

    /// The same model with states permuted so variances ascend (ties: by mean).
    public func sortedByVariance() -> GaussianHMM {
        let k = stateCount
        let order = (0..<k).sorted { covars[$0] != covars[$1] ? covars[$0] < covars[$1] : means[$0] < means[$1] }
        var t = [Double](repeating: 0, count: k * k)
        for (a, i) in order.enumerated() { for (b, j) in order.enumerated() { t[a * k + b] = transmat[i * k + j] } }
        return GaussianHMM(unchecked: k, order.map { startprob[$0] }, t, order.map { means[$0] }, order.map { covars[$0] })
    }

    /// Emission likelihoods scaled per row: `frame[t*K+j] = exp(logb - rowMax)`; returns row maxima.
    func scaledFrames(_ x: [Double]) -> (frame: [Double], rowMax: [Double]) {
        let k = stateCount
        var frame = [Double](repeating: 0, count: x.count * k)
        var rowMax = [Double](repeating: 0, count: x.count)
        for (t, v) in x.enumerated() {
            var m = -Double.infinity
            for j in 0..<k { let l = logDensity(v, state: j); frame[t * k + j] = l; m = max(m, l) }
            rowMax[t] = m
            for j in 0..<k { frame[t * k + j] = exp(frame[t * k + j] - m) }
        }
        return (frame, rowMax)
    }

    /// Scaled forward pass (Rabiner 1989): returns normalised alphas, the scaling factors and the
    /// log-likelihood of `x`.
    func forward(frame: [Double], rowMax: [Double], count n: Int) -> (alpha: [Double], scale: [Double], logLikelihood: Double) {
        let k = stateCount
        var alpha = [Double](repeating: 0, count: n * k)
        var scale = [Double](repeating: 1, count: n)
        var ll = 0.0
        for t in 0..<n {
            var s = 0.0
            for j in 0..<k {
                var a = 0.0
                if t == 0 { a = startprob[j] } else {
                    for i in 0..<k { a += alpha[(t - 1) * k + i] * transmat[i * k + j] }
                }
                a *= frame[t * k + j]
                alpha[t * k + j] = a
                s += a
            }
            if s > 0 { for j in 0..<k { alpha[t * k + j] /= s } } else { s = .leastNonzeroMagnitude }
            scale[t] = s
            ll += log(s) + rowMax[t]
        }
        return (alpha, scale, ll)
    }

    /// Scaled backward pass matching `forward`'s scaling factors.
    func backward(frame: [Double], scale: [Double], count n: Int) -> [Double] {
        let k = stateCount
        var beta = [Double](repeating: 1, count: n * k)
        guard n > 1 else { return beta }
        for t in stride(from: n - 2, through: 0, by: -1) {
            for i in 0..<k {
                var b = 0.0
                for j in 0..<k { b += transmat[i * k + j] * frame[(t + 1) * k + j] * beta[(t + 1) * k + j] }
                beta[t * k + i] = b / scale[t + 1]
            }
        }
        return beta
    }

    /// Log-likelihood of `x` under the model (hmmlearn's `score`).
    public func score(_ x: [Double]) -> Double {
        let f = scaledFrames(x)
        return forward(frame: f.frame, rowMax: f.rowMax, count: x.count).logLikelihood
    }

    /// Smoothed posteriors P(state_t = j | x), row-major n×K (hmmlearn's `predict_proba`).
    public func posteriors(_ x: [Double]) -> [Double] {
        let n = x.count, k = stateCount
        let f = scaledFrames(x)
        let fw = forward(frame: f.frame, rowMax: f.rowMax, count: n)
        let beta = backward(frame: f.frame, scale: fw.scale, count: n)
        var g = [Double](repeating: 0, count: n * k)
        for t in 0..<n {
            var s = 0.0
            for j in 0..<k { g[t * k + j] = fw.alpha[t * k + j] * beta[t * k + j]; s += g[t * k + j] }
            if s > 0 { for j in 0..<k { g[t * k + j] /= s } }
        }
        return g
    }

    /// Most likely state path (hmmlearn's `decode(algorithm="viterbi")`): log-probability of the
    /// path and the states. Ties go to the lowest state index, as numpy's argmax does.
    public func viterbi(_ x: [Double]) -> (logProbability: Double, states: [Int]) {
        let n = x.count, k = stateCount
        guard n > 0 else { return (0, []) }
        let logA = transmat.map { log($0) }
        var delta = (0..<k).map { log(startprob[$0]) + logDensity(x[0], state: $0) }
        var back = [Int](repeating: 0, count: n * k)
        var next = delta
        for t in 1..<max(n, 1) where n > 1 {
            for j in 0..<k {
                var best = -Double.infinity, arg = 0
                for i in 0..<k {
                    let v = delta[i] + logA[i * k + j]
                    if v > best { best = v; arg = i }
                }
                back[t * k + j] = arg
                next[j] = best + logDensity(x[t], state: j)
            }
            swap(&delta, &next)
        }
        var last = 0
        for j in 1..<k where delta[j] > delta[last] { last = j }
        var path = [Int](repeating: 0, count: n)
        path[n - 1] = last
        if n > 1 { for t in stride(from: n - 1, to: 0, by: -1) { path[t - 1] = back[t * k + path[t]] } }
        return (delta[last], path)
    }
}
