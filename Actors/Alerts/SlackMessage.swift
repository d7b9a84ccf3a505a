// Slack-compatible incoming-webhook body ("text" + legacy "attachments").

import Foundation

/// JSON body posted by the webhook channel; accepted by Slack incoming webhooks and by
/// Mattermost / Rocket.Chat, which share the format.
public struct SlackMessage: Sendable, Codable, Equatable {
    public struct Field: Sendable, Codable, Equatable {
        public var title: String
        public var value: String
        public var short: Bool
    }

    public struct Attachment: Sendable, Codable, Equatable {
        public var color: String
        public var title: String
        public var text: String
        public var fields: [Field]
        public var footer: String
        /// Event time, Unix seconds (assuming the shell passes wall-clock ns).
        public var ts: Int
    }

    public var text: String
    public var attachments: [Attachment]

    /// Builds the message of one event; `droppedBefore` > 0 adds a note that earlier events
    /// were dropped by the full buffer.
    public init(event: AlertEvent, droppedBefore: Int = 0) {
        let alert = event.alert
        let state: String
        switch event.kind {
        case .raised: state = "FIRING"
        case .reminder: state = "STILL FIRING"
        case .acknowledged: state = "ACKNOWLEDGED by \(alert.acknowledgedBy ?? "?")"
        case .snoozed: state = "SNOOZED"
        case .resolved: state = "RESOLVED"
        }
        var text = "[\(alert.severity.rawValue.uppercased())] \(state): \(alert.summary)"
        if droppedBefore > 0 { text += " (\(droppedBefore) earlier alert event(s) were dropped: buffer full)" }
        let color: String
        if event.kind == .resolved {
            color = "good"
        } else {
            switch alert.severity {
            case .critical: color = "danger"
            case .warning: color = "warning"
            case .info: color = "#439FE0"
            }
        }
        self.text = text
        attachments = [Attachment(
            color: color, title: alert.key, text: alert.summary,
            fields: [
                Field(title: "Severity", value: alert.severity.rawValue, short: true),
                Field(title: "Event", value: event.kind.rawValue, short: true),
                Field(title: "Value", value: "\(alert.value)", short: true),
                Field(title: "Threshold", value: "\(alert.threshold)", short: true),
                Field(title: "Alert id", value: "\(alert.id)", short: true),
                Field(title: "Occurrences", value: "\(alert.occurrences)", short: true),
            ],
            footer: "quantum-agent", ts: Int(event.at / 1_000_000_000))]
    }

    /// UTF-8 JSON bytes of the message.
    public func jsonData() -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return (try? encoder.encode(self)) ?? Data("{\"text\":\"alert\"}".utf8)
    }
}
