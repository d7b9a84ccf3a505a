import ArgumentParser
import Foundation
import Hardware
import Perf

/// `quantum-agent perf …`: benchmarks users run to see what this machine gives.
struct PerfCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "perf",
        abstract: "Measure latency and throughput on this machine.",
        subcommands: [HopCommand.self, PerfE2ECommand.self, PerfLearnCommand.self, PerfRegimeCommand.self, PerfConsensusCommand.self, PerfMonitorCommand.self]
    )
}

/// `quantum-agent perf hop`: one-way hop latency by transport, in one run.
struct HopCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hop",
        abstract: "One-way message hop latency: raw ring, Channel, actors on pinned and default executors."
    )

    @Option(help: "Seconds per case (0.05...600).")
    var seconds: Double = 1

    @Flag(help: "Print one JSON document instead of a table.")
    var json = false

    @Option(help: "Idle strategy of the pinned executors: spin, spinThenPark, park.")
    var idle: String = "spin"

    @Option(help: "Comma-separated cases to run (default: all): \(HopBenchmark.caseNames.joined(separator: ", ")).")
    var cases: String?

    func validate() throws {
        guard seconds.isFinite, seconds >= 0.05, seconds <= 600 else {
            throw ValidationError("--seconds \(seconds) is out of range: expected a number of seconds between 0.05 and 600")
        }
        do { _ = try IdleStrategy(parsing: idle) } catch { throw ValidationError("--idle: \(error)") }
        if let cases {
            for name in cases.split(separator: ",") where !HopBenchmark.caseNames.contains(String(name)) {
                throw ValidationError("--cases: unknown case '\(name)'; known cases: \(HopBenchmark.caseNames.joined(separator: ", "))")
            }
        }
    }

    func run() async throws {
        AgentLogging.bootstrap()
        let strategy = try IdleStrategy(parsing: idle)
        let topology = Topology.current()
        let benchmark = HopBenchmark(seconds: seconds, idleStrategy: strategy, topology: topology)
        let selected = cases.map { $0.split(separator: ",").map(String.init) } ?? HopBenchmark.caseNames
        let results = try await benchmark.run(cases: selected)
        if json {
            let report = HopReport(seconds: seconds, cpus: [benchmark.cpus.0, benchmark.cpus.1],
                                   idleStrategy: strategy.rawValue, results: results)
            try PerfOutput.printJSON(report)
        } else {
            print("perf hop: \(seconds) s per case, CPUs \(benchmark.cpus.0) and \(benchmark.cpus.1), idle \(strategy)")
            print(HopTable.render(results))
        }
    }
}

/// A readable table of hop results.
enum HopTable {
    static func render(_ results: [HopResult]) -> String {
        let header = ["case", "p50 ns", "p99 ns", "p99.9 ns", "mean ns", "max ns", "rtt p50", "msgs/s"]
        var rows = [header]
        for result in results {
            rows.append([
                result.name, "\(result.oneWayP50)", "\(result.oneWayP99)", "\(result.oneWayP999)",
                String(format: "%.1f", result.mean), "\(result.max)",
                result.roundTripP50.map { "\($0)" } ?? "-", String(format: "%.0f", result.messagesPerSecond),
            ])
        }
        return PerfOutput.table(rows)
    }
}
