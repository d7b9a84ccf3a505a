import Testing
@testable import Monitoring

@Suite struct DataQualityMonitorTests {
    @Test func countsEachKindOfBadTickPerSymbol() throws {
        var monitor = try DataQualityMonitor(symbolCapacity: 2, window: 8)
        let ticks = [
            TickSample(symbol: 0, sequence: 1, timestampNanoseconds: 1, price: 100, size: 1),
            TickSample(symbol: 0, sequence: 1, timestampNanoseconds: 2, price: 100, size: 1),      // duplicate
            TickSample(symbol: 0, sequence: 3, timestampNanoseconds: 3, price: .nan, size: 1),     // non-finite
            TickSample(symbol: 0, sequence: 2, timestampNanoseconds: 4, price: 100, size: 1),      // out of order
            TickSample(symbol: 0, sequence: 4, timestampNanoseconds: 5, price: -1, size: 1),       // out of range
            TickSample(symbol: 0, sequence: 5, timestampNanoseconds: 6, price: .nan, size: 1, hasMissingField: true),
            TickSample(symbol: 1, sequence: 9, timestampNanoseconds: 7, price: 50, size: 2),
        ]
        for (k, tick) in ticks.enumerated() {
            let recorded = monitor.record(tick, now: UInt64(k) * 1_000_000_000)
            #expect(recorded)
        }
        let s0 = try #require(monitor.counters(symbol: 0))
        #expect(s0.ticks == 6 && s0.duplicates == 1 && s0.nonFiniteValues == 1 && s0.outOfOrder == 1)
        #expect(s0.outOfRange == 1 && s0.missingFields == 1)
        #expect(monitor.qualityRatio(symbol: 0) == 1.0 / 6.0)
        #expect(monitor.qualityRatio(symbol: 1) == 1)
        #expect(monitor.feedAgeSeconds(symbol: 0, now: 7_500_000_000) == 2.5)
        let result2 = monitor.record(TickSample(symbol: 2, sequence: 1, timestampNanoseconds: 1, price: 1, size: 1), now: 0)
        #expect(!result2)
    }

    @Test func qualityRatioSlidesOverTheLastWindowTicks() throws {
        var monitor = try DataQualityMonitor(symbolCapacity: 1, window: 100)
        for k in 0..<100 {   // every tenth tick bad
            monitor.record(TickSample(symbol: 0, sequence: UInt64(k + 1), timestampNanoseconds: 0,
                                      price: k % 10 == 0 ? .infinity : 1, size: 1), now: 0)
        }
        #expect(monitor.qualityRatio(symbol: 0) == 0.9)
        for k in 100..<200 {
            monitor.record(TickSample(symbol: 0, sequence: UInt64(k + 1), timestampNanoseconds: 0, price: 1, size: 1), now: 0)
        }
        #expect(monitor.qualityRatio(symbol: 0) == 1)
        #expect(monitor.counters(symbol: 0)?.nonFiniteValues == 10)
    }
}
