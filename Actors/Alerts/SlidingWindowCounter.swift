// Sliding-window counts for the rate-based alert rules: the increase of a numerator and a
// denominator counter over the last N seconds, in a ring of time buckets (bounded memory,
// no clock inside: every call takes `now` in ns).

/// Numerator and denominator increases over a sliding time window.
///
/// The window of `windowNanoseconds` is split into `bucketCount` buckets of equal width; an
/// increase lands in the bucket of its time (bucket number = ⌊now / width⌋), and `sums(now:)`
/// adds the last `bucketCount` buckets up to the current one. So the sums cover the last N
/// seconds to the resolution of one bucket: the oldest, partly expired bucket is dropped
/// whole (60 buckets over 60 s: the last 59–60 s). O(1) per `add`, O(bucketCount) per read.
/// Time going backwards is treated as the newest time seen (counts land in its bucket).
public struct SlidingWindowCounter: Sendable, Equatable {
    /// Window length, ns.
    public let windowNanoseconds: UInt64
    /// Buckets in the window (the resolution is window / bucketCount).
    public let bucketCount: Int
    /// Width of one bucket, ns.
    public let bucketNanoseconds: UInt64
    private var numerators: [Double]
    private var denominators: [Double]
    /// Absolute bucket number held by each slot (`UInt64.max`: empty).
    private var slotBucket: [UInt64]
    private var newestBucket: UInt64 = 0

    /// - Parameters:
    ///   - windowNanoseconds: window length (≥ 1 ns).
    ///   - bucketCount: buckets (clamped to 1 ... window length in ns).
    public init(windowNanoseconds: UInt64, bucketCount: Int) {
        self.windowNanoseconds = max(1, windowNanoseconds)
        self.bucketCount = Int(min(UInt64(max(1, bucketCount)), self.windowNanoseconds))
        bucketNanoseconds = self.windowNanoseconds / UInt64(self.bucketCount)
        numerators = [Double](repeating: 0, count: self.bucketCount)
        denominators = numerators
        slotBucket = [UInt64](repeating: .max, count: self.bucketCount)
    }

    /// Adds increases at time `now` (ns). Negative or non-finite increases are ignored.
    public mutating func add(numerator: Double, denominator: Double, now: UInt64) {
        let bucket = max(now / bucketNanoseconds, newestBucket)
        newestBucket = bucket
        let slot = Int(bucket % UInt64(bucketCount))
        if slotBucket[slot] != bucket {
            slotBucket[slot] = bucket
            numerators[slot] = 0
            denominators[slot] = 0
        }
        if numerator.isFinite, numerator > 0 { numerators[slot] += numerator }
        if denominator.isFinite, denominator > 0 { denominators[slot] += denominator }
    }

    /// Sums of the increases in the window ending at `now`.
    public func sums(now: UInt64) -> (numerator: Double, denominator: Double) {
        let current = max(now / bucketNanoseconds, newestBucket)
        var numerator = 0.0
        var denominator = 0.0
        for slot in 0..<bucketCount {
            let bucket = slotBucket[slot]
            guard bucket != .max, bucket <= current, current - bucket < UInt64(bucketCount) else { continue }
            numerator += numerators[slot]
            denominator += denominators[slot]
        }
        return (numerator, denominator)
    }
}
