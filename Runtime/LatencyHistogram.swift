import Histogram

/// Percentiles of a latency histogram, in nanoseconds.
public struct LatencySummary: Sendable, Equatable, Codable {
    public var count: UInt64
    public var p50: UInt64
    public var p90: UInt64
    public var p99: UInt64
    public var p999: UInt64
    public var max: UInt64
    public var mean: Double

    public static let empty = LatencySummary(count: 0, p50: 0, p90: 0, p99: 0, p999: 0, max: 0, mean: 0)

    public init(count: UInt64, p50: UInt64, p90: UInt64, p99: UInt64, p999: UInt64, max: UInt64, mean: Double) {
        self.count = count
        self.p50 = p50
        self.p90 = p90
        self.p99 = p99
        self.p999 = p999
        self.max = max
        self.mean = mean
    }

    /// Summarises an HdrHistogram of nanosecond values.
    public init(_ histogram: Histogram<UInt64>) {
        guard histogram.totalCount > 0 else {
            self = .empty
            return
        }
        self.init(count: histogram.totalCount,
                  p50: histogram.valueAtPercentile(50), p90: histogram.valueAtPercentile(90),
                  p99: histogram.valueAtPercentile(99), p999: histogram.valueAtPercentile(99.9),
                  max: histogram.max, mean: histogram.mean)
    }
}

extension Histogram where Count == UInt64 {
    /// A histogram for nanosecond latencies from 1 ns to 60 s with 3 significant digits;
    /// recording never allocates.
    public static func latencyNanos() -> Histogram<UInt64> {
        Histogram<UInt64>(lowestDiscernibleValue: 1, highestTrackableValue: 60_000_000_000, numberOfSignificantValueDigits: .three)
    }

    /// Records a value, clamping it into the trackable range (never fails).
    @inlinable
    public mutating func recordClamped(_ nanos: UInt64) {
        _ = record(Swift.min(Swift.max(nanos, 1), 60_000_000_000))
    }
}
