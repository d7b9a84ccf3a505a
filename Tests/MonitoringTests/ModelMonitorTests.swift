import Foundation
import Testing
import Runtime
import Alerts
@testable import Monitoring

/// The monitor and the alert center on a deterministic actor system with a virtual clock.
@Suite struct ModelMonitorTests {
    typealias H = MonitorHarness

    @Test func dataQualityAlertIsDedupedCooledDownAcknowledgedAndResolved() async throws {
        let h = try await H.make()
        let key = "data_quality_low{symbol=\"BTCUSD\"}"
        // 10 bad ticks of 100: quality 0.9 < 0.95.
        h.evaluate(after: H.ticks(symbol: 0, count: 100, bad: 10))
        let raised = h.channel.take()
        #expect(raised.map(\.kind) == [.raised])
        #expect(raised.first?.alert.key == key && raised.first?.alert.severity == .warning)
        #expect(raised.first?.alert.value == 0.9)
        let id = try #require(raised.first?.alert.id)
        // Still bad a minute later: deduplicated, nothing sent within the cooldown.
        h.advance(seconds: 60)
        h.evaluate(after: H.ticks(symbol: 0, count: 1, bad: 1, start: 101))
        #expect(h.channel.take().isEmpty)
        // The 15-minute cooldown elapses: one reminder.
        h.advance(seconds: 15 * 60)
        h.evaluate()
        #expect(h.channel.take().map(\.kind) == [.reminder])
        // Acknowledged: no more reminders.
        let center = h.center.actor
        let acknowledged = try await h.system.pumping { try await center.acknowledge(id: id, by: "ops") }
        #expect(acknowledged.state == .acknowledged && acknowledged.acknowledgedBy == "ops")
        #expect(h.channel.take().map(\.kind) == [.acknowledged])
        h.advance(seconds: 16 * 60)
        h.evaluate()
        #expect(h.channel.take().isEmpty)
        // The feed recovers: 100 good ticks fill the window, the alert resolves by itself.
        h.evaluate(after: H.ticks(symbol: 0, count: 100, start: 200))
        let resolved = h.channel.take()
        #expect(resolved.map(\.kind) == [.resolved] && resolved.first?.alert.id == id)
        let (active, history) = try await h.system.pumping { (await center.activeAlerts(), await center.history()) }
        #expect(active.isEmpty)
        #expect(history.map(\.id) == [id] && history.first?.state == .resolved)
    }

    @Test func snoozedAlertStaysQuietUntilTheSnoozeEnds() async throws {
        let h = try await H.make()
        let slow: [MonitorTap] = (0..<100).map { _ in .latency(LatencySample(stage: .endToEnd, nanoseconds: 80_000_000)) }
        h.evaluate(after: slow)
        let raised = h.channel.take()
        #expect(raised.map(\.kind) == [.raised])
        #expect(raised.first?.alert.key == "high_latency{stage=\"end_to_end\",quantile=\"0.99\"}")
        #expect(raised.first?.alert.severity == .critical)
        let id = try #require(raised.first?.alert.id)
        let center = h.center.actor
        let snoozed = try await h.system.pumping { try await center.snooze(id: id, seconds: 30 * 60) }
        #expect(snoozed.state == .snoozed)
        #expect(h.channel.take().map(\.kind) == [.snoozed])
        // Past the cooldown but inside the snooze: silent.
        h.advance(seconds: 20 * 60)
        h.evaluate(after: slow)
        #expect(h.channel.take().isEmpty)
        // The snooze ends: reminded at once.
        h.advance(seconds: 11 * 60)
        h.evaluate(after: slow)
        let reminder = h.channel.take()
        #expect(reminder.map(\.kind) == [.reminder] && reminder.first?.alert.state == .firing)
        // Every end-to-end tick above the 50 ms target missed its deadline.
        #expect(h.exposition.contains("quantum_agent_deadline_misses_total{stage=\"end_to_end\"} 300"))
        // A bad snooze is refused with a typed error.
        await #expect(throws: AlertError.self) {
            try await h.system.pumping { try await center.snooze(id: id, seconds: 0.5) }
        }
        await #expect(throws: AlertError.unknownAlert(id: 999)) {
            try await h.system.pumping { try await center.acknowledge(id: 999, by: "ops") }
        }
    }

    /// 100 predictions at p = 0.9 whose labels alternate: accuracy 0.5.
    static func poorPredictions() -> [MonitorTap] {
        (0..<100).map { .prediction(PredictionSample(model: 0, probability: 0.9, label: $0 % 2 == 0)) }
    }

    @Test func degradedModelIsRolledBackOnceAfterConfirmationAndDwell() async throws {
        let h = try await H.make()
        h.evaluate(after: [.deployed(ModelVersionSample(model: 0, version: "v1", baselineAccuracy: 0.9))])
        h.advance(seconds: 10)
        h.evaluate(after: Self.poorPredictions())
        let degraded = h.channel.take()
        #expect(degraded.map(\.alert.key) == ["model_degraded{model=\"alpha\"}"] && degraded.first?.alert.severity == .critical)
        #expect(h.rollbacks.all.isEmpty)
        // Confirmed for 40 s, but the version has been live only 50 s (dwell 300 s): no rollback.
        h.advance(seconds: 40)
        h.evaluate()
        #expect(h.rollbacks.all.isEmpty)
        // Past the dwell time: exactly one rollback and a critical alert with it.
        h.advance(seconds: 260)
        h.evaluate()
        #expect(h.rollbacks.all.map(\.version) == ["v1"])
        let order = try #require(h.rollbacks.all.first)
        #expect(abs(order.degradation - 0.4 / 0.9) < 1e-12 && order.model == "alpha")
        let events = h.channel.take()
        #expect(events.map(\.alert.key) == ["model_rollback{model=\"alpha\"}"])
        #expect(events.first?.alert.severity == .critical)
        #expect(h.exposition.contains("quantum_agent_model_rollbacks_total{model=\"alpha\"} 1"))
        // Still degraded: the rollback is pending, never sent twice.
        h.advance(seconds: 60)
        h.evaluate()
        #expect(h.rollbacks.all.count == 1)
    }

    @Test func rollbackIsOnlyAlertedWhenAutoRollbackIsDisabled() async throws {
        var configuration = H.configuration()
        configuration.monitoring.autoRollbackEnabled = false
        let h = try await H.make(configuration: configuration)
        h.evaluate(after: [.deployed(ModelVersionSample(model: 0, version: "v1", baselineAccuracy: 0.9))])
        h.advance(seconds: 400)
        h.evaluate(after: Self.poorPredictions())
        h.advance(seconds: 40)
        h.evaluate()
        #expect(h.rollbacks.all.isEmpty)
        #expect(h.channel.take().map(\.alert.key) == ["model_degraded{model=\"alpha\"}"])
    }

    @Test func fullMailboxDropsTheOldestTapsAndCountsThem() async throws {
        let h = try await H.make(mailboxCapacity: 64)
        var outcomes: [SendOutcome] = []
        for tap in H.ticks(symbol: 1, count: 1000) { outcomes.append(h.monitor.send(tap)) }
        #expect(outcomes.allSatisfy { $0.isAccepted })
        #expect(outcomes.filter { $0 == .enqueuedDroppingOldest }.count == 936)
        h.system.runUntilIdle()
        h.evaluate(after: [.runtime(RuntimeSampler.sample(h.system))])
        let text = h.exposition
        #expect(text.contains("quantum_agent_queue_dropped_messages_total{actor=\"monitor\"} 936"))
        #expect(text.contains("quantum_agent_data_ticks_total{symbol=\"ETHUSD\"} 64"))
    }

    @Test func everyCatalogMetricIsExportedThroughSwiftMetrics() async throws {
        let h = try await H.make()
        var taps: [MonitorTap] = [.deployed(ModelVersionSample(model: 0, version: "v1", baselineAccuracy: 0.6))]
        taps += H.ticks(symbol: 0, count: 10)
        for i in 0..<200 {
            taps.append(.prediction(PredictionSample(model: 0, probability: Double(i % 10) / 10, label: i % 3 == 0)))
            taps.append(.feature(FeatureSample(feature: 0, value: Double(i % 17) + (i >= 100 ? 5 : 0))))
            taps.append(.decision(DecisionSample(model: 0, symbol: 0, pnl: Double(i % 7) - 3)))
            taps.append(.latency(LatencySample(stage: .endToEnd, nanoseconds: UInt64(1_000 + i))))
        }
        taps.append(.order)
        taps.append(.detector(DetectorSample(model: 0, detector: "ADWIN", state: 1)))
        taps.append(.cluster(ClusterSample(membersAlive: 3, heartbeatAgeSeconds: ["agent-2": 0.5],
                                           consensusLatency: LatencySummary(count: 5, p50: 1_000, p90: 2_000, p99: 3_000, p999: 4_000, max: 5_000, mean: 1_500),
                                           redisRoundTrip: LatencySummary(count: 5, p50: 60_000, p90: 70_000, p99: 90_000, p999: 100_000, max: 110_000, mean: 65_000))))
        taps.append(.runtime(RuntimeSampler.sample(h.system)))
        h.evaluate(after: taps)
        h.advance(seconds: 1)
        h.evaluate(after: [.runtime(RuntimeSampler.sample(h.system))])
        let text = h.exposition
        let missing = MetricCatalog.all.map(\.name).filter { !text.contains("# TYPE \($0) ") }
        #expect(missing.isEmpty, "not exported: \(missing)")
        // Counters are exported as counters, summaries as gauges with a quantile label.
        #expect(text.contains("# TYPE quantum_agent_data_ticks_total counter"))
        #expect(text.contains("quantum_agent_stage_latency_seconds{stage=\"end_to_end\",quantile=\"0.99\"}"))
        let values = try await h.system.pumping { await h.monitor.actor.latestValues() }
        #expect(values["quantum_agent_data_quality_ratio{symbol=\"BTCUSD\"}"] == 1)
        #expect(values["quantum_agent_cluster_members_alive"] == 3)
    }

    @Test func metricIDsFollowTheCatalogOrder() {
        #expect(MetricID.allCases.count == MetricCatalog.all.count)
        for id in MetricID.allCases {
            let camel = "\(id)"
            var snake = ""
            for character in camel {
                if character.isUppercase { snake += "_" + character.lowercased() } else { snake.append(character) }
            }
            #expect(id.descriptor.name == "quantum_agent_" + snake, "\(id)")
        }
    }

    @Test func outOfRangeIndexesAreCountedNotRecorded() throws {
        var core = try MonitorCore(configuration: H.configuration(), now: 0)
        core.record(.prediction(PredictionSample(model: 3, probability: 0.5, label: true)), now: 1)
        core.record(.feature(FeatureSample(feature: -1, value: 1)), now: 1)
        core.record(.decision(DecisionSample(model: 0, symbol: 9, pnl: 1)), now: 1)
        core.record(.tick(TickSample(symbol: 5, sequence: 1, timestampNanoseconds: 0, price: 1, size: 1)), now: 1)
        #expect(core.rejectedTaps == 4)
        #expect(throws: MonitoringError.self) {
            try MonitorCore(configuration: ModelMonitorConfiguration(models: []), now: 0)
        }
    }

    @Test func ratesAndErrorRatioComeFromRuntimeTotals() throws {
        var core = try MonitorCore(configuration: H.configuration(), now: 0)
        core.record(.runtime(RuntimeSample(residentBytes: 900, memoryLimitBytes: 1000, ticksProcessed: 0, ordersSent: 0)),
                    now: 0)
        core.record(.runtime(RuntimeSample(residentBytes: 950, memoryLimitBytes: 1000, ticksProcessed: 4_000,
                                           ordersSent: 1_000)), now: 2 * H.second)
        let values = Dictionary(core.evaluate(now: 2 * H.second).samples.map { ($0.sampleName, $0.value) },
                                uniquingKeysWith: { $1 })
        #expect(values["quantum_agent_ticks_per_second"] == 2_000)
        #expect(values["quantum_agent_orders_per_second"] == 500)
        #expect(values["quantum_agent_memory_usage_ratio"] == 0.95)
        #expect(values["quantum_agent_resident_memory_bytes"] == 950)
    }
}
