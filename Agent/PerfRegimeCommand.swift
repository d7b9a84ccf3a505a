import ArgumentParser
import Foundation
import Perf

/// `quantum-agent perf regime`: ns per update of every regime detector, the HMM forward step
/// (K = 3) and the per-tick p50/p99 of the ensemble of eight (see `RegimeBenchmark`).
struct PerfRegimeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "regime",
        abstract: "Regime detection hot path: ns per detector update, HMM forward step, ensemble of eight p50/p99 per tick."
    )

    @Option(help: "Passes over the generated series (1...10000).")
    var passes: Int = 50

    @Option(help: "Length of the generated series (2000...1000000).")
    var length: Int = 5000

    @Flag(help: "Print one JSON document instead of a table.")
    var json = false

    func validate() throws {
        try PerfOutput.require(passes, in: 1...10_000, flag: "passes")
        try PerfOutput.require(length, in: 2000...1_000_000, flag: "length")
    }

    func run() throws {
        AgentLogging.bootstrap()
        let report: RegimeBenchmarkReport
        do { report = try RegimeBenchmark(passes: passes, length: length).run() } catch {
            throw ValidationError("perf regime: \(error)")
        }
        if json {
            try PerfOutput.printJSON(report)
            return
        }
        print("perf regime: \(report.passes) passes over \(report.length) generated returns, K = 3")
        for d in report.detectors {
            print("  \(d.name.padding(toLength: 10, withPad: " ", startingAt: 0)) \(String(format: "%8.1f", d.nsPerUpdate)) ns/update")
        }
        let f = report.hmmForward
        print("  hmm forward step K=\(f.states): \(f.nsViaProtocol) ns via RegimeModel, \(f.nsConcrete) ns on HMMRegimeModel")
        let e = report.ensemble
        print("  ensemble of \(e.detectors) (\(e.voters) voters): p50 \(e.p50) ns, p99 \(e.p99) ns, p99.9 \(e.p999) ns, mean \(e.mean) ns per tick (\(e.samples) ticks, clock read included)")
    }
}
