import Foundation

/// Loads the committed reference fixtures (made by Fixtures/make_fixtures.py).
enum Fixtures {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")

    static func text(_ name: String) throws -> String {
        try String(contentsOf: directory.appendingPathComponent(name), encoding: .utf8)
    }

    static func json(_ name: String) throws -> [String: Any] {
        let data = try Data(contentsOf: directory.appendingPathComponent(name))
        return (try JSONSerialization.jsonObject(with: data) as? [String: Any]) ?? [:]
    }

    /// Columns of a CSV with a header, as strings.
    static func csv(_ name: String) throws -> [String: [String]] {
        let lines = try text(name).split(separator: "\n").map(String.init)
        guard let header = lines.first?.split(separator: ",").map(String.init) else { return [:] }
        var cols = [String: [String]]()
        for h in header { cols[h] = [] }
        for line in lines.dropFirst() {
            let parts = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            for (h, v) in zip(header, parts) { cols[h, default: []].append(v) }
        }
        return cols
    }

    /// The synthetic 3-state series (`synthetic.csv`, numpy seed 20240604) or, with
    /// `name: "synthetic_seed7.csv"`, the same process drawn with seed 7.
    static func synthetic(_ name: String = "synthetic.csv") throws -> (returns: [Double], states: [Int]) {
        let c = try csv(name)
        return ((c["return"] ?? []).compactMap(Double.init), (c["true_state"] ?? []).compactMap(Int.init))
    }

    static func sp500() throws -> (dates: [String], returns: [Double]) {
        let c = try csv("sp500_returns.csv")
        return (c["date"] ?? [], (c["return"] ?? []).compactMap(Double.init))
    }

    static func doubles(_ any: Any?) -> [Double] { (any as? [Any])?.compactMap { ($0 as? NSNumber)?.doubleValue } ?? [] }
    static func double(_ any: Any?) -> Double { (any as? NSNumber)?.doubleValue ?? .nan }
}
