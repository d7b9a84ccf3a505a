import Foundation
import Testing

/// `quantum-agent perf e2e` as a user runs it: the whole agent on both executors, the JSON
/// report, the chart, and its flags' validation. Latency figures are not asserted (they are
/// measured, not tested); only that each run reports them.
@Suite struct PerfE2ECLITests {
    @Test func everyExecutorReportsLatencyThroughputAndAChart() throws {
        let plot = FileManager.default.temporaryDirectory.appendingPathComponent("e2e-\(UUID().uuidString).svg").path
        defer { try? FileManager.default.removeItem(atPath: plot) }
        // A negative nice value is a value, not a flag (it raises priority only with CAP_SYS_NICE;
        // without it the run goes on at the process's own).
        let r = try AgentBinary.run(["perf", "e2e", "--rate", "20000", "--seconds", "1", "--executor", "all",
                                     "--critical-nice", "-1", "--json", "--plot", plot], base: .withoutAgentVariables)
        #expect(r.status == 0, "stderr: \(r.stderr)")
        let json = try #require(r.json)
        #expect(json["benchmark"] as? String == "e2e")
        let runs = try #require(json["runs"] as? [[String: Any]])
        #expect(runs.compactMap { $0["executor"] as? String } == ["floor", "pinned", "default"])
        for run in runs where run["executor"] as? String != "floor" {
            // Every tick's processing time is recorded; the end to end (ingress → order) only once
            // orders flow, which a debug build may not reach in one second (the regime detector
            // and the learner warm up first), so only its shape is checked.
            let tick = try #require(run["tick"] as? [String: Any])
            #expect(number(tick["p50_ns"]) > 0 && number(tick["p50_ns"]) <= number(tick["p99_ns"])
                        && number(tick["p99_ns"]) <= number(tick["max_ns"]), "\(tick)")
            let e2e = try #require(run["e2e"] as? [String: Any])
            #expect(number(e2e["p50_ns"]) <= number(e2e["p99_ns"]) && number(e2e["p99_ns"]) <= number(e2e["p999_ns"])
                        && number(e2e["p999_ns"]) <= number(e2e["max_ns"]), "\(e2e)")
            #expect(run["orders_per_s"] is NSNumber && run["dropped"] is NSNumber && run["conflated"] is NSNumber)
            #expect(number(run["ticks_per_s"]) > 1000, "\(run)")
            let stages = try #require(run["stages"] as? [String: Any])
            #expect(Set(["features", "regime", "learning", "decision", "risk", "execution"]).isSubset(of: Set(stages.keys)))
        }
        // The floor: every tick the feed delivered was timed, nothing else ran.
        let floor = try #require(runs.first)
        #expect(number(floor["orders_per_s"]) == 0 && number(floor["orders"]) == 0, "\(floor)")
        #expect(number(floor["ticks_per_s"]) > 1000 && number(floor["ticks_per_s"]) == number(floor["offered_per_s"]), "\(floor)")
        let stages = try #require(floor["stages"] as? [String: [String: Any]])
        #expect(Array(stages.keys) == ["queue"], "\(stages)")
        let floorE2E = try #require(floor["e2e"] as? [String: Any]), floorTick = try #require(floor["tick"] as? [String: Any])
        #expect(number(floorE2E["p50_ns"]) > 0 && number(floorE2E["p50_ns"]) <= number(floorE2E["max_ns"]), "\(floorE2E)")
        // One histogram's worth of samples recorded three times: the same percentiles.
        #expect(number(floorE2E["p99_ns"]) == number(floorTick["p99_ns"]) && number(floorE2E["p50_ns"]) == number(stages["queue"]?["p50_ns"]))
        #expect((floor["shed"] as? [String: Any])?.isEmpty == true)
        let svg = try String(contentsOfFile: plot, encoding: .utf8)
        #expect(svg.hasPrefix("<svg") || svg.hasPrefix("<?xml"))
        #expect(svg.contains("floor") && svg.contains("pinned") && svg.contains("default"))
    }

    /// The floor is the pinned agent's own feed-on-the-engine-thread setup; without it there is
    /// nothing to compare with, and the run says what is missing.
    @Test func theFloorNeedsTheFeedPolledOnTheEngineThread() throws {
        let r = try AgentBinary.run(["perf", "e2e", "--executor", "floor", "--seconds", "0.5"],
                                    environment: ["QUANTUM_AGENT_FEEDS__POLL_ON_ENGINE": "false"], base: .withoutAgentVariables)
        #expect(r.status == 1 && r.stdout.isEmpty, "exit \(r.status)")
        #expect(r.stderr.contains("feeds.poll_on_engine"), "\(r.stderr)")
    }

    /// A JSON number (integer or not) as a Double; 0 when missing.
    func number(_ value: Any?) -> Double { (value as? NSNumber)?.doubleValue ?? 0 }

    @Test func badFlagsAreRefusedWithTheirName() throws {
        let cases: [([String], String)] = [
            (["--critical-nice", "-30"], "--critical-nice -30"),
            (["--rate", "fast"], "--rate 'fast'"),
            (["--seconds", "0.1"], "--seconds"),
            (["--executor", "gpu"], "--executor 'gpu'"),
        ]
        for (flags, mention) in cases {
            let r = try AgentBinary.run(["perf", "e2e"] + flags, base: .withoutAgentVariables)
            #expect(r.status != 0 && r.stdout.isEmpty, "\(flags): exit \(r.status)")
            #expect(r.stderr.contains(mention), "\(flags): '\(mention)' not in: \(r.stderr)")
        }
    }
}
