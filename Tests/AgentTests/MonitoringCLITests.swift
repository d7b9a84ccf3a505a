import Foundation
import Testing

/// `quantum-agent eval monitor`, run as the built binary on CSV files written here.
@Suite(.serialized) struct MonitoringCLITests {
    typealias Run = AgentRun

    static let root = AgentBinary.root

    func run(_ arguments: [String]) throws -> Run { try AgentBinary.run(arguments) }

    func write(_ name: String, _ text: String) throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("qa-monitor-cli-\(getpid())")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let url = dir.appendingPathComponent(name)
        try Data(text.utf8).write(to: url)
        return url.path
    }

    /// The committed scikit-learn/scipy fixture of the Monitoring tests, as a CSV file.
    func fixtureCSV() throws -> (path: String, referenceRows: Int, expected: [String: Double], missingBuckets: Int) {
        let url = Self.root.appendingPathComponent("Tests/MonitoringTests/Fixtures/evaluation.json")
        let object = try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any]
        let fixture = try #require(object)
        let labels = try #require(fixture["labels"] as? [Double])
        let predictions = try #require(fixture["predictions"] as? [Double])
        // Feature cells that are null in the fixture are NaN: written as "nan", left out and counted.
        let features = try #require(fixture["features"] as? [String: [Any]])
        let momentum = try #require(features["momentum"]).map { ($0 as? Double) ?? .nan }
        let bucket = try #require(features["bucket"]).map { ($0 as? Double) ?? .nan }
        var text = "label,prediction,momentum,bucket\n"
        for row in labels.indices {
            text += "\(labels[row]),\(predictions[row]),\(momentum[row]),\(bucket[row])\n"
        }
        return (try write("fixture.csv", text), try #require(fixture["reference_rows"] as? Int),
                try #require(fixture["expected"] as? [String: Double]), bucket.filter { $0.isNaN }.count)
    }

    @Test func printsEveryMetricUnderItsNameMatchingScikitLearnAndScipy() throws {
        let (path, reference, expected, missingBuckets) = try fixtureCSV()
        let result = try run(["eval", "monitor", "--input", path, "--label", "label", "--prediction", "prediction",
                              "--feature", "momentum", "--feature", "bucket", "--reference-rows", "\(reference)"])
        #expect(result.status == 0, "\(result.stderr)")
        let json = try #require(result.json)
        let metrics = try #require(json["metrics"] as? [String: Any])
        for (name, value) in expected {
            let got = try #require(metrics[name] as? Double, "missing \(name)")
            #expect(abs(got - value) <= 1e-12 * max(1, abs(value)), "\(name): \(got) vs \(value)")
        }
        #expect(json["rows"] as? Int == 400 && json["referenceRows"] as? Int == reference)
        #expect(metrics["quantum_agent_drift_score_ratio"] is Double)
        let drifted = try #require(json["drifted"] as? [String: Bool])
        #expect(drifted["momentum"] == true && drifted["bucket"] == false)
        #expect(missingBuckets > 0)
        #expect((json["nonFiniteValues"] as? [String: Int])?["bucket"] == missingBuckets)
    }

    @Test func nonFiniteFeatureCellsAreLeftOutAndCounted() throws {
        let rows = (0..<10).map { i in "\(i % 2),\(Double(i) / 10),\(i == 3 ? "nan" : i == 7 ? "" : "\(i)")" }
        let path = try write("nan.csv", "y,p,f\n" + rows.joined(separator: "\n") + "\n")
        let result = try run(["eval", "monitor", "--input", path, "--label", "y", "--prediction", "p", "--feature", "f"])
        #expect(result.status == 0, "\(result.stderr)")
        let json = try #require(result.json)
        #expect((json["nonFiniteValues"] as? [String: Int])?["f"] == 2)
        #expect(json["referenceRows"] as? Int == 5)
        // ROC AUC is defined (two classes); a one-class file gives null.
        let oneClass = try write("one.csv", "y,p\n1,0.2\n1,0.9\n1,0.4\n")
        let single = try run(["eval", "monitor", "--input", oneClass, "--label", "y", "--prediction", "p"])
        #expect(single.status == 0)
        #expect(single.stdout.contains("\"quantum_agent_model_roc_auc_ratio\":null"))
    }

    @Test(arguments: [
        ("missing-file", "", "no such file"),
        ("unknown-column", "y,q\n1,0.5\n0,0.2\n", "unknown column 'p'"),
        ("label-not-binary", "y,p\n1,0.5\n2,0.2\n", "labels must be 0 or 1"),
        ("probability-out-of-range", "y,p\n1,1.5\n0,0.2\n", "probabilities in [0, 1]"),
        ("text-in-prediction", "y,p\n1,high\n0,0.2\n", "line 2, column 'p'"),
        ("ragged-row", "y,p\n1,0.5,7\n0,0.2\n", "line 2: 3 fields"),
        ("one-row", "y,p\n1,0.5\n", "at least 2 required"),
        ("empty", "", "the file is empty"),
    ])
    func badFilesFailWithOneLineAndStatusTwo(name: String, content: String, message: String) throws {
        let path = name == "missing-file" ? "/nonexistent/monitor.csv" : try write("\(name).csv", content)
        let result = try run(["eval", "monitor", "--input", path, "--label", "y", "--prediction", "p"])
        #expect(result.status == 2)
        #expect(result.stdout.isEmpty)
        let lines = result.stderr.split(separator: "\n")
        #expect(lines.count == 1, "\(result.stderr)")
        #expect(result.stderr.contains(message), "\(result.stderr)")
    }

    @Test(arguments: [
        (["--label", "y", "--prediction", "p"], "missing --input"),
        (["--input", "FILE", "--prediction", "p"], "missing --label"),
        (["--input", "FILE", "--label", "y", "--prediction", "p", "--reference-rows", "ten"], "is not an integer"),
        (["--input", "FILE", "--label", "y", "--prediction", "p", "--reference-rows", "4"], "--reference-rows = 4.0 is out of range"),
        (["--input", "FILE", "--label", "y", "--prediction", "p", "--feature", "f", "--feature", "f"], "given twice"),
        (["--input", "FILE", "--label", "y", "--prediction", "p", "--feature", "f"], "'abc' is not a number"),
        (["--input", "FILE", "--label", "y", "--prediction", "p", "--sensitivity", "extreme"], "drift_detection_sensitivity"),
    ])
    func badOptionsFailWithOneLineAndStatusTwo(arguments: [String], message: String) throws {
        let path = try write("options.csv", "y,p,f\n1,0.9,1\n0,0.1,abc\n1,0.8,2\n0,0.3,3\n")
        let result = try run(["eval", "monitor"] + arguments.map { $0 == "FILE" ? path : $0 })
        #expect(result.status == 2)
        #expect(result.stderr.split(separator: "\n").count == 1, "\(result.stderr)")
        #expect(result.stderr.contains(message), "\(result.stderr)")
    }
}
