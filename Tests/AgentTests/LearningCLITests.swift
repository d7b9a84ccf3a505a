import Foundation
import Testing

/// `quantum-agent eval drift`, `eval learn` and `perf learn`, run as the built binary on
/// CSV files written here.
@Suite(.serialized) struct LearningCLITests {
    typealias Run = AgentRun

    func run(_ arguments: [String]) throws -> Run { try AgentBinary.run(arguments) }

    func write(_ name: String, _ text: String) throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("qa-learning-cli-\(getpid())")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let url = dir.appendingPathComponent(name)
        try Data(text.utf8).write(to: url)
        return url.path
    }

    /// 600 rows: `level` shifts from 0 to 5 at row 300; `err` is 0/1 with rate 0.05 then 0.6.
    func driftCSV() throws -> String {
        var state: UInt64 = 7
        func uniform() -> Double {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Double(state >> 11) / Double(UInt64(1) << 53)
        }
        var text = "level,err\n"
        for i in 0..<600 {
            let level = (uniform() - 0.5) + (i < 300 ? 0 : 5)
            let err = uniform() < (i < 300 ? 0.05 : 0.6) ? 1 : 0
            text += "\(level),\(err)\n"
        }
        return try write("drift.csv", text)
    }

    /// 2,000 rows, label = x0 > x1 (flipped after row 1,000), with an id column to ignore.
    func learnCSV() throws -> String {
        var state: UInt64 = 3
        func uniform() -> Double {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Double(state >> 11) / Double(UInt64(1) << 53)
        }
        var text = "id,x0,x1,y\n"
        for i in 0..<2000 {
            let a = uniform(), b = uniform()
            text += "row\(i),\(a),\(b),\((a > b) != (i >= 1000) ? 1 : 0)\n"
        }
        return try write("learn.csv", text)
    }

    func expectBadInput(_ r: Run, mentions: [String]) {
        #expect(r.status == 2, "exit \(r.status), stderr: \(r.stderr)")
        #expect(r.stdout.isEmpty)
        let lines = r.stderr.split(separator: "\n")
        #expect(lines.count == 1, "stderr: \(r.stderr)")
        for word in mentions { #expect(r.stderr.contains(word), "'\(word)' not in: \(r.stderr)") }
    }

    @Test func evalDriftADWINFindsTheShiftOnTheFirstColumnByDefault() throws {
        let path = try driftCSV()
        let r = try run(["eval", "drift", "--detector", "adwin", "--input", path])
        #expect(r.status == 0, "stderr: \(r.stderr)")
        let json = try #require(r.json)
        #expect(json["detector"] as? String == "adwin")
        #expect(json["n"] as? Int == 600)
        let drifts = try #require(json["drifts"] as? [Int])
        #expect(drifts.contains { (300..<360).contains($0) }, "drifts \(drifts)")
        #expect(!drifts.contains { $0 < 300 })
        #expect((json["warnings"] as? [Int]) == [])
        let params = try #require(json["params"] as? [String: Any])
        #expect(params["delta"] as? Double == 0.002 && params["clock"] as? Int == 32)
        #expect(params["max_buckets"] as? Int == 5 && params["min_window_length"] as? Int == 5)
        #expect(params["grace_period"] as? Int == 10)
        #expect((json["updates_per_s"] as? Double ?? 0) > 0)
    }

    @Test func evalDriftDDMReadsTheNamedColumnWithParamsAndWarnings() throws {
        let path = try driftCSV()
        let r = try run(["eval", "drift", "--detector", "ddm", "--input", path, "--column", "err",
                         "--param", "warm_start=50", "--param", "drift_threshold=2.5"])
        #expect(r.status == 0, "stderr: \(r.stderr)")
        let json = try #require(r.json)
        let params = try #require(json["params"] as? [String: Any])
        #expect(params["warm_start"] as? Int == 50 && params["drift_threshold"] as? Double == 2.5)
        #expect(params["warning_threshold"] as? Double == 2.0)
        let drifts = try #require(json["drifts"] as? [Int])
        #expect(drifts.contains { $0 >= 300 })
        #expect(!(json["warnings"] as? [Int] ?? []).isEmpty)
    }

    @Test func evalDriftBadInputsExitTwoWithOneLine() throws {
        let path = try driftCSV()
        expectBadInput(try run(["eval", "drift", "--detector", "adwin", "--input", path + ".missing"]), mentions: [".missing"])
        expectBadInput(try run(["eval", "drift", "--detector", "adwin", "--input", path, "--column", "nope"]),
                       mentions: ["nope", "level"])
        expectBadInput(try run(["eval", "drift", "--detector", "ddm", "--input", path]),
                       mentions: ["line 2", "column 'level'", "not 0 or 1"])
        expectBadInput(try run(["eval", "drift", "--detector", "adwin", "--input", path, "--param", "gamma=1"]),
                       mentions: ["gamma", "delta"])
        expectBadInput(try run(["eval", "drift", "--detector", "adwin", "--input", path, "--param", "delta=1.5"]),
                       mentions: ["delta", "1.5"])
        expectBadInput(try run(["eval", "drift", "--detector", "page-hinkley", "--input", path, "--param", "mode=sideways"]),
                       mentions: ["mode", "sideways"])
        expectBadInput(try run(["eval", "drift", "--detector", "cusum", "--input", path]), mentions: ["cusum", "adwin"])
        let nan = try write("nan.csv", "v\n1\n2\nnan\n4\n")
        expectBadInput(try run(["eval", "drift", "--detector", "adwin", "--input", nan]),
                       mentions: ["nan.csv", "line 4", "column 'v'"])
        let text = try write("text.csv", "v,w\n1,2\nabc,3\n")
        expectBadInput(try run(["eval", "drift", "--detector", "kswin", "--input", text]),
                       mentions: ["text.csv", "line 3", "column 'v'", "abc"])
    }

    @Test func evalLearnRunsPrequentiallyAndReportsVersions() throws {
        let path = try learnCSV()
        let r = try run(["eval", "learn", "--model", "online-gd", "--input", path, "--label", "y", "--ignore", "id"])
        #expect(r.status == 0, "stderr: \(r.stderr)")
        let json = try #require(r.json)
        #expect(json["model"] as? String == "online-gd")
        #expect(json["n"] as? Int == 2000)
        let accuracy = try #require(json["accuracy"] as? Double)
        #expect(accuracy > 0.8 && accuracy <= 1)
        #expect((json["items_per_s"] as? Double ?? 0) > 0)
        let drifts = try #require(json["drifts"] as? [Int])
        #expect(drifts.contains { $0 >= 1000 })
        let versions = try #require(json["versions"] as? Int)
        let history = try #require(json["version_history"] as? [[String: Any]])
        #expect(versions == history.count && versions >= 2)
        #expect(history.first?["reason"] as? String == "initial")
    }

    @Test func evalLearnSeedMakesStreamRFDeterministic() throws {
        let path = try learnCSV()
        let args = ["eval", "learn", "--model", "stream-rf", "--input", path, "--label", "y", "--ignore", "id",
                    "--seed", "7", "--param", "n_models=3"]
        let a = try run(args), b = try run(args)
        #expect(a.status == 0 && b.status == 0, "stderr: \(a.stderr)")
        let ja = try #require(a.json), jb = try #require(b.json)
        #expect(ja["accuracy"] as? Double == jb["accuracy"] as? Double)
        let params = try #require(ja["params"] as? [String: Any])
        #expect(params["seed"] as? Int == 7 && params["n_models"] as? Int == 3)
    }

    @Test func evalLearnBadInputsExitTwoWithOneLine() throws {
        let path = try learnCSV()
        let base = ["eval", "learn", "--model", "online-gd", "--input", path]
        expectBadInput(try run(base + ["--label", "y"]), mentions: ["line 2", "column 'id'", "row0"])
        expectBadInput(try run(base + ["--label", "label"]), mentions: ["learn.csv", "label", "x0"])
        expectBadInput(try run(base + ["--label", "y", "--ignore", "id,zz"]), mentions: ["zz"])
        expectBadInput(try run(base + ["--label", "x0", "--ignore", "id"]), mentions: ["line 2", "column 'x0'", "not 0 or 1"])
        expectBadInput(try run(base + ["--label", "y", "--ignore", "id", "--param", "learning_rate=-2"]),
                       mentions: ["learning_rate", "-2"])
        expectBadInput(try run(base + ["--label", "y", "--ignore", "id", "--param", "trees=3"]), mentions: ["trees"])
        expectBadInput(try run(base + ["--label", "y", "--ignore", "id", "--seed", "x"]), mentions: ["--seed", "x"])
        expectBadInput(try run(["eval", "learn", "--model", "svm", "--input", path, "--label", "y"]),
                       mentions: ["svm", "online-gd"])
        let nan = try write("nan-learn.csv", "a,b,y\n1,2,1\n3,NaN,0\n")
        expectBadInput(try run(["eval", "learn", "--model", "online-gd", "--input", nan, "--label", "y"]),
                       mentions: ["nan-learn.csv", "line 3", "column 'b'"])
        expectBadInput(try run(["eval", "learn", "--model", "online-gd", "--input", path + ".none", "--label", "y"]),
                       mentions: [".none"])
    }

    @Test func perfLearnPrintsEveryDetectorAndModel() throws {
        let r = try run(["perf", "learn", "--json", "--rows", "2000", "--repeats", "1"])
        #expect(r.status == 0, "stderr: \(r.stderr)")
        let json = try #require(r.json)
        let detectors = try #require(json["detectors"] as? [String: [String: Any]])
        #expect(Set(detectors.keys) == ["ADWIN", "DDM", "EDDM", "PageHinkley", "KSWIN"])
        for (_, d) in detectors { #expect((d["ns_per_update_p50"] as? Double ?? 0) > 0) }
        let models = try #require(json["models"] as? [String: [String: Any]])
        #expect(Set(models.keys) == ["ONLINE_GD", "INCREMENTAL_SVM", "STREAM_RF", "ENSEMBLE"])
        for (_, m) in models {
            #expect((m["ns_per_row_p50"] as? Double ?? 0) > 0)
            #expect((m["accuracy"] as? Double ?? 0) > 0.5)
        }
        #expect(try run(["perf", "learn", "--rows", "5"]).status != 0)
    }
}
