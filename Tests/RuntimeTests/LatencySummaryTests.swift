import Histogram
import Testing
@testable import Runtime

private let samples: [[UInt64]] = {
    let constant = [UInt64](repeating: 1_500, count: 10)
    let wide: [UInt64] = [1, 5, 2_047, 2_048, 2_049, 100_000, 123_456_789, 59_000_000_000]
    var dense: [UInt64] = (0..<50_000).map { (index: Int) -> UInt64 in UInt64(200 + (index &* 7_919) % 3_000) }
    dense.append(5_000_000)
    let top: [UInt64] = [60_000_000_000]
    return [constant, wide, dense, top]
}()

@Suite struct LatencySummaryTests {
    /// The summary walks only the recorded range once; it must give exactly HdrHistogram's own
    /// `mean` and `valueAtPercentile` (same buckets, same order, same arithmetic) on narrow,
    /// wide and sparse data.
    @Test(arguments: samples)
    func summaryIsHdrHistogramsOwnFigures(values: [UInt64]) {
        var histogram = Histogram<UInt64>.latencyNanos()
        for value in values { histogram.recordClamped(value) }
        let summary = LatencySummary(histogram)
        #expect(summary.count == UInt64(values.count) && summary.mean == histogram.mean)
        #expect(summary.p50 == histogram.valueAtPercentile(50) && summary.p90 == histogram.valueAtPercentile(90))
        #expect(summary.p99 == histogram.valueAtPercentile(99) && summary.p999 == histogram.valueAtPercentile(99.9))
        #expect(summary.max == histogram.max)
    }

    @Test func anEmptyHistogramSummarisesToEmpty() {
        let histogram = Histogram<UInt64>.latencyNanos()
        #expect(LatencySummary(histogram) == .empty)
    }
}

extension LatencySummaryTests {
    /// Percentile boundaries: with 1,000 values 1…1,000 µs each percentile lands on a bucket
    /// edge, where an off-by-one in the cumulative count would show.
    @Test func percentilesOnBucketEdgesMatchHdrHistogram() {
        var histogram = Histogram<UInt64>.latencyNanos()
        for value in 1...1_000 { histogram.recordClamped(UInt64(value) * 1_000) }
        let summary = LatencySummary(histogram)
        #expect([summary.p50, summary.p90, summary.p99, summary.p999]
                    == [50, 90, 99, 99.9].map { histogram.valueAtPercentile($0) })
    }
}
