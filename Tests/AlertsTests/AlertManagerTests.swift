import Testing
@testable import Alerts

/// Virtual clock: plain nanosecond values.
let second: UInt64 = 1_000_000_000
let minute: UInt64 = 60 * second

@Suite struct AlertManagerTests {
    func manager(cooldownMinutes: Double = 15, history: Int = 1000) throws -> AlertManager {
        try AlertManager(configuration: AlertManagerConfiguration(cooldownMinutes: cooldownMinutes, historyCapacity: history))
    }

    @Test func builtInRulesComeFromTheSeed() throws {
        let rules = AlertRule.builtIn()
        let byName = Dictionary(uniqueKeysWithValues: rules.map { ($0.name, $0) })
        #expect(byName["high_latency"]?.threshold == 0.05 && byName["high_latency"]?.severity == .critical)
        #expect(byName["model_drift"]?.threshold == 0.8 && byName["model_drift"]?.severity == .warning)
        #expect(byName["agent_communication_failure"]?.threshold == 3 && byName["agent_communication_failure"]?.severity == .critical)
        #expect(byName["high_error_rate"]?.threshold == 0.05 && byName["high_error_rate"]?.rate?.windowSeconds == 60)
        #expect(byName["high_memory_usage"]?.threshold == 0.9)
        var m = try manager()
        #expect(m.observe(metric: "quantum_agent_drift_score_ratio", value: 0.8, now: 0).isEmpty)   // strictly above
        let raised = m.observe(metric: "quantum_agent_drift_score_ratio", value: 0.81, now: 0)
        #expect(raised.map(\.kind) == [.raised] && raised.first?.alert.severity == .warning)
        // The latency rule only looks at the end-to-end p99 series.
        #expect(m.observe(metric: "quantum_agent_stage_latency_seconds", value: 0.2,
                          series: "stage=\"risk\",quantile=\"0.99\"", now: 0).isEmpty)
        let latency = m.observe(metric: "quantum_agent_stage_latency_seconds", value: 0.06,
                                series: "stage=\"end_to_end\",quantile=\"0.99\"", now: 0)
        #expect(latency.first?.alert.severity == .critical)
    }

    @Test func repeatedMatchesAreDeduplicatedAndRemindedAfterTheCooldown() throws {
        var m = try manager()
        let first = m.observe(metric: "quantum_agent_model_degradation_ratio", value: 0.17, now: 0)
        #expect(first.map(\.kind) == [.raised])
        let id = try #require(first.first?.alert.id)
        for t in 1...14 {   // every minute, still within the 15-minute cooldown
            #expect(m.observe(metric: "quantum_agent_model_degradation_ratio", value: 0.18, now: UInt64(t) * minute).isEmpty)
        }
        #expect(m.activeAlerts.count == 1)
        #expect(m.alert(id: id)?.occurrences == 15)
        #expect(m.tick(now: 15 * minute - 1).isEmpty)
        let reminder = m.tick(now: 15 * minute)
        #expect(reminder.map(\.kind) == [.reminder] && reminder.first?.alert.value == 0.18)
        #expect(m.alert(id: id)?.notifications == 2)
    }

    @Test func autoResolvesWhenTheConditionClearsAndCoolsDownBeforeReNotifying() throws {
        var m = try manager()
        _ = m.observe(metric: "quantum_agent_memory_usage_ratio", value: 0.95, now: 0)
        let resolved = m.observe(metric: "quantum_agent_memory_usage_ratio", value: 0.5, now: 2 * minute)
        #expect(resolved.map(\.kind) == [.resolved])
        #expect(resolved.first?.alert.resolvedAt == 2 * minute)
        #expect(m.activeAlerts.isEmpty && m.history.count == 1)
        // Flapping back within the cooldown: a new alert, but silent.
        #expect(m.observe(metric: "quantum_agent_memory_usage_ratio", value: 0.96, now: 3 * minute).isEmpty)
        #expect(m.suppressedNotifications == 1 && m.activeAlerts.count == 1)
        let late = m.tick(now: 15 * minute)
        #expect(late.map(\.kind) == [.raised])
        // A silent alert that resolves is not announced.
        var n = try manager()
        _ = n.observe(metric: "quantum_agent_memory_usage_ratio", value: 0.95, now: 0)
        _ = n.observe(metric: "quantum_agent_memory_usage_ratio", value: 0.5, now: minute)
        _ = n.observe(metric: "quantum_agent_memory_usage_ratio", value: 0.95, now: 2 * minute)
        #expect(n.observe(metric: "quantum_agent_memory_usage_ratio", value: 0.5, now: 3 * minute).isEmpty)
    }

    @Test func acknowledgeStopsRemindersButNotResolution() throws {
        var m = try manager()
        let id = try #require(m.observe(metric: "quantum_agent_cluster_heartbeats_missed", value: 5,
                                        series: "member=\"b\"", now: 0).first?.alert.id)
        let ack = try m.acknowledge(id: id, by: "alice", now: minute)
        #expect(ack?.kind == .acknowledged && ack?.alert.acknowledgedBy == "alice")
        #expect(try m.acknowledge(id: id, by: "alice", now: 2 * minute) == nil)    // idempotent
        #expect(m.tick(now: 60 * minute).isEmpty)
        #expect(m.observe(metric: "quantum_agent_cluster_heartbeats_missed", value: 6, series: "member=\"b\"", now: 61 * minute).isEmpty)
        let resolved = m.observe(metric: "quantum_agent_cluster_heartbeats_missed", value: 0, series: "member=\"b\"", now: 62 * minute)
        #expect(resolved.map(\.kind) == [.resolved])
        #expect(throws: AlertError.alreadyResolved(id: id)) { try m.acknowledge(id: id, by: "bob", now: 63 * minute) }
        #expect(throws: AlertError.unknownAlert(id: 999)) { try m.acknowledge(id: 999, by: "bob", now: 63 * minute) }
    }

    @Test func snoozeSilencesUntilItEndsThenRemindsAtOnce() throws {
        var m = try manager(cooldownMinutes: 1)
        let id = try #require(m.observe(metric: "quantum_agent_model_degradation_ratio", value: 0.2, now: 0).first?.alert.id)
        let snoozed = try m.snooze(id: id, forNanoseconds: 30 * minute, now: minute)
        #expect(snoozed.kind == .snoozed && snoozed.alert.snoozedUntil == 31 * minute)
        #expect(m.tick(now: 10 * minute).isEmpty)
        #expect(m.observe(metric: "quantum_agent_model_degradation_ratio", value: 0.3, now: 20 * minute).isEmpty)
        let woke = m.tick(now: 31 * minute)
        #expect(woke.map(\.kind) == [.reminder] && woke.first?.alert.state == .firing)
        #expect(throws: AlertError.invalidSnoozeDuration(nanoseconds: 0, maximumNanoseconds: 7 * 86_400 * second)) {
            try m.snooze(id: id, forNanoseconds: 0, now: 32 * minute)
        }
        #expect(throws: AlertError.unknownAlert(id: 42)) { try m.snooze(id: 42, forNanoseconds: minute, now: 0) }
    }

    @Test func historyIsBounded() throws {
        var m = try manager(cooldownMinutes: 0, history: 3)
        for k in 0..<5 {
            _ = m.raise(key: "manual_\(k)", severity: .info, summary: "k", now: UInt64(k))
            _ = m.clear(key: "manual_\(k)", now: UInt64(k) + 1)
        }
        #expect(m.history.map(\.key) == ["manual_2", "manual_3", "manual_4"])
        #expect(m.alert(id: 1) == nil)
    }

    @Test func activeAlertsAreOrderedBySeverityThenAge() throws {
        var m = try manager()
        _ = m.raise(key: "a", severity: .info, summary: "a", now: 0)
        _ = m.raise(key: "b", severity: .critical, summary: "b", now: 1)
        _ = m.raise(key: "c", severity: .critical, summary: "c", now: 2)
        #expect(m.activeAlerts.map(\.key) == ["b", "c", "a"])
    }

    @Test func badRulesAreRejectedWithTheirName() {
        let rule = AlertRule(name: "x", metric: "m", comparison: .greaterThan, threshold: 1, severity: .info, summary: "")
        #expect(throws: AlertError.duplicateRule(name: "x")) { try AlertManager(rules: [rule, rule]) }
        var bad = rule
        bad.threshold = .nan
        do {
            _ = try AlertManager(rules: [bad])
            Issue.record("expected an error")
        } catch {
            #expect(error.description.contains("threshold (x)"))
        }
    }
}
