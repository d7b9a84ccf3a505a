// The common shape of every regime detector.

/// A regime detector: fitted on a warm-up window off the hot path, then updated once per
/// observation (a return) on the hot path.
///
/// `update(_:into:)` writes probabilities over `stateCount` canonical states into storage the
/// caller preallocated. States are ordered by volatility, lowest first (calm … crisis), so a label
/// means the same thing after every refit. The trend detector is the one exception: its states
/// are ordered by drift (down, flat, up); see ``axis``.
/// Per-update work is O(1) or O(K²) and allocates nothing.
public protocol RegimeModel: AnyObject {
    /// Short stable name used in configuration and reports (`hmm`, `gmm`, …).
    var name: String { get }
    /// Number of canonical states K.
    var stateCount: Int { get }
    /// What the canonical order of the states means.
    var axis: RegimeAxis { get }
    /// Smallest window `fit` accepts.
    var minimumFitCount: Int { get }
    /// True once `fit` succeeded; before that `update` writes uniform probabilities
    /// (or the detector's documented fallback).
    var isFitted: Bool { get }
    /// Estimates the detector's parameters on `window` (returns, oldest first). Off the hot path;
    /// allocates. The online state (filter, sums) carries over across refits.
    /// - Throws: ``RegimeError/notEnoughData(detector:needed:got:)`` or
    ///   ``RegimeError/nonFiniteObservation(detector:index:)``.
    func fit(_ window: [Double]) throws(RegimeError)
    /// Consumes one observation and writes the state probabilities into `probabilities`
    /// (at least `stateCount` slots; they sum to 1). Non-finite observations are skipped:
    /// the previous probabilities are written again.
    func update(_ observation: Double, into probabilities: UnsafeMutableBufferPointer<Double>)
    /// Forgets the online state (not the fitted parameters).
    func reset()
    /// For detectors that place a variable number of fitted states in the K canonical slots (HMM,
    /// GMM): the log-variance last fitted in each slot, nil for a slot never occupied. A fresh
    /// detector given these places its fits as the one it replaces would (see ``CanonicalSlots``).
    /// Empty, and ignored when set, for the others.
    var slotAnchors: [Double?] { get set }
}

/// The meaning of a detector's state order.
public enum RegimeAxis: String, Sendable, Codable {
    /// States ordered by volatility, lowest first.
    case volatility
    /// States ordered by drift: down, flat, up.
    case trend
}

extension RegimeModel {
    public var slotAnchors: [Double?] {
        get { [] }
        set {}
    }

    /// Convenience for tests and tools: updates and returns the probabilities (allocates).
    public func update(_ observation: Double) -> [Double] {
        var out = [Double](repeating: 0, count: stateCount)
        out.withUnsafeMutableBufferPointer { update(observation, into: $0) }
        return out
    }

    /// Convenience: updates and returns the most probable state (allocates nothing but a
    /// small stack buffer of at most ``RegimeProbabilities/capacity`` slots).
    public func updateState(_ observation: Double) -> Int {
        var probs = RegimeProbabilities(uniform: stateCount)
        withUnsafeMutableBytes(of: &probs.storage) { raw in
            let buf = raw.bindMemory(to: Double.self)
            update(observation, into: buf)
        }
        return probs.argmax
    }
}

/// Shared validation helpers.
enum RegimeCheck {
    /// Throws unless every value of `window` is finite and there are at least `needed`.
    static func window(_ window: [Double], needed: Int, detector: String) throws(RegimeError) {
        guard window.count >= needed else {
            throw .notEnoughData(detector: detector, needed: needed, got: window.count)
        }
        for (i, x) in window.enumerated() where !x.isFinite {
            throw .nonFiniteObservation(detector: detector, index: i)
        }
    }

    /// Throws unless `k` is within 2...capacity.
    static func states(_ k: Int, parameter: String = "states") throws(RegimeError) {
        guard k >= 2, k <= RegimeProbabilities.capacity else {
            throw .invalidParameter(name: parameter, value: String(k),
                                    allowed: "2...\(RegimeProbabilities.capacity)")
        }
    }

    /// Writes uniform probabilities into the first `k` slots.
    static func uniform(_ p: UnsafeMutableBufferPointer<Double>, _ k: Int) {
        let u = 1.0 / Double(k)
        for i in 0..<min(k, p.count) { p[i] = u }
    }
}
