import Testing
@testable import Latency

@Suite struct PipelineMetricsTests {
    /// Records across many automatic hand-overs, some collected by readers in between
    /// and some not: the final snapshot counts every tick and order exactly once.
    @Test func everyRecordedTickIsCountedOnceAcrossHandOversAndSnapshots() {
        let metrics = PipelineMetrics(publishEvery: 100)
        var recorded: UInt64 = 0
        var orders: UInt64 = 0
        for index in 0..<10_000 {
            metrics.stage(.features, UInt64(100 + index % 50))
            if index % 7 == 0 {
                metrics.order(endToEnd: 2_000)
                orders += 1
            }
            metrics.tickDone(UInt64(1_000 + index))
            recorded += 1
            if index % 1_500 == 0 { _ = metrics.snapshot() }  // a reader collects now and then
        }
        metrics.publish()
        let snapshot = metrics.snapshot()
        #expect(snapshot.ticks == recorded)
        #expect(snapshot.orders == orders)
        #expect(snapshot.tick.count == recorded)
        #expect(snapshot.endToEnd.count == orders)
        #expect(snapshot.stages["features"]?.count == recorded)
        #expect(snapshot.stages["features"]?.max ?? 0 >= 149)
        // Nothing new: publishing again changes nothing.
        metrics.publish()
        #expect(metrics.snapshot() == snapshot)
    }

    @Test func publishWithoutAReaderStillMakesEverythingVisible() {
        let metrics = PipelineMetrics(publishEvery: 10)
        for _ in 0..<35 { metrics.tickDone(500) }   // flips at 10; the set stays uncollected
        metrics.publish()                           // merges the pending set, then flips
        metrics.rejected()
        metrics.fill()
        metrics.deadlineMiss()
        metrics.publish()
        let snapshot = metrics.snapshot()
        #expect(snapshot.ticks == 35)
        #expect(snapshot.rejectedByRisk == 1 && snapshot.fills == 1 && snapshot.deadlineMisses == 1)
    }
}
