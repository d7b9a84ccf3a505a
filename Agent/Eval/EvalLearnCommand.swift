import ArgumentParser
import Dispatch
import Foundation
import Learning

/// `quantum-agent eval learn`: prequential evaluation (predict with the champion, then
/// learn) of a managed online model over a CSV file, in row order.
///
/// ```sh
/// quantum-agent eval learn --model stream-rf --input sea.csv --label y --seed 42
/// ```
/// prints `{"accuracy":…,"drifts":[…],"items_per_s":…,"model":"stream-rf","n":…,
/// "params":{…},"version_history":[…],"versions":…}` (`versions`: how many champion
/// versions there were, the first included; `version_history`: id, parent, reason, time
/// (row index) and metrics of each). Every column other than the label and the ignored
/// ones is a numeric feature; labels are 0/1 (or true/false).
struct EvalLearnCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "learn",
        abstract: "Prequential accuracy of an online model (online-gd, incremental-svm, stream-rf, ensemble) over a CSV file, as JSON."
    )

    @Option(help: "Model: \(ModelKind.allCases.map(\.rawValue).joined(separator: ", ")).")
    var model: String?

    @Option(help: "CSV file with a header line.")
    var input: String?

    @Option(help: "Label column (values 0/1 or true/false).")
    var label: String?

    @Option(help: "Comma-separated columns that are neither label nor feature.")
    var ignore: String?

    @Option(help: "Random seed of the stochastic models (stream-rf; overrides --param seed=).")
    var seed: String?

    @Option(name: .customLong("param"), help: "NAME=VALUE model or manager parameter; repeatable.")
    var params: [String] = []

    func run() throws {
        guard let model else {
            EvalExit.fail("--model is required: one of \(ModelKind.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        guard let input else { EvalExit.fail("--input FILE is required") }
        guard let label else { EvalExit.fail("--label COLUMN is required") }
        var seedValue: Int?
        if let seed {
            guard let parsed = Int(seed) else { EvalExit.fail("--seed: '\(seed)' is not an integer") }
            seedValue = parsed
        }
        let evaluation: LearnEvaluation
        do {
            evaluation = try LearnEvaluation(model: model, parameters: params, seed: seedValue)
        } catch {
            switch error {
            case .unknownComponent: EvalExit.fail("--model: \(error)")
            default: EvalExit.fail("--param (\(model)): \(error)")
            }
        }
        let data: LearnData
        do {
            data = try LearnData(path: input, label: label, ignore: ignore)
        } catch {
            EvalExit.fail(error.description)
        }
        let start = DispatchTime.now().uptimeNanoseconds
        let result: LearnEvaluationResult
        do {
            result = try evaluation.run(features: data.features, labels: data.labels)
        } catch {
            EvalExit.fail("\(input): \(error)")
        }
        let elapsed = max(DispatchTime.now().uptimeNanoseconds - start, 1)
        EvalExit.printJSON(LearnOutput(result, itemsPerSecond: Double(result.n) * 1e9 / Double(elapsed)))
    }
}

/// Features and labels read from an `eval learn` CSV, checked cell by cell in row order.
struct LearnData {
    var features: [[Double]] = []
    var labels: [Double] = []
    var featureNames: [String] = []

    /// - Throws: `EvalError` naming the file, and the line and column of a bad cell, or
    ///   the unknown / missing column.
    init(path: String, label: String, ignore: String?) throws(EvalError) {
        let table = try CSVTable(path: path)
        let labelIndex = try table.columnIndex(label)
        var skipped: Set<Int> = [labelIndex]
        for name in (ignore ?? "").split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces) }) where !name.isEmpty {
            guard let index = table.header.firstIndex(of: name) else {
                throw .input("\(path): --ignore: unknown column '\(name)'; columns are: \(table.header.joined(separator: ", "))")
            }
            skipped.insert(index)
        }
        let featureIndices = table.header.indices.filter { !skipped.contains($0) }
        guard !featureIndices.isEmpty else {
            throw .input("\(path): no feature column left besides the label '\(label)' and the ignored columns")
        }
        guard !table.rows.isEmpty else { throw .input("\(path): no data rows after the header line") }
        featureNames = featureIndices.map { table.header[$0] }
        features.reserveCapacity(table.rows.count)
        labels.reserveCapacity(table.rows.count)
        for (index, row) in table.rows.enumerated() {
            let line = index + 2
            let labelCell = row[labelIndex].trimmingCharacters(in: .whitespaces)
            switch labelCell.lowercased() {
            case "1", "1.0", "true": labels.append(1)
            case "0", "0.0", "false": labels.append(0)
            default:
                let what = labelCell.isEmpty ? "an empty cell" : "'\(labelCell)'"
                throw .input("\(path): line \(line), column '\(label)': label \(what) is not 0 or 1")
            }
            var x: [Double] = []
            x.reserveCapacity(featureIndices.count)
            for column in featureIndices {
                let cell = row[column].trimmingCharacters(in: .whitespaces)
                guard let value = Double(cell), value.isFinite else {
                    let what = cell.isEmpty ? "an empty cell" : "'\(cell)'"
                    throw .input("\(path): line \(line), column '\(table.header[column])': \(what) is not a finite number")
                }
                x.append(value)
            }
            features.append(x)
        }
    }
}

/// The JSON document `eval learn` prints.
struct LearnOutput: Encodable {
    let model: String
    let params: [String: ParameterValue]
    let n: Int
    let accuracy: Double
    let itemsPerSecond: Double
    let drifts: [Int]
    let versions: Int
    let versionHistory: [ModelVersion]

    init(_ result: LearnEvaluationResult, itemsPerSecond: Double) {
        model = result.model
        params = result.params
        n = result.n
        accuracy = result.accuracy
        self.itemsPerSecond = itemsPerSecond.rounded()
        drifts = result.drifts
        versions = result.versions.count
        versionHistory = result.versions
    }

    enum CodingKeys: String, CodingKey {
        case model, params, n, accuracy, drifts, versions
        case itemsPerSecond = "items_per_s"
        case versionHistory = "version_history"
    }
}
