// A hot-path copy of VolatilityLevels in raw storage: reading a struct of three arrays out of a
// class property retains and releases each array on every update.

import Foundation

/// ``VolatilityLevels`` in fixed raw storage for one detector's `update`. Allocated once with
/// room for K levels; `set` copies fitted levels in (off the hot path). Not Sendable: owned by
/// one detector.
final class VolatilityLevelTable {
    /// Number of levels K.
    let count: Int
    private(set) var isSet = false
    private let logCenters: UnsafeMutablePointer<Double>
    private let varianceCutpoints: UnsafeMutablePointer<Double>
    private var halfInvSpread2 = 1.0

    init(count k: Int) {
        count = k
        logCenters = .allocate(capacity: k)
        logCenters.initialize(repeating: 0, count: k)
        varianceCutpoints = .allocate(capacity: max(k - 1, 1))
        varianceCutpoints.initialize(repeating: 0, count: max(k - 1, 1))
    }

    deinit { logCenters.deallocate(); varianceCutpoints.deallocate() }

    /// Copies `levels` (which must have `count` levels; extra ones are ignored).
    func set(_ levels: VolatilityLevels) {
        let n = min(count, levels.count)
        for j in 0..<n { logCenters[j] = levels.logCenters[j] }
        for j in 0..<min(n - 1, levels.varianceCutpoints.count) { varianceCutpoints[j] = levels.varianceCutpoints[j] }
        halfInvSpread2 = 0.5 / (levels.logSpread * levels.logSpread)
        isSet = true
    }

    /// Same as ``VolatilityLevels/state(ofVariance:)``.
    @inline(__always)
    func state(ofVariance v: Double) -> Int {
        var j = 0
        while j < count - 1, v > varianceCutpoints[j] { j += 1 }
        return j
    }

    /// Same as ``VolatilityLevels/probabilities(of:into:)``.
    func probabilities(of vol: Double, into p: UnsafeMutableBufferPointer<Double>) {
        let l = log(max(vol, .leastNormalMagnitude))
        var mx = -Double.infinity
        for j in 0..<count { let d = l - logCenters[j]; p[j] = -d * d * halfInvSpread2; mx = max(mx, p[j]) }
        var s = 0.0
        for j in 0..<count { p[j] = exp(p[j] - mx); s += p[j] }
        let inv = 1 / s
        for j in 0..<count { p[j] *= inv }
    }
}
