import ArgumentParser
import Foundation
import Perf

/// `quantum-agent perf learn`: ns per update of each drift detector and ns per
/// prequential row of each online model (p50 over repeated batches).
///
/// ```sh
/// swift build -c release
/// .build/release/quantum-agent perf learn --json > /tmp/learn.json
/// python3 Perf/Scripts/river_learning_baseline.py --swift-json /tmp/learn.json   # ratios vs River
/// ```
struct PerfLearnCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "learn",
        abstract: "ns per update of the drift detectors and ns per row of the online models (p50 over batches)."
    )

    @Flag(help: "Print one JSON document instead of a table.")
    var json = false

    @Option(help: "Detector stream length (1000...100000000); the models use min(rows, 20000) SEA rows.")
    var rows: Int = 200_000

    @Option(help: "Full passes over the data (1...100).")
    var repeats: Int = 3

    func validate() throws {
        try PerfOutput.require(rows, in: 1000...100_000_000, flag: "rows")
        try PerfOutput.require(repeats, in: 1...100, flag: "repeats")
    }

    func run() throws {
        let report = try LearningBenchmark(rows: rows, repeats: repeats).run()
        if json {
            try PerfOutput.printJSON(report)
            return
        }
        #if DEBUG
        print("perf learn: debug build — run the release binary for meaningful figures")
        #endif
        print("perf learn: \(report.rows) detector updates, \(report.modelRows) SEA rows, \(report.repeats) passes; p50 over batches of \(report.batchUpdates) updates / \(report.batchRows) rows")
        var lines = [["case", "ns p50", "ns mean", "managed ns p50", "accuracy", "detections"]]
        for name in LearningBenchmark.detectorNames {
            guard let c = report.detectors[name] else { continue }
            lines.append([name, String(format: "%.1f", c.nsPerUpdateP50), String(format: "%.1f", c.nsPerUpdateMean),
                          "-", "-", "\(c.detections)"])
        }
        for name in LearningBenchmark.modelNames {
            guard let c = report.models[name] else { continue }
            lines.append([name, String(format: "%.1f", c.nsPerRowP50), String(format: "%.1f", c.nsPerRowMean),
                          String(format: "%.1f", c.managedNsPerRowP50), String(format: "%.5f", c.accuracy), "-"])
        }
        print(PerfOutput.table(lines))
    }
}
