import Foundation
import Testing

/// `quantum-agent eval regime` run as a process on real temporary files.
@Suite struct RegimeCLITests {
    struct Outcome {
        var status: Int32
        var stdout: String
        var stderr: String
        var json: [String: Any] {
            (try? JSONSerialization.jsonObject(with: Data(stdout.utf8))) as? [String: Any] ?? [:]
        }
    }

    static func run(_ arguments: [String]) throws -> Outcome {
        let run = try AgentBinary.run(["eval", "regime"] + arguments)
        return Outcome(status: run.status, stdout: run.stdout, stderr: run.stderr)
    }

    /// A temporary file with `text`, removed by the caller.
    static func temp(_ text: String, name: String = "returns.csv") throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("regime-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let url = dir.appendingPathComponent(name)
        try text.write(to: url, atomically: true, encoding: .utf8)
        return url
    }

    /// A seeded 2-state switching series: blocks of 100 rows, σ = 0.5 then 3.
    static func switching(rows: Int = 400, withTruth: Bool = true) -> String {
        var state: UInt64 = 42
        func uniform() -> Double {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Double(state >> 11) * 0x1.0p-53
        }
        var lines = [withTruth ? "date,return,true_state" : "date,return"]
        for i in 0..<rows {
            let s = (i / 100) % 2
            let z = (-2 * log(max(uniform(), 1e-300))).squareRoot() * cos(2 * Double.pi * uniform())
            let r = (s == 0 ? 0.5 : 3.0) * z
            lines.append(withTruth ? "d\(i),\(r),\(s)" : "d\(i),\(r)")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    @Test func onlineRunPrintsTheIssueShapeWithAccuracy() throws {
        let input = try Self.temp(Self.switching())
        defer { try? FileManager.default.removeItem(at: input.deletingLastPathComponent()) }
        let r = try Self.run(["--input", input.path, "--states", "2"])
        #expect(r.status == 0, "stderr: \(r.stderr)")
        let j = r.json
        #expect(j["n"] as? Int == 400 && j["states"] as? Int == 2 && j["fit"] as? String == "online")
        let per = try #require(j["per_detector"] as? [String: [String: Any]])
        #expect(Set(per.keys) == ["hmm", "gmm", "cusum", "threshold"])
        for (name, d) in per {
            let counts = d["state_counts"] as? [Int] ?? []
            #expect(counts.count == 2 && counts.reduce(0, +) == 400, "\(name)")
            #expect((d["mean"] as? [Any])?.count == 2 && (d["variance"] as? [Any])?.count == 2, "\(name)")
        }
        let ensemble = try #require(j["ensemble"] as? [String: Any])
        #expect((ensemble["state_counts"] as? [Int])?.reduce(0, +) == 400)
        #expect((j["updates_per_s"] as? Double ?? 0) > 0)
        let accuracy = try #require(j["accuracy"] as? [String: Double])
        #expect(Set(accuracy.keys) == ["hmm", "gmm", "cusum", "threshold", "ensemble"])
        // Rows 0..<250 are the warm-up (no fit yet); after it the blocks are easy to tell apart.
        #expect((accuracy["ensemble"] ?? 0) > 0.7)
    }

    @Test func outputFileHasOneRowPerInputRow() throws {
        let input = try Self.temp(Self.switching(rows: 300, withTruth: false))
        let output = input.deletingLastPathComponent().appendingPathComponent("states.csv")
        defer { try? FileManager.default.removeItem(at: input.deletingLastPathComponent()) }
        let r = try Self.run(["--input", input.path, "--detectors", "hmm,cusum", "--output", output.path])
        #expect(r.status == 0, "stderr: \(r.stderr)")
        #expect(r.json["accuracy"] == nil)
        let lines = try String(contentsOf: output, encoding: .utf8).split(separator: "\n")
        #expect(lines.first == "index,hmm,cusum,ensemble,confidence")
        #expect(lines.count == 301)
        let last = lines.last?.split(separator: ",", omittingEmptySubsequences: false) ?? []
        #expect(last.count == 5 && last.first == "299" && Double(last[4]) != nil)
    }

    @Test func offlineAllDetectorsUsesEveryDetector() throws {
        let input = try Self.temp(Self.switching(rows: 300))
        defer { try? FileManager.default.removeItem(at: input.deletingLastPathComponent()) }
        let r = try Self.run(["--input", input.path, "--column", "return", "--detectors", "all", "--fit", "offline", "--states", "2"])
        #expect(r.status == 0, "stderr: \(r.stderr)")
        let per = try #require(r.json["per_detector"] as? [String: [String: Any]])
        #expect(per.count == 8)
        #expect((per["trend"]?["state_counts"] as? [Int])?.count == 3)
        #expect((r.json["accuracy"] as? [String: Double])?["hmm"] ?? 0 > 0.9)
    }

    /// Runs a bad input and checks: exit 2, nothing on stdout, one stderr line with every fragment.
    func expectRejected(_ arguments: [String], mentions fragments: [String]) throws {
        let r = try Self.run(arguments)
        #expect(r.status == 2, "\(arguments): status \(r.status), stderr \(r.stderr)")
        #expect(r.stdout.isEmpty)
        let lines = r.stderr.split(separator: "\n")
        #expect(lines.count == 1, "stderr: \(r.stderr)")
        for f in fragments { #expect(r.stderr.contains(f), "stderr '\(r.stderr)' lacks '\(f)'") }
    }

    @Test func badCellsAndFilesExitTwoNamingFileLineAndColumn() throws {
        var text = Self.switching(rows: 300).split(separator: "\n").map(String.init)
        text[4] = "d3,abc,0"                       // file line 5
        let bad = try Self.temp(text.joined(separator: "\n"))
        defer { try? FileManager.default.removeItem(at: bad.deletingLastPathComponent()) }
        try expectRejected(["--input", bad.path, "--column", "return"], mentions: [bad.path, "line 5", "'return'", "abc"])

        var labels = Self.switching(rows: 300).split(separator: "\n").map(String.init)
        labels[7] = "d6,0.1,high"                  // file line 8
        let badLabel = try Self.temp(labels.joined(separator: "\n"))
        defer { try? FileManager.default.removeItem(at: badLabel.deletingLastPathComponent()) }
        try expectRejected(["--input", badLabel.path], mentions: [badLabel.path, "line 8", "true_state", "high"])

        var ragged = Self.switching(rows: 300).split(separator: "\n").map(String.init)
        ragged[2] = "d1,0.3"
        let raggedFile = try Self.temp(ragged.joined(separator: "\n"))
        defer { try? FileManager.default.removeItem(at: raggedFile.deletingLastPathComponent()) }
        try expectRejected(["--input", raggedFile.path], mentions: [raggedFile.path, "line 3"])

        try expectRejected(["--input", "/nonexistent/returns.csv"], mentions: ["/nonexistent/returns.csv", "no such file"])
    }

    @Test func badOptionsAndShortSeriesExitTwo() throws {
        let input = try Self.temp(Self.switching(rows: 100))
        defer { try? FileManager.default.removeItem(at: input.deletingLastPathComponent()) }
        try expectRejected(["--input", input.path, "--detectors", "hmm,nope"], mentions: ["--detectors", "nope"])
        try expectRejected(["--input", input.path, "--states", "12"], mentions: ["--states", "12"])
        try expectRejected(["--input", input.path, "--fit", "batch"], mentions: ["--fit", "batch"])
        try expectRejected(["--input", input.path, "--column", "volume"], mentions: [input.path, "volume"])
        // Online needs the warm-up (250 rows) before the first fit.
        try expectRejected(["--input", input.path], mentions: [input.path, "250", "100"])
    }
}
