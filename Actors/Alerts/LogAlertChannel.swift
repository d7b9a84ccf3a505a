// Log channel: one JSON line per alert event through swift-log.

import Logging

/// Writes each event as one JSON line (`AlertEvent.jsonLine()`) through a swift-log `Logger`;
/// level follows severity (critical → critical, warning → warning, info → info; resolved,
/// acknowledged and snoozed → notice). The log handler the binary bootstraps does the I/O.
public struct LogAlertChannel: AlertChannel {
    public let name = "log"
    private let logger: Logger

    public init(logger: Logger = Logger(label: "quantum-agent.alerts")) {
        self.logger = logger
    }

    public func send(_ event: AlertEvent) {
        logger.log(level: Self.level(for: event), "\(event.jsonLine())")
    }

    public var droppedCount: Int { 0 }

    static func level(for event: AlertEvent) -> Logger.Level {
        switch event.kind {
        case .raised, .reminder:
            switch event.alert.severity {
            case .critical: return .critical
            case .warning: return .warning
            case .info: return .info
            }
        case .acknowledged, .snoozed, .resolved:
            return .notice
        }
    }
}
