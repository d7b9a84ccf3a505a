import Runtime
import Testing
@testable import Latency

/// The engine's taps to the modules shed (and count) instead of queueing without bound.
@Suite struct ModuleTapTests {
    @Test func tapShedsAboveTheWatermarkCountsEveryShedMessageAndResumesBelowHalf() throws {
        let channel = try Channel<Int>(ChannelConfiguration(name: "tap-test", capacity: 1024, overflow: .dropOldest))
        let metrics = PipelineMetrics()
        let tap = ModuleTap(channel: channel, tap: .regime, metrics: metrics, watermark: 64, checkEvery: 4)
        var sent = 0
        for value in 0..<400 where tap.send(value) { sent += 1 }
        // Depth is read every 4 messages: at most 4 past the watermark get through.
        #expect(sent >= 64 && sent <= 68)
        #expect(channel.depth == sent)
        metrics.publish()
        #expect(metrics.snapshot().shed["regime"] == UInt64(400 - sent))
        #expect(metrics.snapshot().shed["learning"] == 0)

        // Still shedding until the module is back under half the watermark.
        while channel.depth > 40 { _ = channel.receive() }
        for value in 0..<8 { #expect(!tap.send(value)) }
        while channel.depth > 20 { _ = channel.receive() }
        var resumed = 0
        for value in 0..<8 where tap.send(value) { resumed += 1 }
        #expect(resumed >= 4)
        metrics.publish()
        #expect(metrics.snapshot().shed["regime"] == UInt64(400 - sent + 8 + (8 - resumed)))
    }

    @Test func groupsAreAdmittedOrShedTogether() throws {
        let channel = try Channel<Int>(ChannelConfiguration(name: "tap-group", capacity: 64, overflow: .dropOldest))
        let metrics = PipelineMetrics()
        let tap = ModuleTap(channel: channel, tap: .monitoring, metrics: metrics, watermark: 8, checkEvery: 1)
        var groups = 0
        for _ in 0..<5 where tap.admit(count: 6) {
            for value in 0..<6 { tap.sendAdmitted(value) }
            groups += 1
        }
        #expect(groups == 2)  // 0 then 6 queued admitted; 12 ≥ 8 sheds
        metrics.publish()
        #expect(metrics.snapshot().shed["monitoring"] == 18)
    }
}
