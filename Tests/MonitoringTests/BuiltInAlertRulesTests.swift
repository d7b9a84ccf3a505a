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
