import Foundation

/// Locates and parses the committed fixtures (no Python needed).
enum FixtureLoader {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Fixtures")

    static func data(_ name: String) throws -> Data {
        try Data(contentsOf: directory.appendingPathComponent(name))
    }

    /// Columns of a headed numeric CSV, by header name.
    static func csvColumns(_ name: String) throws -> [String: [Double]] {
        let text = String(decoding: try data(name), as: UTF8.self)
        var lines = text.split(whereSeparator: \.isNewline)
        let header = lines.removeFirst().split(separator: ",").map(String.init)
        var columns = [[Double]](repeating: [], count: header.count)
        for line in lines {
            for (i, cell) in line.split(separator: ",").enumerated() {
                columns[i].append(Double(cell) ?? .nan)
            }
        }
        return Dictionary(uniqueKeysWithValues: zip(header, columns))
    }
}

/// One River reference run of a detector over a stream.
struct DriftCase: Decodable, CustomStringConvertible {
    let detector: String
    let params: [String: ParamScalar]
    let stream: String
    let drifts: [Int]
    let warnings: [Int]

    var assignments: [String] { params.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value.text)" } }
    var description: String { "\(detector) \(assignments) on \(stream)" }
}

struct ParamScalar: Decodable {
    let text: String
    init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        if let i = try? c.decode(Int.self) { text = String(i) }
        else if let d = try? c.decode(Double.self) { text = String(d) }
        else { text = try c.decode(String.self) }
    }
}

struct DriftFixture: Decodable {
    let river: String
    let cases: [DriftCase]

    static func load() throws -> (DriftFixture, [String: [Double]]) {
        let fixture = try JSONDecoder().decode(DriftFixture.self, from: FixtureLoader.data("drift_expected.json"))
        return (fixture, try FixtureLoader.csvColumns("drift_streams.csv"))
    }
}
