import Foundation
import Testing
@testable import Monitoring

@Suite struct MetricCatalogTests {
    @Test func catalogHas47UniquePrometheusNames() {
        let names = MetricCatalog.all.map(\.name)
        #expect(names.count == 47)
        #expect(Set(names).count == 47)
        for name in names {
            #expect(name.hasPrefix("quantum_agent_"))
            #expect(name.allSatisfy { $0.isLowercase || $0.isNumber || $0 == "_" }, "\(name)")
        }
        for group in MetricGroup.allCases { #expect(MetricCatalog.all.contains { $0.group == group }) }
    }

    @Test func metricsDocumentDefinesExactlyTheCatalog() throws {
        let doc = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../../Actors/Monitoring/METRICS.md").standardizedFileURL
        let text = try String(contentsOf: doc, encoding: .utf8)
        // Table rows start with "| <number> | `name` |".
        var documented: [String] = []
        for line in text.split(separator: "\n") where line.hasPrefix("| ") {
            let cells = line.split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) }
            guard cells.count > 2, Int(cells[0]) != nil else { continue }
            documented.append(cells[1].trimmingCharacters(in: CharacterSet(charactersIn: "`")))
        }
        #expect(documented == MetricCatalog.all.map(\.name))
    }

    @Test func configurationDefaultsAreTheSeedValuesAndValidate() throws {
        let config = MonitoringConfiguration()
        #expect(config.dataQualityThreshold == 0.95 && config.driftDetectionSensitivity == .high)
        #expect(config.performanceDegradationThreshold == 0.1 && config.autoRollbackEnabled)
        #expect(config.alertCooldownMinutes == 15 && config.metricsIntervalMilliseconds == 1000)
        try config.validate()
        var bad = config
        bad.dataQualityThreshold = 1.2
        #expect(throws: MonitoringError.parameterOutOfRange(name: "data_quality_threshold", value: 1.2, allowed: "[0, 1]")) {
            try bad.validate()
        }
        bad = config
        bad.alertChannels = ["pager"]
        #expect(throws: MonitoringError.self) { try bad.validate() }
    }
}
