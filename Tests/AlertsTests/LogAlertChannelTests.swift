import Foundation
import Logging
import NIOConcurrencyHelpers
import Testing
@testable import Alerts

/// Collects what a Logger writes.
struct CollectingLogHandler: LogHandler {
    let lines: NIOLockedValueBox<[(Logger.Level, String)]>
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .trace

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        lines.withLockedValue { $0.append((event.level, event.message.description)) }
    }
}

@Suite struct LogAlertChannelTests {
    @Test func writesOneJSONLinePerEventAtTheSeverityLevel() throws {
        let lines = NIOLockedValueBox<[(Logger.Level, String)]>([])
        let logger = Logger(label: "test") { _ in CollectingLogHandler(lines: lines) }
        let channel = LogAlertChannel(logger: logger)
        var manager = try AlertManager()
        for event in manager.observe(metric: "quantum_agent_cluster_heartbeats_missed", value: 4, series: "member=\"a\"", now: 5) {
            channel.send(event)
        }
        for event in manager.observe(metric: "quantum_agent_cluster_heartbeats_missed", value: 0, series: "member=\"a\"", now: 9) {
            channel.send(event)
        }
        let written = lines.withLockedValue { $0 }
        #expect(written.map(\.0) == [.critical, .notice])
        for (_, line) in written {
            #expect(!line.contains("\n"))
            let decoded = try JSONDecoder().decode(AlertEvent.self, from: Data(line.utf8))
            #expect(decoded.alert.key == "agent_communication_failure{member=\"a\"}")
        }
        let first = try JSONDecoder().decode(AlertEvent.self, from: Data(written[0].1.utf8))
        #expect(first.kind == .raised && first.at == 5 && first.alert.value == 4)
        #expect(channel.droppedCount == 0)
    }
}
