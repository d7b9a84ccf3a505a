// Value at Risk of a portfolio from a window of its returns, off the hot path.
//
// Definitions (Jorion, P. (2006), "Value at Risk", 3rd ed., ch. 5 and 12): at confidence c,
// VaR is the loss not exceeded with probability c, reported here as a positive fraction of
// portfolio value (multiply by equity for currency units):
// - parametric (normal): VaR = −(μ + σ·Φ⁻¹(1 − c)), μ the sample mean, σ the sample standard
//   deviation (n − 1); ES = −μ + σ·φ(Φ⁻¹(c)) / (1 − c). Matches scipy.stats.norm.ppf.
// - historical: VaR = −Q(1 − c), Q the empirical quantile with linear interpolation
//   (numpy.percentile's default, Hyndman & Fan type 7); ES = −mean of returns ≤ Q(1 − c).
// - Monte Carlo: `paths` seeded normal draws with the window's μ and σ, then the historical
//   estimator on the simulated returns (reproducible for a seed).

import Foundation

/// How VaR is estimated.
public enum VaRMethod: String, Sendable, Codable, CaseIterable {
    case parametric
    case historical
    case monteCarlo = "monte_carlo"
}

/// One VaR estimate, as fractions of portfolio value (positive = loss).
public struct VaREstimate: Sendable, Equatable, Codable {
    public var method: VaRMethod
    /// Confidence level, e.g. 0.99.
    public var confidence: Double
    /// Value at Risk, fraction of portfolio value.
    public var valueAtRisk: Double
    /// Expected shortfall (conditional VaR), fraction of portfolio value.
    public var expectedShortfall: Double

    public init(method: VaRMethod, confidence: Double, valueAtRisk: Double, expectedShortfall: Double) {
        self.method = method
        self.confidence = confidence
        self.valueAtRisk = valueAtRisk
        self.expectedShortfall = expectedShortfall
    }
}

/// Why VaR could not be computed.
public enum VaRError: Error, Equatable, CustomStringConvertible {
    /// Fewer returns than the estimator needs.
    case tooFewReturns(count: Int, needed: Int)
    /// Confidence outside (0, 1).
    case invalidConfidence(Double)
    /// A return that is NaN or infinite, at this index of the window.
    case nonFiniteReturn(index: Int)
    /// Monte Carlo needs at least one path.
    case invalidPathCount(Int)

    public var description: String {
        switch self {
        case let .tooFewReturns(count, needed): return "VaR needs at least \(needed) returns, the window holds \(count)"
        case let .invalidConfidence(c): return "VaR confidence \(c) is invalid: expected a number in (0, 1), e.g. 0.99"
        case let .nonFiniteReturn(i): return "return #\(i) of the VaR window is not finite"
        case let .invalidPathCount(n): return "Monte Carlo VaR needs at least 1 path, got \(n)"
        }
    }
}

/// VaR estimators over a window of portfolio returns (fractions, e.g. 0.01 = +1%).
public enum ValueAtRisk {
    /// Normal (variance–covariance) VaR and ES.
    /// - Throws: `VaRError` for fewer than 2 returns, a bad confidence or a non-finite return.
    public static func parametric(returns: [Double], confidence: Double) throws(VaRError) -> VaREstimate {
        let (mean, sd) = try moments(returns, confidence: confidence)
        let z = StandardNormal.quantile(1 - confidence)
        let density = exp(-0.5 * z * z) / (2 * Double.pi).squareRoot()
        return VaREstimate(method: .parametric, confidence: confidence, valueAtRisk: -(mean + sd * z),
                           expectedShortfall: -mean + sd * density / (1 - confidence))
    }

    /// Historical-simulation VaR and ES.
    /// - Throws: `VaRError` for fewer than 2 returns, a bad confidence or a non-finite return.
    public static func historical(returns: [Double], confidence: Double) throws(VaRError) -> VaREstimate {
        try validate(returns, confidence: confidence)
        let sorted = returns.sorted()
        return empirical(sorted: sorted, confidence: confidence, method: .historical)
    }

    /// Monte Carlo VaR under a normal model fitted to the window, `paths` seeded draws.
    /// - Throws: `VaRError` for fewer than 2 returns, a bad confidence, a non-finite return or paths < 1.
    public static func monteCarlo(returns: [Double], confidence: Double, paths: Int = 10_000,
                                  seed: UInt64 = 42) throws(VaRError) -> VaREstimate {
        guard paths >= 1 else { throw VaRError.invalidPathCount(paths) }
        let (mean, sd) = try moments(returns, confidence: confidence)
        var generator = SeededGenerator(seed: seed)
        var simulated = [Double](repeating: 0, count: paths)
        for i in 0..<paths { simulated[i] = mean + sd * generator.nextNormal() }
        simulated.sort()
        return empirical(sorted: simulated, confidence: confidence, method: .monteCarlo)
    }

    /// The estimate by `method`.
    /// - Throws: `VaRError` as the method does.
    public static func estimate(_ method: VaRMethod, returns: [Double], confidence: Double,
                                paths: Int = 10_000, seed: UInt64 = 42) throws(VaRError) -> VaREstimate {
        switch method {
        case .parametric: return try parametric(returns: returns, confidence: confidence)
        case .historical: return try historical(returns: returns, confidence: confidence)
        case .monteCarlo: return try monteCarlo(returns: returns, confidence: confidence, paths: paths, seed: seed)
        }
    }

    /// Linear-interpolated quantile of sorted data (numpy's default), `p` in [0, 1].
    public static func quantile(sorted: [Double], _ p: Double) -> Double {
        guard let first = sorted.first else { return .nan }
        if sorted.count == 1 { return first }
        let h = Double(sorted.count - 1) * p
        let lo = Int(h.rounded(.down))
        let hi = min(lo + 1, sorted.count - 1)
        return sorted[lo] + (h - Double(lo)) * (sorted[hi] - sorted[lo])
    }

    private static func empirical(sorted: [Double], confidence: Double, method: VaRMethod) -> VaREstimate {
        let q = quantile(sorted: sorted, 1 - confidence)
        var tailSum = 0.0
        var tailCount = 0
        for r in sorted {
            guard r <= q else { break }
            tailSum += r
            tailCount += 1
        }
        let es = tailCount > 0 ? -tailSum / Double(tailCount) : -q
        return VaREstimate(method: method, confidence: confidence, valueAtRisk: -q, expectedShortfall: es)
    }

    private static func validate(_ returns: [Double], confidence: Double) throws(VaRError) {
        guard confidence.isFinite, confidence > 0, confidence < 1 else { throw VaRError.invalidConfidence(confidence) }
        guard returns.count >= 2 else { throw VaRError.tooFewReturns(count: returns.count, needed: 2) }
        if let i = returns.firstIndex(where: { !$0.isFinite }) { throw VaRError.nonFiniteReturn(index: i) }
    }

    private static func moments(_ returns: [Double], confidence: Double) throws(VaRError) -> (Double, Double) {
        try validate(returns, confidence: confidence)
        let n = Double(returns.count)
        let mean = returns.reduce(0, +) / n
        var squares = 0.0
        for r in returns { squares += (r - mean) * (r - mean) }
        return (mean, (squares / (n - 1)).squareRoot())
    }
}

/// A bounded window of the most recent portfolio returns (oldest dropped first).
public struct ReturnWindow: Sendable {
    /// Most returns kept.
    public let capacity: Int
    private var storage: [Double]
    private var head = 0
    /// Returns held (≤ capacity).
    public private(set) var count = 0

    /// An empty window of `capacity` returns (at least 2).
    public init(capacity: Int) {
        self.capacity = max(2, capacity)
        storage = [Double](repeating: 0, count: self.capacity)
    }

    /// Adds a return; non-finite values are ignored and reported by `false`.
    @discardableResult
    public mutating func append(_ value: Double) -> Bool {
        guard value.isFinite else { return false }
        storage[(head + count) % capacity] = value
        if count < capacity { count += 1 } else { head = (head + 1) % capacity }
        return true
    }

    /// Adds the simple return from equity `previous` to `current` (both > 0).
    @discardableResult
    public mutating func append(equityFrom previous: Double, to current: Double) -> Bool {
        guard previous > 0, previous.isFinite, current.isFinite else { return false }
        return append(current / previous - 1)
    }

    /// The returns, oldest first.
    public var values: [Double] { (0..<count).map { storage[(head + $0) % capacity] } }
}
