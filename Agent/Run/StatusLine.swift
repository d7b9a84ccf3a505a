import Foundation
import Latency
import Market

/// The once-a-second status line of `run`: ticks/s, end-to-end p50/p99, regime
/// per symbol, position, PnL, open alerts. Redrawn in place on a terminal, one
/// plain line per second when piped.
struct StatusLine {
    let interactive = isatty(STDOUT_FILENO) != 0
    private var lastTicks: UInt64 = 0
    private var lastTime = Date()

    static let regimeNames = ["calm", "normal", "crisis"]

    mutating func render(metrics: PipelineMetrics.Snapshot, status: LatencyEngine.Status, feed: FeedDriver.Stats,
                         openAlerts: Int, clusterGate: (halted: Bool, selfHalted: Bool)? = nil,
                         operatorMode: OperatorGate.Mode = .active) -> String {
        let now = Date()
        let elapsed = max(now.timeIntervalSince(lastTime), 1e-3)
        let rate = Double(metrics.ticks &- lastTicks) / elapsed
        lastTicks = metrics.ticks
        lastTime = now
        let regimes = status.regimes.keys.sorted().map { symbol -> String in
            let state = status.regimes[symbol] ?? -1
            let name = state >= 0 && state < Self.regimeNames.count ? Self.regimeNames[state] : "uncertain"
            return "\(symbol)=\(name)"
        }.joined(separator: " ")
        let position = status.positions.keys.sorted().map { "\($0):\(format(status.positions[$0] ?? 0, 0))" }.joined(separator: " ")
        let pnl = status.realisedPnL + status.unrealisedPnL
        var flags: [String] = []
        if status.halted || operatorMode == .halted { flags.append("HALTED") }
        if status.paused || operatorMode == .paused { flags.append("PAUSED") }
        if status.killSwitch { flags.append("KILL-SWITCH") }
        if clusterGate?.halted == true { flags.append("CLUSTER-HALT") }
        if clusterGate?.selfHalted == true { flags.append("SELF-HALT") }
        let rejected = feed.rejectedTotal + feed.malformed
        return "ticks/s \(format(rate, 0))  e2e p50 \(micros(metrics.endToEnd.p50)) p99 \(micros(metrics.endToEnd.p99))"
            + "  orders \(metrics.orders)  regime \(regimes)  pos \(position)  pnl \(format(pnl, 2))"
            + "  alerts \(openAlerts)" + (rejected > 0 ? "  bad-records \(rejected)" : "")
            + (flags.isEmpty ? "" : "  " + flags.joined(separator: " "))
    }

    /// Writes a line: in place on a terminal, as a new line otherwise.
    func emit(_ line: String) {
        if interactive {
            try? FileHandle.standardOutput.write(contentsOf: Data("\r\u{1B}[K\(line)".utf8))
        } else {
            // Unbuffered: a pipe sees each line when it is made.
            try? FileHandle.standardOutput.write(contentsOf: Data("\(line)\n".utf8))
        }
    }

    func finish() { if interactive { print("") } }

    private func micros(_ nanos: UInt64) -> String { String(format: "%.1fµs", Double(nanos) / 1000) }
    private func format(_ value: Double, _ digits: Int) -> String { String(format: "%.\(digits)f", value) }
}
