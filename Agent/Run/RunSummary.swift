import Foundation
import Journal
import Latency
import Market

/// The summary `run` prints when it stops.
enum RunSummary {
    static func render(metrics: PipelineMetrics.Snapshot, status: LatencyEngine.Status, feed: FeedDriver.Stats,
                       journal: Journal.Counters?, problems: [String]) -> String {
        var lines: [String] = ["— summary —"]
        lines.append("ticks \(metrics.ticks), orders \(metrics.orders), fills \(metrics.fills), risk rejections \(metrics.rejectedByRisk), deadline misses \(metrics.deadlineMisses)")
        lines.append(String(format: "end-to-end (tick → order): p50 %.1f µs, p99 %.1f µs, p99.9 %.1f µs, max %.1f µs",
                            us(metrics.endToEnd.p50), us(metrics.endToEnd.p99), us(metrics.endToEnd.p999), us(metrics.endToEnd.max)))
        lines.append(String(format: "equity %.2f, realised PnL %.2f, unrealised PnL %.2f, drawdown %.2f%%",
                            status.equity, status.realisedPnL, status.unrealisedPnL, status.drawdown * 100))
        let positions = status.positions.keys.sorted().map { "\($0) \(status.positions[$0] ?? 0)" }.joined(separator: ", ")
        lines.append("positions: \(positions)")
        let rejected = feed.rejected.keys.sorted().map { "\($0) \(feed.rejected[$0] ?? 0)" }
        lines.append("feed: accepted \(feed.accepted), malformed \(feed.malformed)"
                     + (rejected.isEmpty ? "" : ", rejected " + rejected.joined(separator: ", "))
                     + (feed.sinkRefused > 0 ? ", refused by a full queue \(feed.sinkRefused)" : "")
                     + (feed.error.map { ", error: \($0)" } ?? ""))
        if let journal {
            lines.append("journal: written \(journal.written), dropped \(journal.dropped), failed \(journal.failed)")
        }
        for problem in problems { lines.append("warning: \(problem)") }
        return lines.joined(separator: "\n")
    }

    private static func us(_ nanos: UInt64) -> Double { Double(nanos) / 1000 }
}
