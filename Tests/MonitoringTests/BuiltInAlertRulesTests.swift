import Alerts
import Testing
@testable import Monitoring

@Suite struct BuiltInAlertRulesTests {
    @Test func everyBuiltInRuleWatchesACatalogMetric() {
        for rule in AlertRule.builtIn() {
            #expect(MetricCatalog.descriptor(named: rule.metric) != nil, "\(rule.name) watches unknown \(rule.metric)")
        }
    }

    @Test func evaluationDriftScoreFeedsTheSeedDriftRule() throws {
        // Predictions jump from ~0.1 to ~0.9 after the reference rows: a drift the seed rule must flag.
        var predictions: [Double] = []
        var labels: [Double] = []
        for row in 0..<200 {
            let jitter = Double(row % 10) / 100
            predictions.append(row < 100 ? 0.1 + jitter : 0.9 + jitter)
            labels.append(Double(row % 2))
        }
        let report = try MonitorEvaluation.evaluate(labels: labels, predictions: predictions, referenceRows: 100)
        let score = try #require(report.metrics[MetricCatalog.driftScore] ?? nil)
        var manager = try AlertManager()
        let events = manager.observe(metric: MetricCatalog.driftScore, value: score, now: 0)
        #expect(score > 0.8)
        let rules: [String] = events.map { $0.alert.rule }
        #expect(rules == ["model_drift"])
    }
}

@Suite struct CatalogAlertRulesTests {
    @Test func catalogRulesWatchCatalogMetricsAndCoexistWithTheSeedRules() throws {
        let rules = AlertRule.catalog(quorum: 3)
        for rule in rules {
            #expect(MetricCatalog.descriptor(named: rule.metric) != nil, "\(rule.name) watches unknown \(rule.metric)")
        }
        var manager = try AlertManager(rules: AlertRule.builtIn() + rules)
        #expect(manager.rules.count == AlertRule.builtIn().count + rules.count)
        // A stale feed is per symbol; the queue rules use max_queue_size.
        let stale = manager.observe(metric: "quantum_agent_data_feed_age_seconds", value: 6,
                                    series: "symbol=\"BTCUSD\"", now: 0)
        #expect(stale.map(\.alert.key) == ["stale_feed{symbol=\"BTCUSD\"}"])
        #expect(manager.observe(metric: "quantum_agent_queue_depth_messages", value: 8_000,
                                series: "actor=\"risk\"", now: 0).isEmpty)
        #expect(manager.observe(metric: "quantum_agent_queue_depth_messages", value: 8_001,
                                series: "actor=\"risk\"", now: 0).map(\.alert.rule) == ["queue_depth_high"])
        #expect(manager.observe(metric: "quantum_agent_cluster_members_alive", value: 2, now: 0)
            .map(\.alert.severity) == [.critical])
        #expect(manager.observe(metric: "quantum_agent_cluster_halted", value: 1, now: 0).map(\.alert.rule) == ["cluster_halted"])
    }
}
