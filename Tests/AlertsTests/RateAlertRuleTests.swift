import Testing
@testable import Alerts

/// Rate rules on a virtual clock: plain nanosecond values (`second`, `minute` from AlertManagerTests).
@Suite struct RateAlertRuleTests {
    @Test func slidingWindowCounterDropsBucketsOlderThanTheWindow() {
        var w = SlidingWindowCounter(windowNanoseconds: 10 * second, bucketCount: 10)
        w.add(numerator: 1, denominator: 10, now: second / 2)
        w.add(numerator: 0, denominator: 10, now: 5 * second)
        #expect(w.sums(now: 9 * second + second / 2) == (1, 20))
        #expect(w.sums(now: 10 * second) == (0, 10))   // bucket 0 has left the 10-bucket window
        #expect(w.sums(now: 15 * second) == (0, 0))
        w.add(numerator: 2, denominator: 4, now: 3 * second)   // time going back: lands in the newest bucket (5)
        #expect(w.sums(now: 14 * second) == (2, 14))
        w.add(numerator: .nan, denominator: -3, now: 14 * second)
        #expect(w.sums(now: 14 * second) == (2, 14))
    }

    /// errors / messages over the 60 s window ending at second `s` (1-s buckets), computed apart.
    static func referenceRatio(errors: [Double], events: [Double], at s: Int) -> Double {
        let range = max(0, s - 59)...s
        return range.reduce(0) { $0 + errors[$1] } / range.reduce(0) { $0 + events[$1] }
    }

    @Test func errorRateFiresAboveFivePercentOfTheLastMinuteResolvesAndRespectsTheCooldown() throws {
        var m = try AlertManager(configuration: AlertManagerConfiguration(cooldownMinutes: 15))
        let seconds = 1_100
        let events = [Double](repeating: 100, count: seconds)
        let errors: [Double] = (0..<seconds).map { s in
            switch s {
            case ..<60: 2        // 2 %: quiet
            case 60..<70: 30     // a 10-s burst at 30 %
            case 70..<200: 0
            default: 10          // 10 % again, within the cooldown of the first notification
            }
        }
        var log: [(Int, AlertEvent.Kind)] = []
        var firstFiring: [Int] = []
        for s in 0..<seconds {
            let now = UInt64(s) * second
            m.count(metric: AlertRule.messagesHandledCounter, by: events[s], now: now)
            m.count(metric: AlertRule.handlerErrorsCounter, by: errors[s], now: now)
            let wasActive = !m.activeAlerts.isEmpty
            let happened = m.tick(now: now)
            log += happened.map { (s, $0.kind) }
            let reference = Self.referenceRatio(errors: errors, events: events, at: s)
            #expect(m.rateValue(key: "high_error_rate", now: now).map { abs($0 - reference) < 1e-12 } ?? true, "second \(s)")
            #expect(m.activeAlerts.isEmpty == !(reference > 0.05), "second \(s): reference \(reference)")
            if !wasActive && !m.activeAlerts.isEmpty { firstFiring.append(s) }
            if s == 66, let event = happened.first {
                #expect(abs(event.alert.value - 316.0 / 6000) < 1e-12 && event.alert.severity == .critical)
            }
        }
        // 66: (2·53 + 30·7) / 6000 > 5 %; 119: only the burst is left, 300 / 6000 = 5 %, not above;
        // 230: the second episode crosses 5 % silently (cooldown from 66 s); 966 = 66 + 15 min.
        #expect(log.map(\.0) == [66, 119, 966])
        #expect(log.map(\.1) == [.raised, .resolved, .raised])
        #expect(firstFiring == [66, 230])
        #expect(m.suppressedNotifications == 1)
    }

    @Test func tooFewEventsDoNotMakeARate() throws {
        var m = try AlertManager()
        m.count(metric: AlertRule.messagesHandledCounter, by: 2, now: 0)
        m.count(metric: AlertRule.handlerErrorsCounter, by: 2, now: 0)
        #expect(m.tick(now: 0).isEmpty)
        #expect(m.rateValue(key: "high_error_rate", now: 0) == nil)   // 2 of 2 fail, but 2 < 20 messages
        m.count(metric: AlertRule.messagesHandledCounter, by: 18, now: second)
        #expect(m.tick(now: second).map(\.alert.rule) == ["high_error_rate"])   // 2 / 20 = 10 %
        // Nothing at all in the window: 0, resolved.
        #expect(m.tick(now: 2 * minute).map(\.kind) == [.resolved])
        #expect(m.rateValue(key: "high_error_rate", now: 2 * minute) == nil)   // its empty window was dropped
    }

    @Test func cumulativeTotalsFeedTheRestartRuleWithResetsAndExpiry() throws {
        var m = try AlertManager(rules: AlertRule.catalog())
        let series = "actor=\"risk\""
        func total(_ value: Double, at s: UInt64) -> [AlertEvent] {
            m.observe(metric: "quantum_agent_actor_restarts_total", value: value, series: series, now: s * second)
                + m.tick(now: s * second)
        }
        #expect(total(5, at: 0).isEmpty)    // baseline: restarts before the first total are not counted
        #expect(total(6, at: 10).isEmpty)
        #expect(total(8, at: 20).isEmpty)   // 3 in 5 min: not above 3
        let raised = total(1, at: 30)       // a reset: the new total (1) is the increase
        #expect(raised.map(\.alert.key) == ["actor_restarts_frequent{actor=\"risk\"}"])
        #expect(raised.first?.alert.value == 4)
        // 5-s buckets: the restart at 10 s leaves the window at 310 s.
        #expect(m.tick(now: 309 * second).isEmpty)
        #expect(m.tick(now: 310 * second).map(\.kind) == [.resolved])
    }

    @Test func aRateRuleIgnoresSamplesOfItsMetricAsGaugesAndTreatsThemAsTotals() throws {
        var m = try AlertManager(rules: AlertRule.catalog())
        let series = "actor=\"monitor\""
        #expect(m.observe(metric: "quantum_agent_queue_dropped_messages_total", value: 100, series: series, now: 0).isEmpty)
        #expect(m.tick(now: 0).isEmpty)     // 100 drops since start: a baseline, not a drop now
        _ = m.observe(metric: "quantum_agent_queue_dropped_messages_total", value: 101, series: series, now: second)
        #expect(m.tick(now: second).map(\.alert.rule) == ["queue_drops"])
        #expect(m.tick(now: 62 * second).map(\.kind) == [.resolved])
    }

    @Test func badRateParametersAreRejectedWithTheirName() {
        func rule(_ rate: AlertRule.Rate) -> AlertRule {
            AlertRule(name: "r", metric: "m", comparison: .greaterThan, threshold: 0, severity: .info, summary: "", rate: rate)
        }
        let cases: [(AlertRule.Rate, String)] = [
            (.init(numerator: "", windowSeconds: 60), "rule.rate.numerator (r)"),
            (.init(numerator: "a", denominator: "a", windowSeconds: 60), "rule.rate.denominator (r)"),
            (.init(numerator: "a", windowSeconds: 0), "rule.rate.windowSeconds (r)"),
            (.init(numerator: "a", windowSeconds: 60, bucketCount: 0), "rule.rate.bucketCount (r)"),
            (.init(numerator: "a", denominator: "b", windowSeconds: 60, minimumEvents: -.infinity), "rule.rate.minimumEvents (r)"),
        ]
        for (rate, name) in cases {
            #expect(throws: AlertError.self) { try AlertManager(rules: [rule(rate)]) }
            do { _ = try AlertManager(rules: [rule(rate)]) } catch { #expect(error.description.hasPrefix(name), "\(error)") }
        }
    }
}
