import Foundation

/// A CSV file with a header line, read for the `eval` commands. Cells are kept as
/// text; `numericColumn` converts one column and names the file, row and column of
/// the first cell that is not a finite number.
struct CSVTable {
    let path: String
    let header: [String]
    /// Data rows (header excluded); `rows[i]` is file line `i + 2`.
    let rows: [[String]]

    /// Reads and splits a file. Quoted fields (RFC 4180) are supported.
    /// - Throws: `EvalError` naming the file (missing, unreadable, empty, ragged row).
    init(path: String) throws(EvalError) {
        self.path = path
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw .input("\(path): cannot read the file (\(FileManager.default.fileExists(atPath: path) ? "unreadable or not UTF-8" : "no such file"))")
        }
        var lines = CSVTable.split(text)
        while let last = lines.last, last.count == 1, last[0].trimmingCharacters(in: .whitespaces).isEmpty { lines.removeLast() }
        guard let first = lines.first else { throw .input("\(path): the file is empty; expected a header line") }
        header = first.map { $0.trimmingCharacters(in: .whitespaces) }
        var data: [[String]] = []
        data.reserveCapacity(lines.count)
        for (index, row) in lines.dropFirst().enumerated() {
            if row.count == 1 && row[0].trimmingCharacters(in: .whitespaces).isEmpty { continue }
            guard row.count == header.count else {
                throw .input("\(path): line \(index + 2): \(row.count) fields, but the header has \(header.count)")
            }
            data.append(row)
        }
        rows = data
    }

    /// The index of a column by name.
    /// - Throws: `EvalError` listing the columns that exist.
    func columnIndex(_ name: String) throws(EvalError) -> Int {
        guard let index = header.firstIndex(of: name) else {
            throw .input("\(path): unknown column '\(name)'; columns are: \(header.joined(separator: ", "))")
        }
        return index
    }

    /// The first column whose every cell is a finite number.
    func firstNumericColumn() -> String? {
        header.indices.first { column in rows.allSatisfy { Double($0[column].trimmingCharacters(in: .whitespaces))?.isFinite == true } }
            .map { header[$0] }
    }

    /// Converts a column to numbers.
    /// - Throws: `EvalError` naming the file, line and column of a non-numeric, NaN or infinite cell.
    func numericColumn(_ name: String) throws(EvalError) -> [Double] {
        let column = try columnIndex(name)
        var values: [Double] = []
        values.reserveCapacity(rows.count)
        for (index, row) in rows.enumerated() {
            let cell = row[column].trimmingCharacters(in: .whitespaces)
            guard let value = Double(cell), value.isFinite else {
                let what = cell.isEmpty ? "an empty cell" : "'\(cell)'"
                throw .input("\(path): line \(index + 2), column '\(name)': \(what) is not a finite number")
            }
            values.append(value)
        }
        return values
    }

    /// Splits CSV text into rows of fields.
    static func split(_ text: String) -> [[String]] {
        var rows: [[String]] = []
        var row: [String] = []
        var field = ""
        var quoted = false
        var iterator = text.unicodeScalars.makeIterator()
        var pending: Unicode.Scalar? = nil
        while let scalar = pending ?? iterator.next() {
            pending = nil
            if quoted {
                if scalar == "\"" {
                    if let next = iterator.next() {
                        if next == "\"" { field.unicodeScalars.append("\"") } else { quoted = false; pending = next }
                    } else {
                        quoted = false
                    }
                } else {
                    field.unicodeScalars.append(scalar)
                }
                continue
            }
            switch scalar {
            case "\"" where field.isEmpty: quoted = true
            case ",": row.append(field); field = ""
            case "\n":
                row.append(field); field = ""
                rows.append(row); row = []
            case "\r": continue
            default: field.unicodeScalars.append(scalar)
            }
        }
        if !field.isEmpty || !row.isEmpty {
            row.append(field)
            rows.append(row)
        }
        return rows
    }
}

/// A bad input to an `eval` command: printed as one line on stderr, exit status 2.
enum EvalError: Error, CustomStringConvertible {
    case input(String)
    var description: String {
        switch self { case .input(let message): return message }
    }
}

/// Shared exit behaviour of the `eval` commands.
enum EvalExit {
    /// Prints `error: message` on stderr and exits with status 2.
    static func fail(_ message: String) -> Never {
        FileHandle.standardError.write(Data("error: \(message)\n".utf8))
        exit(2)
    }

    /// Prints an Encodable as one JSON document with sorted keys.
    static func printJSON<T: Encodable>(_ value: T) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        do {
            print(String(decoding: try encoder.encode(value), as: UTF8.self))
        } catch {
            fail("cannot encode the result as JSON: \(error)")
        }
    }
}
