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
        guard (1000...100_000_000).contains(rows) else {
            throw ValidationError("--rows \(rows) is out of range: expected 1000...100000000")
        }
        guard (1...100).contains(repeats) else {
            throw ValidationError("--repeats \(repeats) is out of range: expected 1...100")
        }
    }

    func run() throws {
        let report = try LearningBenchmark(rows: rows, repeats: repeats).run()
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            print(String(decoding: try encoder.encode(report), as: UTF8.self))
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
        let widths = lines[0].indices.map { column in lines.map { $0[column].count }.max() ?? 0 }
        for line in lines {
            print(line.enumerated().map { index, cell in
                index == 0 ? cell.padding(toLength: widths[index], withPad: " ", startingAt: 0)
                    : String(repeating: " ", count: widths[index] - cell.count) + cell
            }.joined(separator: "  "))
        }
    }
}
