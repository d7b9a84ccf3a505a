import ArgumentParser
import Dispatch
import Foundation
import Learning

/// `quantum-agent eval drift`: feeds one CSV column, row by row, to a concept-drift
/// detector (River 0.26 semantics and defaults) and prints the rows where it fired.
///
/// ```sh
/// quantum-agent eval drift --detector adwin --param delta=0.01 --input errors.csv --column err
/// ```
/// prints `{"detector":"adwin","drifts":[…],"n":…,"params":{…},"updates_per_s":…,"warnings":[]}`.
/// Bad input (missing file, unknown column, non-numeric/NaN cell, non-0/1 value for DDM/EDDM,
/// unknown parameter or value out of range) prints one line on stderr and exits with status 2.
struct EvalDriftCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "drift",
        abstract: "Run a drift detector (adwin, ddm, eddm, page-hinkley, kswin) over a CSV column; print the detections as JSON."
    )

    @Option(help: "Detector: \(DriftDetectorKind.allCases.map(\.rawValue).joined(separator: ", ")).")
    var detector: String?

    @Option(name: .customLong("param"),
            help: "NAME=VALUE with River's parameter names (delta, clock, max_buckets, min_window_length, grace_period, warm_start, warning_threshold, drift_threshold, alpha, beta, min_instances, threshold, mode, window_size, stat_size, seed); repeatable.")
    var params: [String] = []

    @Option(help: "CSV file with a header line.")
    var input: String?

    @Option(help: "Column to feed (default: the first). DDM and EDDM read 0/1 error indicators.")
    var column: String?

    func run() throws {
        guard let detector else {
            EvalExit.fail("--detector is required: one of \(DriftDetectorKind.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        guard let input else { EvalExit.fail("--input FILE is required") }
        let evaluation: DriftEvaluation
        do {
            evaluation = try DriftEvaluation(detector: detector, parameters: params)
        } catch {
            EvalExit.fail(Self.describe(error, detector: detector))
        }
        let values: [Double]
        let columnName: String
        do {
            let table = try CSVTable(path: input)
            guard let name = column ?? table.header.first, !name.isEmpty else {
                EvalExit.fail("\(input): the header line names no column")
            }
            columnName = name
            values = try table.numericColumn(name)
        } catch {
            EvalExit.fail(error.description)
        }
        do {
            try evaluation.validate(values, column: columnName)
        } catch {
            EvalExit.fail(Self.describe(error, file: input, column: columnName))
        }
        let start = DispatchTime.now().uptimeNanoseconds
        let result: DriftEvaluationResult
        do {
            result = try evaluation.run(values, column: columnName)
        } catch {
            EvalExit.fail(Self.describe(error, file: input, column: columnName))
        }
        let elapsed = max(DispatchTime.now().uptimeNanoseconds - start, 1)
        EvalExit.printJSON(DriftOutput(result, updatesPerSecond: Double(values.count) * 1e9 / Double(elapsed)))
    }

    /// A parameter error, prefixed with the option it came from.
    static func describe(_ error: ParameterError, detector: String) -> String {
        switch error {
        case .unknownComponent: return "--detector: \(error)"
        default: return "--param (\(detector)): \(error)"
        }
    }

    /// A value error, with the file, its 1-based line (header = line 1) and the column.
    static func describe(_ error: ParameterError, file: String, column: String) -> String {
        switch error {
        case let .nonBinaryValue(row, value, detector):
            return "\(file): line \(row + 2), column '\(column)': value \(value) is not 0 or 1 (\(detector) reads binary error indicators)"
        case let .nonFiniteValue(row, _):
            return "\(file): line \(row + 2), column '\(column)': value is NaN or infinite"
        default:
            return "\(file): \(error)"
        }
    }
}

/// The JSON document `eval drift` prints.
struct DriftOutput: Encodable {
    let detector: String
    let params: [String: ParameterValue]
    let n: Int
    let drifts: [Int]
    let warnings: [Int]
    let updatesPerSecond: Double

    init(_ result: DriftEvaluationResult, updatesPerSecond: Double) {
        detector = result.detector
        params = result.params
        n = result.n
        drifts = result.drifts
        warnings = result.warnings
        self.updatesPerSecond = updatesPerSecond.rounded()
    }

    enum CodingKeys: String, CodingKey {
        case detector, params, n, drifts, warnings
        case updatesPerSecond = "updates_per_s"
    }
}
