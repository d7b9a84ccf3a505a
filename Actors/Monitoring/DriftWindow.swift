// Streaming drift of one series: a frozen reference window against a sliding current window.
// Statistics: see DriftMath (Smirnov, 1939; Vallender, 1974; Yurdakul, 2018).

/// Drift of one series (a feature or the model's predictions).
///
/// The first `referenceCapacity` finite values (or the values passed to `setReference`)
/// form the reference; it is then frozen (sorted, PSI edges and σ computed once). Later
/// values fill a ring of the last `windowCapacity` values. `record` is O(1) and
/// allocation-free; `statistics()` copies the ring into preallocated scratch, sorts it and
/// runs `DriftMath` (O(n log n)), once per `metrics_interval`, off the hot path.
public struct DriftWindow: Sendable {
    public let referenceCapacity: Int
    public let windowCapacity: Int
    public let psiBins: Int
    public let psiEpsilon: Double
    private var reference: [Double]
    private var ring: [Double]
    private var sorted: [Double]
    private var edges: [Double]
    private var edgeCount = 0
    private var referenceStandardDeviation = 0.0
    private var head = 0
    /// Values held in the reference (≤ referenceCapacity).
    public private(set) var referenceCount = 0
    /// Values held in the current window (≤ windowCapacity).
    public private(set) var currentCount = 0
    /// True once the reference is frozen and later values go to the current window.
    public private(set) var isReferenceFrozen = false
    /// NaN or infinite values seen (not used by any statistic).
    public private(set) var nonFiniteCount = 0

    /// - Parameters:
    ///   - referenceCapacity: reference window length, 2 … 10,000,000.
    ///   - windowCapacity: current window length, 1 … 10,000,000.
    ///   - psiBins: number of reference-quantile PSI bins, 2 … 1000 (default 10).
    ///   - psiEpsilon: floor on bin proportions, in (0, 0.1] (default 1e-4).
    /// - Throws: `MonitoringError.parameterOutOfRange` naming the bad parameter.
    public init(referenceCapacity: Int, windowCapacity: Int, psiBins: Int = DriftMath.defaultPSIBins,
                psiEpsilon: Double = DriftMath.defaultPSIEpsilon) throws(MonitoringError) {
        guard (2...10_000_000).contains(referenceCapacity) else {
            throw .parameterOutOfRange(name: "referenceCapacity", value: Double(referenceCapacity), allowed: "2...10000000")
        }
        guard (1...10_000_000).contains(windowCapacity) else {
            throw .parameterOutOfRange(name: "windowCapacity", value: Double(windowCapacity), allowed: "1...10000000")
        }
        guard (2...1000).contains(psiBins) else {
            throw .parameterOutOfRange(name: "psiBins", value: Double(psiBins), allowed: "2...1000")
        }
        guard psiEpsilon > 0, psiEpsilon <= 0.1 else {
            throw .parameterOutOfRange(name: "psiEpsilon", value: psiEpsilon, allowed: "(0, 0.1]")
        }
        self.referenceCapacity = referenceCapacity
        self.windowCapacity = windowCapacity
        self.psiBins = psiBins
        self.psiEpsilon = psiEpsilon
        reference = [Double](repeating: 0, count: referenceCapacity)
        ring = [Double](repeating: 0, count: windowCapacity)
        sorted = [Double](repeating: 0, count: windowCapacity)
        edges = [Double](repeating: 0, count: psiBins - 1)
    }

    /// Records one observation. Non-finite values are counted and ignored.
    @inlinable
    public mutating func record(_ value: Double) {
        guard value.isFinite else {
            countNonFinite()
            return
        }
        append(value)
    }

    @usableFromInline
    mutating func countNonFinite() { nonFiniteCount += 1 }

    @usableFromInline
    mutating func append(_ value: Double) {
        if isReferenceFrozen {
            ring[head] = value
            head += 1
            if head == windowCapacity { head = 0 }
            if currentCount < windowCapacity { currentCount += 1 }
        } else {
            reference[referenceCount] = value
            referenceCount += 1
            if referenceCount == referenceCapacity { freezeReference() }
        }
    }

    /// Freezes the reference now (with at least one value); later values go to the
    /// current window. Does nothing when already frozen or empty.
    public mutating func freezeReference() {
        guard !isReferenceFrozen, referenceCount > 0 else { return }
        let n = referenceCount
        reference.withUnsafeMutableBufferPointer { r in
            var slice = UnsafeMutableBufferPointer(rebasing: r[0..<n])
            slice.sort()
            let frozen = UnsafeBufferPointer(slice)
            referenceStandardDeviation = DriftMath.populationStandardDeviation(frozen)
            edgeCount = edges.withUnsafeMutableBufferPointer { e in
                DriftMath.psiEdges(sortedReference: frozen, bins: psiBins, into: e)
            }
        }
        isReferenceFrozen = true
    }

    /// Replaces the reference by `values` (finite ones, at most `referenceCapacity`, the
    /// last ones kept), freezes it and clears the current window.
    public mutating func setReference(_ values: [Double]) {
        isReferenceFrozen = false
        referenceCount = 0
        head = 0
        currentCount = 0
        for value in values.suffix(referenceCapacity) where value.isFinite {
            reference[referenceCount] = value
            referenceCount += 1
        }
        freezeReference()
    }

    /// Forgets the reference and the current window: the next `referenceCapacity` values
    /// form a new reference (after a model version change).
    public mutating func resetAll() {
        isReferenceFrozen = false
        referenceCount = 0
        head = 0
        currentCount = 0
    }

    /// Clears the current window, keeping the reference.
    public mutating func resetCurrent() {
        head = 0
        currentCount = 0
    }

    /// Drift statistics of the current window against the reference; `nil` until the
    /// reference is frozen and the current window holds at least one value.
    public mutating func statistics() -> DriftStatistics? {
        guard isReferenceFrozen, currentCount > 0 else { return nil }
        let n = currentCount, r = referenceCount, e = edgeCount
        let sigma = referenceStandardDeviation, epsilon = psiEpsilon
        for k in 0..<n { sorted[k] = ring[k] }
        return sorted.withUnsafeMutableBufferPointer { s in
            var current = UnsafeMutableBufferPointer(rebasing: s[0..<n])
            current.sort()
            return reference.withUnsafeBufferPointer { ref in
                edges.withUnsafeBufferPointer { edge in
                    DriftMath.statistics(sortedReference: UnsafeBufferPointer(rebasing: ref[0..<r]),
                                         sortedCurrent: UnsafeBufferPointer(current),
                                         edges: UnsafeBufferPointer(rebasing: edge[0..<e]),
                                         referenceStandardDeviation: sigma, psiEpsilon: epsilon)
                }
            }
        }
    }
}
