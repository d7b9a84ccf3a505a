import ArgumentParser
import Foundation
import Monitoring

/// `quantum-agent eval monitor`: the model-performance and drift metrics of a labelled
/// prediction file, printed as one JSON document keyed by METRICS.md names.
///
/// Options are parsed as text and validated here so that every bad input, missing options
/// included, ends with one `error:` line on stderr and exit status 2.
struct EvalMonitorCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "monitor",
        abstract: "Performance and drift metrics of a labelled prediction CSV (METRICS.md names, JSON on stdout).",
        discussion: """
        Performance (accuracy … ROC AUC) uses every row; drift (PSI, KS, Wasserstein, label shift, \
        drift score) compares the first --reference-rows rows (default: half) with the rest, for the \
        prediction column and each --feature. Feature cells may be NaN/inf or empty: they are left \
        out of the drift statistics and counted under nonFiniteValues.
        """
    )

    @Option(help: "CSV file with a header line.")
    var input: String?

    @Option(help: "Column of 0/1 labels.")
    var label: String?

    @Option(help: "Column of predicted probabilities P(label = 1), in [0, 1].")
    var prediction: String?

    @Option(name: .customLong("feature"), help: "A feature column to check for drift (repeatable).")
    var features: [String] = []

    @Option(name: .customLong("reference-rows"), help: "Rows (from the top) forming the drift reference; default half.")
    var referenceRows: String?

    @Option(help: "drift_detection_sensitivity deciding the `drifted` flags: low, medium or high.")
    var sensitivity: String = "high"

    func run() async throws {
        guard let input else { EvalExit.fail("missing --input FILE (a CSV file with a header line)") }
        guard let label else { EvalExit.fail("missing --label COLUMN (the column of 0/1 labels)") }
        guard let prediction else { EvalExit.fail("missing --prediction COLUMN (the column of probabilities)") }
        var reference: Int?
        if let text = referenceRows {
            guard let value = Int(text.trimmingCharacters(in: .whitespaces)) else {
                EvalExit.fail("--reference-rows '\(text)' is not an integer")
            }
            reference = value
        }
        let level: DriftSensitivity
        do { level = try DriftSensitivity(configValue: sensitivity) } catch { EvalExit.fail("--sensitivity: \(error)") }
        var seen = Set<String>()
        for feature in features where !seen.insert(feature).inserted {
            EvalExit.fail("--feature '\(feature)' is given twice")
        }
        do {
            let table = try CSVTable(path: input)
            let labels = try table.numericColumn(label)
            let predictions = try table.numericColumn(prediction)
            let columns = try features.map { name throws(EvalError) in
                FeatureColumn(name: name, values: try Self.featureColumn(name, of: table))
            }
            let report = try Self.evaluate(labels: labels, predictions: predictions, features: columns,
                                           referenceRows: reference, label: label, prediction: prediction,
                                           sensitivity: level, path: input)
            EvalExit.printJSON(report)
        } catch {
            EvalExit.fail("\(error)")
        }
    }

    private static func evaluate(labels: [Double], predictions: [Double], features: [FeatureColumn],
                                 referenceRows: Int?, label: String, prediction: String,
                                 sensitivity: DriftSensitivity, path: String) throws(EvalError) -> MonitorReport {
        do {
            return try MonitorEvaluation.evaluate(labels: labels, predictions: predictions, features: features,
                                                  referenceRows: referenceRows, labelColumn: label,
                                                  predictionColumn: prediction, sensitivity: sensitivity)
        } catch {
            throw .input("\(path): \(error.description)")
        }
    }

    /// A feature column: numbers, NaN/±inf, or empty cells (read as NaN, i.e. missing).
    /// - Throws: `EvalError` naming file, line and column of a cell that is not a number.
    static func featureColumn(_ name: String, of table: CSVTable) throws(EvalError) -> [Double] {
        let column = try table.columnIndex(name)
        var values: [Double] = []
        values.reserveCapacity(table.rows.count)
        for (index, row) in table.rows.enumerated() {
            let cell = row[column].trimmingCharacters(in: .whitespaces)
            if cell.isEmpty {
                values.append(.nan)
            } else if let value = Double(cell) {
                values.append(value)
            } else {
                throw .input("\(table.path): line \(index + 2), column '\(name)': '\(cell)' is not a number")
            }
        }
        return values
    }
}
