// ADWIN — ADaptive WINdowing drift detector.
// Bifet, A. & Gavaldà, R. (2007). "Learning from time-changing data with adaptive
// windowing." SIAM International Conference on Data Mining, 443–448.
// Exponential-histogram variance merging after Babcock, Datar, Motwani & O'Callaghan (2003).
//
// Reference semantics: River 0.26 `drift.ADWIN` (its compiled `AdaptiveWindowing`,
// a line port of `adwin_c.pyx`): same bucket compression, same cut search from the
// oldest bucket, same ε_cut, same floating-point operation order, and River's full
// reset at the start of the update following a detection.
//
// Storage: all bucket levels are preallocated (64 levels × (max_buckets + 1) slots,
// enough for 2^64 items), so `update` never allocates.

import Foundation

/// ADWIN drift detector (River 0.26 semantics and defaults).
public struct ADWIN: DriftDetector, Codable, Equatable {
    /// Parameters, named and defaulted as River's.
    public struct Configuration: Sendable, Equatable, Codable {
        /// Significance value δ ∈ (0, 1).
        public var delta: Double = 0.002
        /// Check for change every `clock` updates (≥ 1).
        public var clock: Int = 32
        /// Buckets of one size kept before two are merged (≥ 1).
        public var maxBuckets: Int = 5
        /// Minimum length of each sub-window in a cut (≥ 1).
        public var minWindowLength: Int = 5
        /// No change detection until the window holds more than this many items (≥ 0).
        public var gracePeriod: Int = 10

        public init(delta: Double = 0.002, clock: Int = 32, maxBuckets: Int = 5,
                    minWindowLength: Int = 5, gracePeriod: Int = 10) {
            self.delta = delta
            self.clock = clock
            self.maxBuckets = maxBuckets
            self.minWindowLength = minWindowLength
            self.gracePeriod = gracePeriod
        }

        /// Throws `ParameterError.outOfRange` naming the first invalid parameter.
        public func validate() throws(ParameterError) {
            if !(delta > 0 && delta < 1) {
                throw .outOfRange(name: "delta", value: "\(delta)", allowed: "0 < delta < 1")
            }
            if clock < 1 { throw .outOfRange(name: "clock", value: "\(clock)", allowed: "integer >= 1") }
            if maxBuckets < 1 || maxBuckets > 1_000 {
                throw .outOfRange(name: "max_buckets", value: "\(maxBuckets)", allowed: "integer in [1, 1000]")
            }
            if minWindowLength < 1 {
                throw .outOfRange(name: "min_window_length", value: "\(minWindowLength)", allowed: "integer >= 1")
            }
            if gracePeriod < 0 {
                throw .outOfRange(name: "grace_period", value: "\(gracePeriod)", allowed: "integer >= 0")
            }
        }
    }

    /// Highest bucket level; level i holds summaries of 2^i items.
    static let maxLevels = 64

    public let configuration: Configuration
    public private(set) var driftDetected = false
    public var warningDetected: Bool { false }

    private let slots: Int
    private let minWindow: Double
    private let grace: Double
    private var totals: [Double]
    private var variances: [Double]
    private var counts: [Int]
    private var levels = 1
    /// Sum of the items in the window.
    public private(set) var total = 0.0
    /// Sum of squared deviations of the window (River's `variance`).
    public private(set) var variance = 0.0
    /// Number of items in the window.
    public private(set) var width = 0.0
    private var tick = 0
    /// Detections since the last reset (River resets it with the window).
    public private(set) var detections = 0

    /// Creates a detector; throws if a parameter is out of range.
    public init(_ configuration: Configuration = Configuration()) throws(ParameterError) {
        try configuration.validate()
        self.configuration = configuration
        slots = configuration.maxBuckets + 1
        minWindow = Double(configuration.minWindowLength)
        grace = Double(configuration.gracePeriod)
        totals = [Double](repeating: 0, count: Self.maxLevels * slots)
        variances = [Double](repeating: 0, count: Self.maxLevels * slots)
        counts = [Int](repeating: 0, count: Self.maxLevels)
    }

    /// Whether decoded state is internally consistent (array sizes, bucket counts),
    /// so that using it cannot index out of bounds.
    public var isConsistent: Bool {
        (try? configuration.validate()) != nil
            && slots == configuration.maxBuckets + 1
            && totals.count == Self.maxLevels * slots && variances.count == totals.count
            && counts.count == Self.maxLevels && (1...Self.maxLevels).contains(levels)
            && counts.allSatisfy { (0...slots).contains($0) }
            && minWindow == Double(configuration.minWindowLength) && grace == Double(configuration.gracePeriod)
    }

    /// Mean of the window (0 when empty).
    public var estimation: Double { width == 0 ? 0 : total / width }

    public mutating func reset() {
        for i in 0..<(levels * slots) { totals[i] = 0; variances[i] = 0 }
        for i in 0..<levels { counts[i] = 0 }
        levels = 1
        total = 0; variance = 0; width = 0; tick = 0; detections = 0
        driftDetected = false
    }

    public mutating func update(_ x: Double) {
        if driftDetected { reset() }
        insertElement(x)
        driftDetected = detectChange()
    }

    private mutating func insertElement(_ value: Double) {
        width += 1.0
        var incremental = 0.0
        if width > 1.0 {
            let d = value - total / (width - 1.0)
            incremental = (width - 1.0) * d * d / width
        }
        variance += incremental
        total += value
        // One uniqueness check per array per update, then raw pointers (hot path).
        let slots = self.slots, maxBuckets = configuration.maxBuckets
        var levels = self.levels
        totals.withUnsafeMutableBufferPointer { t in
            variances.withUnsafeMutableBufferPointer { v in
                counts.withUnsafeMutableBufferPointer { c in
                    Self.append(level: 0, total: value, variance: 0, t, v, c, slots)
                    Self.compressBuckets(t, v, c, slots: slots, maxBuckets: maxBuckets, levels: &levels)
                }
            }
        }
        self.levels = levels
    }

    @inline(__always)
    private static func append(
        level: Int, total: Double, variance: Double, _ t: UnsafeMutableBufferPointer<Double>,
        _ v: UnsafeMutableBufferPointer<Double>, _ c: UnsafeMutableBufferPointer<Int>, _ slots: Int
    ) {
        let i = level * slots + c[level]
        t[i] = total
        v[i] = variance
        c[level] += 1
    }

    /// Drops the first `n` summaries of `level`, shifting the rest down and zeroing the tail.
    @inline(__always)
    private static func compress(
        level: Int, by n: Int, _ t: UnsafeMutableBufferPointer<Double>,
        _ v: UnsafeMutableBufferPointer<Double>, _ c: UnsafeMutableBufferPointer<Int>, _ slots: Int
    ) {
        let base = level * slots
        let current = c[level]
        let remaining = current - n
        if remaining > 0 {
            for i in 0..<remaining {
                t[base + i] = t[base + n + i]
                v[base + i] = v[base + n + i]
            }
        }
        for i in max(remaining, 0)..<current {
            t[base + i] = 0
            v[base + i] = 0
        }
        c[level] = current - n
    }

    /// River's bucket compression: a level holding max_buckets + 1 summaries merges its
    /// two oldest into one summary of the next level, cascading upwards.
    private static func compressBuckets(
        _ t: UnsafeMutableBufferPointer<Double>, _ v: UnsafeMutableBufferPointer<Double>,
        _ c: UnsafeMutableBufferPointer<Int>, slots: Int, maxBuckets: Int, levels: inout Int
    ) {
        var idx = 0
        while c[idx] == maxBuckets + 1, idx + 1 < maxLevels {
            let n1 = Double(UInt64(1) << UInt64(idx))
            // x / 2^k == x * 2^-k exactly (one rounding of the same real), and cheaper.
            let inverse = 1.0 / n1
            let base = idx * slots
            let t0 = t[base], t1 = t[base + 1]
            let v0 = v[base], v1 = v[base + 1]
            let mu1 = t0 * inverse
            let mu2 = t1 * inverse
            let total12 = t0 + t1
            let temp = n1 * 0.5 * (mu1 - mu2) * (mu1 - mu2)
            let v12 = v0 + v1 + temp
            if idx + 1 >= levels { levels = idx + 2 }
            append(level: idx + 1, total: total12, variance: v12, t, v, c, slots)
            compress(level: idx, by: 2, t, v, c, slots)
            if c[idx + 1] <= maxBuckets { break }
            idx += 1
        }
    }

    private mutating func deleteElement() {
        let last = levels - 1
        let n = Double(UInt64(1) << UInt64(last))
        let u = totals[last * slots]
        let v = variances[last * slots]
        let mu = u / n
        width -= n
        total -= u
        let muWindow = total / width
        let inc = v + n * width * (mu - muWindow) * (mu - muWindow) / (n + width)
        variance -= inc
        let slots = self.slots
        totals.withUnsafeMutableBufferPointer { t in
            variances.withUnsafeMutableBufferPointer { v in
                counts.withUnsafeMutableBufferPointer { c in Self.compress(level: last, by: 1, t, v, c, slots) }
            }
        }
        if counts[last] == 0 && last > 0 { levels -= 1 }
    }

    private mutating func detectChange() -> Bool {
        tick += 1
        guard tick % configuration.clock == 0, width > grace else { return false }
        var changeDetected = false
        // River rescans from the oldest bucket after every deletion until no cut is found.
        while width > 0 && hasCut() {
            changeDetected = true
            deleteElement()
        }
        if changeDetected { detections += 1 }
        return changeDetected
    }

    /// Scans the cut points from the oldest bucket to the newest (River's order) and
    /// reports whether one satisfies |μ0 − μ1| > ε_cut. Read-only, bounds-check-free.
    private func hasCut() -> Bool {
        var n0 = 0.0, n1 = width, u0 = 0.0, u1 = total
        // Terms of ε_cut that depend only on the window (fixed during one scan: the
        // scan stops at the first cut). Same values as River computes per cut.
        let deltaPrime = Foundation.log(2.0 * Foundation.log(width) / configuration.delta)
        let varianceInWindow = variance / width
        let slots = self.slots
        let minWindow = self.minWindow
        return totals.withUnsafeBufferPointer { t in
            counts.withUnsafeBufferPointer { counts in
                var idx = levels - 1
                while idx >= 0 {
                    let bucketSize = Double(UInt64(1) << UInt64(idx))
                    let count = counts[idx]
                    let base = idx * slots
                    for k in 0..<count {
                        n0 += bucketSize
                        n1 -= bucketSize
                        let v = t[base + k]
                        u0 += v
                        u1 -= v
                        if idx == 0 && k == count - 1 { return false }
                        let deltaMean = (u0 / n0) - (u1 / n1)
                        if n1 >= minWindow && n0 >= minWindow
                            && Self.exceedsCut(n0, n1, deltaMean, deltaPrime, varianceInWindow, minWindow) {
                            return true
                        }
                    }
                    idx -= 1
                }
                return false
            }
        }
    }

    @inline(__always)
    private static func exceedsCut(_ n0: Double, _ n1: Double, _ deltaMean: Double, _ deltaPrime: Double,
                                   _ varianceInWindow: Double, _ minWindow: Double) -> Bool {
        let mRecip = 1.0 / (n0 - minWindow + 1.0) + 1.0 / (n1 - minWindow + 1.0)
        let epsilon = (2.0 * mRecip * varianceInWindow * deltaPrime).squareRoot()
            + 2.0 / 3.0 * deltaPrime * mRecip
        return abs(deltaMean) > epsilon
    }
}
