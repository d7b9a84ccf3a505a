import ArgumentParser
import Foundation
import Journal

/// `quantum-agent journal …`: read the durable journal (decisions, orders, execution
/// reports, alerts, model swaps) an agent wrote.
struct JournalCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "journal",
        abstract: "Read the agent's SQLite journal: tail it or export it.",
        subcommands: [JournalTailCommand.self, JournalExportCommand.self]
    )

    /// The default of config key `journal.path`.
    static let defaultPath = "./quantum-agent-journal.sqlite"

    static func kind(_ name: String?) -> JournalRecordKind? {
        guard let name else { return nil }
        guard let kind = JournalRecordKind(rawValue: name) else {
            EvalExit.fail("--kind '\(name)' is unknown: expected one of \(JournalRecordKind.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        return kind
    }

    static func open(_ path: String) -> JournalReader {
        do {
            return try JournalReader(path: path)
        } catch {
            EvalExit.fail(error.description)
        }
    }

    /// Prints rows as one JSON array (one object per line; sorted keys; NULL columns omitted).
    static func printJSON(_ produce: ((JournalRow) -> Void) throws(JournalError) -> Void) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        var first = true
        print("[", terminator: "")
        do {
            try produce { row in
                let data: Data
                do { data = try encoder.encode(row) } catch { EvalExit.fail("cannot encode journal row #\(row.seq) as JSON: \(error)") }
                print(first ? "\n" : ",\n", terminator: "")
                print(String(decoding: data, as: UTF8.self), terminator: "")
                first = false
            }
        } catch {
            EvalExit.fail(error.description)
        }
        print(first ? "]" : "\n]")
    }

    /// One human-readable line per row.
    static func text(_ row: JournalRow) -> String {
        func num(_ v: Double?) -> String { v.map { String(format: "%g", $0) } ?? "-" }
        let head = "#\(row.seq) \(row.kind.padding(toLength: 10, withPad: " ", startingAt: 0)) t=\(row.timeNs)ns"
        switch row.kind {
        case "decision":
            return "\(head) \(row.symbol ?? "?") decision=\(row.decisionId ?? 0) regime=\(row.regime ?? -1)"
                + " p_up=\(num(row.probabilityUp)) conf=\(num(row.confidence)) target=\(num(row.targetPosition))"
                + " model=v\(row.modelVersion ?? 0)"
        case "order":
            return "\(head) \(row.symbol ?? "?") order=\(row.orderId ?? 0) \(row.side ?? "?") \(num(row.quantity))"
                + " @ \(num(row.price)) decision=\(row.decisionId ?? 0)"
        case "execution":
            let fill = (row.quantity ?? 0) > 0 ? " \(num(row.quantity)) @ \(num(row.price))" : ""
            return "\(head) \(row.symbol ?? "?") order=\(row.orderId ?? 0) \(row.side ?? "?") \(row.status ?? "?")\(fill)"
                + " cum=\(num(row.cumQuantity)) leaves=\(num(row.leavesQuantity))" + (row.reason.map { " reason=\($0)" } ?? "")
        case "alert":
            return "\(head) [\(row.severity ?? "?")] \(row.alertKind ?? "?"): \(row.message ?? "")"
        default:
            return "\(head) \(row.parentModelId ?? "?") -> \(row.modelId ?? "?"): \(row.message ?? "")"
        }
    }
}

/// `quantum-agent journal tail [--path P] [-n N] [--kind K] [--format text|json|csv]`.
struct JournalTailCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "tail", abstract: "Print the last N journal records, oldest first.")

    @Option(help: "The journal file (config key journal.path).")
    var path: String = JournalCommand.defaultPath

    @Option(name: [.customShort("n"), .long], help: "How many records (0...1000000).")
    var lines: Int = 20

    @Option(help: "Only records of this kind: decision, order, execution, alert, model_swap.")
    var kind: String?

    @Option(help: "text (one line per record), json (an array) or csv.")
    var format: String = "text"

    func run() throws {
        guard (0...1_000_000).contains(lines) else { EvalExit.fail("-n \(lines) is out of range: expected 0...1000000") }
        guard ["text", "json", "csv"].contains(format) else { EvalExit.fail("--format '\(format)' is unknown: expected text, json or csv") }
        let kind = JournalCommand.kind(self.kind)
        let reader = JournalCommand.open(path)
        let rows: [JournalRow]
        do {
            rows = try reader.tail(lines, kind: kind)
        } catch {
            EvalExit.fail(error.description)
        }
        switch format {
        case "json": JournalCommand.printJSON { emit in rows.forEach(emit) }
        case "csv":
            print(JournalRow.csvHeader)
            rows.forEach { print($0.csvLine) }
        default: rows.forEach { print(JournalCommand.text($0)) }
        }
    }
}

/// `quantum-agent journal export [--path P] [--format csv|json] [--kind K]`: every record, streamed.
struct JournalExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "export", abstract: "Print every journal record as CSV or JSON.")

    @Option(help: "The journal file (config key journal.path).")
    var path: String = JournalCommand.defaultPath

    @Option(help: "csv (header + one line per record) or json (an array of objects).")
    var format: String = "csv"

    @Option(help: "Only records of this kind: decision, order, execution, alert, model_swap.")
    var kind: String?

    func run() throws {
        guard ["json", "csv"].contains(format) else { EvalExit.fail("--format '\(format)' is unknown: expected csv or json") }
        let kind = JournalCommand.kind(self.kind)
        let reader = JournalCommand.open(path)
        if format == "json" {
            JournalCommand.printJSON { emit throws(JournalError) in try reader.forEach(kind: kind, emit) }
            return
        }
        print(JournalRow.csvHeader)
        do {
            try reader.forEach(kind: kind) { print($0.csvLine) }
        } catch {
            EvalExit.fail(error.description)
        }
    }
}
