import ArgumentParser
import Foundation
import Regime

/// `quantum-agent eval regime`: runs the regime detectors and their ensemble over a CSV column
/// of returns and prints one JSON document (see the README's regime section).
///
/// Every bad input (missing file, bad cell, unknown option value, too few rows) prints one line on
/// stderr naming the file, line and column where there is one, and exits with status 2.
struct EvalRegimeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "regime",
        abstract: "Regime detectors and their ensemble on a CSV of returns (JSON on stdout; bad input: exit 2).",
        discussion: """
        The CSV has a header line. The returns are in --column (default: the first numeric column \
        other than true_state). With a true_state column, accuracy per detector and for the \
        ensemble is reported after the best one-to-one matching of labels.
        """
    )

    @Option(help: "CSV file with a header line.")
    var input: String

    @Option(help: "Column of returns (default: the first numeric column other than true_state).")
    var column: String?

    @Option(help: "Comma-separated detectors (\(RegimeDetectorKind.allCases.map(\.rawValue).joined(separator: ", "))), all, or ensemble (the seed's hmm,gmm,cusum,threshold).")
    var detectors: String = "ensemble"

    @Option(help: "Number of states K (2...8).")
    var states: String = "3"

    @Option(help: "online (strictly causal: warm-up fit, then filtering with periodic refits) or offline (fit on the whole series, then decode; Viterbi for the HMM).")
    var fit: String = "online"

    @Option(help: "Write one CSV row per input row: index, each detector's state, the ensemble state, confidence.")
    var output: String?

    func run() throws {
        let options: RegimeEvaluation.Options
        do { options = try Self.options(detectors: detectors, states: states, fit: fit) } catch {
            EvalExit.fail("\(error)")
        }
        let (values, truth) = load()
        let started = DispatchTime.now().uptimeNanoseconds
        let evaluation: (result: RegimeEvaluation.Result, rows: RegimeEvaluation.Rows)
        do { evaluation = try RegimeEvaluation.run(values: values, trueStates: truth, options: options) } catch {
            EvalExit.fail("\(input): \(error)")
        }
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9
        if let output {
            do { try evaluation.rows.csv.write(toFile: output, atomically: true, encoding: .utf8) } catch {
                EvalExit.fail("\(output): cannot write the --output file (\(error.localizedDescription))")
            }
        }
        EvalExit.printJSON(EvalRegimeReport(result: evaluation.result,
                                            updatesPerSecond: seconds > 0 ? Double(values.count) / seconds : 0))
    }

    /// Parses the option values. - Throws: `RegimeError` naming the option and the allowed values.
    static func options(detectors: String, states: String, fit: String) throws(RegimeError) -> RegimeEvaluation.Options {
        var o = RegimeEvaluation.Options()
        o.selection = try RegimeEvaluation.Selection.parse(detectors)
        o.states = try RegimeEvaluation.Options.parseStates(states)
        o.fit = try RegimeEvaluation.Options.parseFit(fit)
        return o
    }

    /// Reads the returns and, when present, the `true_state` column; exits 2 on bad input.
    private func load() -> ([Double], [Int]?) {
        do {
            let table = try CSVTable(path: input)
            guard !table.rows.isEmpty else { throw EvalError.input("\(input): no data rows after the header") }
            let name = try column ?? Self.defaultColumn(table)
            if name == Self.truthColumn { throw EvalError.input("\(input): --column \(name) is the label column; choose the returns column") }
            let values = try table.numericColumn(name)
            let truth = table.header.contains(Self.truthColumn) ? try Self.labels(table) : nil
            return (values, truth)
        } catch {
            EvalExit.fail("\(error)")
        }
    }

    static let truthColumn = "true_state"

    /// The first column (other than `true_state`) whose first cell is a number; a later bad cell
    /// in it is then reported with its line by `numericColumn`.
    static func defaultColumn(_ table: CSVTable) throws(EvalError) -> String {
        for (i, name) in table.header.enumerated() where name != truthColumn {
            if let first = table.rows.first, Double(first[i].trimmingCharacters(in: .whitespaces)) != nil { return name }
        }
        throw .input("\(table.path): line 2: no numeric column found; columns are: \(table.header.joined(separator: ", ")) (use --column)")
    }

    /// The `true_state` column as non-negative integer labels.
    /// - Throws: `EvalError` naming the file, line and column of the first bad label.
    static func labels(_ table: CSVTable) throws(EvalError) -> [Int] {
        let c = try table.columnIndex(truthColumn)
        var out: [Int] = []
        out.reserveCapacity(table.rows.count)
        for (i, row) in table.rows.enumerated() {
            let cell = row[c].trimmingCharacters(in: .whitespaces)
            guard let v = Int(cell), v >= 0, v < RegimeProbabilities.capacity else {
                throw .input("\(table.path): line \(i + 2), column '\(truthColumn)': '\(cell)' is not a state label (an integer in 0...\(RegimeProbabilities.capacity - 1))")
            }
            out.append(v)
        }
        return out
    }
}

/// The JSON document: the evaluation's fields plus `updates_per_s` (rows per second of wall time
/// for the whole run, fits included).
struct EvalRegimeReport: Encodable {
    var result: RegimeEvaluation.Result
    var updatesPerSecond: Double

    enum CodingKeys: String, CodingKey { case updatesPerSecond = "updates_per_s" }

    func encode(to encoder: any Encoder) throws {
        try result.encode(to: encoder)
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(updatesPerSecond, forKey: .updatesPerSecond)
    }
}
