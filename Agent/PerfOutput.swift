import ArgumentParser
import Foundation

/// What the `perf` commands share: option range checks with the same message, the JSON
/// document on stdout, and aligned tables for humans.
enum PerfOutput {
    /// Throws a `ValidationError` naming the flag, its value and the accepted range.
    static func require<T: Comparable>(_ value: T, in range: ClosedRange<T>, flag: String) throws {
        guard range.contains(value) else {
            throw ValidationError("--\(flag) \(value) is out of range: expected \(range.lowerBound)...\(range.upperBound)")
        }
    }

    /// The same for a floating-point option, which must also be finite.
    static func require(_ value: Double, in range: ClosedRange<Double>, flag: String) throws {
        guard value.isFinite, range.contains(value) else {
            throw ValidationError("--\(flag) \(value) is out of range: expected \(range.lowerBound)...\(range.upperBound)")
        }
    }

    /// Prints a report as one JSON document with sorted keys.
    static func printJSON<T: Encodable>(_ report: T) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        print(String(decoding: try encoder.encode(report), as: UTF8.self))
    }

    /// Renders rows as a table: the first column left-aligned, the others right-aligned.
    static func table(_ rows: [[String]]) -> String {
        let columns = rows.map(\.count).max() ?? 0
        let widths = (0..<columns).map { column in rows.map { column < $0.count ? $0[column].count : 0 }.max() ?? 0 }
        return rows.map { row in
            row.enumerated().map { index, cell in
                let pad = String(repeating: " ", count: max(0, widths[index] - cell.count))
                return index == 0 ? cell + pad : pad + cell
            }.joined(separator: "  ")
        }.joined(separator: "\n")
    }
}
