import ArgumentParser
import Foundation
import Perf

/// `quantum-agent perf monitor`: ns to record a tap on the monitoring core (target ≤ 200 ns
/// for a tick) and the sampled taps per second the monitor actor keeps up with (target 1M/s).
///
/// ```sh
/// swift build -c release
/// .build/release/quantum-agent perf monitor --json
/// ```
struct PerfMonitorCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "monitor",
        abstract: "ns per recorded tap on the monitoring core, and taps/s through the ModelMonitor actor."
    )

    @Flag(help: "Print one JSON document instead of a table.")
    var json = false

    @Option(help: "Taps per timed batch of the record benchmark (10000...100000000).")
    var batch: Int = 1_000_000

    @Option(help: "Batches per tap kind; the p50 is reported (1...1000).")
    var repeats: Int = 15

    @Option(help: "Seconds per throughput run (0.1...600).")
    var seconds: Double = 2

    @Option(help: "Taps per second offered in the paced run (1000...100000000).")
    var rate: Double = 1_000_000

    func validate() throws {
        try PerfOutput.require(batch, in: 10_000...100_000_000, flag: "batch")
        try PerfOutput.require(repeats, in: 1...1000, flag: "repeats")
        try PerfOutput.require(seconds, in: 0.1...600, flag: "seconds")
        try PerfOutput.require(rate, in: 1000...100_000_000, flag: "rate")
    }

    func run() async throws {
        AgentLogging.bootstrap()
        let report = try await MonitoringBenchmark(batch: batch, repeats: repeats, seconds: seconds, targetRate: rate).run()
        if json {
            try PerfOutput.printJSON(report)
            return
        }
        #if DEBUG
        print("perf monitor: debug build — run the release binary for meaningful figures")
        #endif
        print("perf monitor: record p50 over \(repeats) batches of \(batch) taps (target tick ≤ \(Int(report.targetRecordNanoseconds)) ns)")
        for name in ["tick", "tick+clock", "prediction", "feature", "latency", "decision"] {
            guard let ns = report.recordNanosecondsP50[name] else { continue }
            print("  \(name.padding(toLength: 11, withPad: " ", startingAt: 0)) \(String(format: "%8.1f", ns)) ns")
        }
        print(String(format: "monitor capacity (one core, full mailbox): %.0f taps/s", report.drainTapsPerSecond))
        print("throughput (target \(Int(report.targetTapsPerSecond)) taps/s kept up with, nothing dropped):")
        for run in [report.max, report.paced] {
            let cpus = "CPUs monitor \(run.executorCPU.map { "\($0)" } ?? "-"), producer \(run.producerCPU.map { "\($0)" } ?? "-")"
            print("  \(run.paced ? "paced" : "max  ")  "
                + String(format: "offered %11.0f/s  processed %11.0f/s  ", run.offeredPerSecond, run.processedPerSecond)
                + "dropped \(run.dropped)  high-water \(run.highWater)  (\(cpus))")
        }
        print("targets: record \(report.meetsRecordTarget ? "met" : "missed"), throughput \(report.meetsThroughputTarget ? "met" : "missed")")
    }
}
