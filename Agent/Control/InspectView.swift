// Text rendering of the inspector: a table of actors, executors, end-to-end latency and open
// alerts (pure: snapshot in, lines out), and the details of one actor.

import Alerts
import Foundation
import Runtime

/// Renders `InspectSnapshot`s as text.
enum InspectView {
    /// The overview, one string per line.
    static func overview(_ snapshot: InspectSnapshot, watching: Bool) -> [String] {
        let time = ISO8601DateFormatter().string(from: Date(timeIntervalSince1970: snapshot.fetchedAt))
        var lines = ["quantum-agent inspect  \(snapshot.url)  \(time)" + (watching ? "  (q quits)" : ""), ""]
        lines.append(row(["ACTOR", "CORE", "EXECUTOR", "IDLE", "MAILBOX", "HWM", "MSG/S", "P50", "P99", "RESTARTS", "STATE"]))
        for actor in snapshot.actors {
            lines.append(row([
                actor.name, actor.core.map(String.init) ?? "-", actor.executor, actor.idleStrategy.rawValue,
                "\(actor.mailbox.depth)/\(actor.mailbox.capacity)", String(actor.mailbox.highWater),
                String(format: "%.1f", actor.ratePerSecond), nanos(actor.handlerLatency.p50), nanos(actor.handlerLatency.p99),
                String(actor.restarts), actor.state.rawValue,
            ]))
        }
        lines.append("")
        lines.append("EXECUTORS")
        for executor in snapshot.executors {
            let busy = executor.busyFraction.map { String(format: "busy %.1f %%", $0 * 100) } ?? "busy n/a"
            lines.append("  \(executor.name)  core \(executor.core.map(String.init) ?? "-")  \(executor.idleStrategy.rawValue)  "
                         + "\(busy)  actors: \(executor.actors.joined(separator: ", "))")
        }
        if let e2e = snapshot.endToEndLatency {
            lines.append("")
            lines.append("END-TO-END  p50 \(nanos(e2e.p50))  p99 \(nanos(e2e.p99))  p99.9 \(nanos(e2e.p999))  "
                         + "max \(nanos(e2e.max))  n \(e2e.count)")
        }
        lines.append("")
        lines.append("ALERTS (\(snapshot.alerts.count) open)")
        for alert in snapshot.alerts {
            lines.append("  #\(alert.id) \(alert.severity.rawValue) \(alert.state.rawValue) \(alert.rule): \(alert.summary)"
                         + (alert.acknowledgedBy.map { " (ack \($0))" } ?? ""))
        }
        return lines
    }

    /// One actor in detail; nil when there is no actor `name`.
    static func actor(_ name: String, in snapshot: InspectSnapshot) -> [String]? {
        guard let actor = snapshot.actors.first(where: { $0.name == name }) else { return nil }
        let m = actor.mailbox, l = actor.handlerLatency
        return [
            "actor \(actor.name)" + (actor.parent.map { " (child of \($0))" } ?? ""),
            "  state          \(actor.state.rawValue)",
            "  executor       \(actor.executor)  core \(actor.core.map(String.init) ?? "-")  \(actor.idleStrategy.rawValue)  "
                + "\(actor.latencyClass.rawValue)",
            "  mailbox        \(m.name): depth \(m.depth)/\(m.capacity)  high-water \(m.highWater)",
            "                 enqueued \(m.enqueued)  delivered \(m.delivered)  dropped oldest \(m.droppedOldest)  "
                + "dropped newest \(m.droppedNewest)  rejected \(m.rejected)  conflated \(m.conflated)",
            "  processed      \(actor.processed)  (\(String(format: "%.1f", actor.ratePerSecond)) msg/s)",
            "  handler        n \(l.count)  p50 \(nanos(l.p50))  p90 \(nanos(l.p90))  p99 \(nanos(l.p99))  "
                + "p99.9 \(nanos(l.p999))  max \(nanos(l.max))  mean \(nanos(UInt64(max(0, l.mean))))",
            "  restarts       \(actor.restarts)",
            "  last error     \(actor.lastError ?? "-")",
        ]
    }

    /// `850ns`, `12.3µs`, `4.50ms`, `1.20s`.
    static func nanos(_ value: UInt64) -> String {
        let v = Double(value)
        if v < 1_000 { return "\(value)ns" }
        if v < 1_000_000 { return String(format: "%.1fµs", v / 1_000) }
        if v < 1_000_000_000 { return String(format: "%.2fms", v / 1_000_000) }
        return String(format: "%.2fs", v / 1_000_000_000)
    }

    private static let widths = [18, 5, 14, 13, 12, 7, 10, 9, 9, 9, 8]

    private static func row(_ cells: [String]) -> String {
        zip(cells, widths).map { cell, width in
            cell.count >= width ? String(cell.prefix(width - 1)) + " " : cell.padding(toLength: width, withPad: " ", startingAt: 0)
        }.joined().trimmingCharacters(in: .whitespaces)
    }
}
