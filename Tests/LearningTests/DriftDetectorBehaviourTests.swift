import Testing
@testable import Learning

@Suite struct DriftDetectorBehaviourTests {
    /// River resets a detector at the start of the update that follows a detection.
    @Test func adwinResetsItsWindowOnTheUpdateAfterADetection() throws {
        var adwin = try ADWIN()
        var detectedAt: Int?
        for i in 0..<2000 {
            adwin.update(i < 1000 ? 0.0 : 1.0)
            if adwin.driftDetected { detectedAt = i; break }
        }
        let index = try #require(detectedAt)
        #expect(index >= 1000 && index < 1100)
        #expect(adwin.width > 0)
        adwin.update(1.0)
        #expect(adwin.width == 1)
        #expect(!adwin.driftDetected)
    }

    @Test func ddmRaisesWarningBeforeDriftOnRisingErrorRate() throws {
        var ddm = try DDM()
        var firstWarning: Int?, firstDrift: Int?
        var x: UInt64 = 12345
        for i in 0..<4000 {
            x = x &* 6364136223846793005 &+ 1442695040888963407
            let u = Double(x >> 11) / Double(1 << 53)
            ddm.update(u < (i < 2000 ? 0.1 : 0.5) ? 1 : 0)
            if ddm.warningDetected && firstWarning == nil && i >= 2000 { firstWarning = i }
            if ddm.driftDetected && i >= 2000 { firstDrift = i; break }
        }
        let w = try #require(firstWarning), d = try #require(firstDrift)
        #expect(w <= d)
        #expect(!ddm.warningDetected)  // River clears the warning when drift fires
    }

    @Test func pageHinkleyUpModeIgnoresADecrease() throws {
        var up = try PageHinkley(.init(mode: .up))
        var down = try PageHinkley(.init(mode: .down))
        var upDrifts = 0, downDrifts = 0
        for i in 0..<3000 {
            let x: Double = i < 1000 ? 10 : 0
            up.update(x); down.update(x)
            if up.driftDetected { upDrifts += 1 }
            if down.driftDetected { downDrifts += 1 }
        }
        #expect(upDrifts == 0)
        #expect(downDrifts >= 1)
    }

    @Test func kswinIsDeterministicForASeed() throws {
        func run(_ seed: Int) throws -> [Int] {
            var k = try KSWIN(.init(seed: seed))
            var out: [Int] = []
            var x: UInt64 = 99
            for i in 0..<3000 {
                x = x &* 6364136223846793005 &+ 1442695040888963407
                let u = Double(x >> 11) / Double(1 << 53)
                k.update(u + (i >= 1500 ? 0.5 : 0))
                if k.driftDetected { out.append(i) }
            }
            return out
        }
        let a = try run(5)
        #expect(a == (try run(5)))
        #expect(a.contains { $0 >= 1500 && $0 < 1600 })
    }
}

@Suite struct DriftEvaluationTests {
    @Test func resultEchoesAllParametersWithDefaults() throws {
        let e = try DriftEvaluation(detector: "adwin", parameters: ["delta=0.01"])
        let r = try e.run([0, 1, 0, 1])
        #expect(r.params["delta"] == .double(0.01))
        #expect(r.params["clock"] == .int(32))
        #expect(r.params["max_buckets"] == .int(5))
        #expect(r.params["min_window_length"] == .int(5))
        #expect(r.params["grace_period"] == .int(10))
        #expect(r.n == 4 && r.drifts.isEmpty && r.warnings.isEmpty)
        #expect(try DriftEvaluation(detector: "kswin", parameters: []).parameters["seed"] == .int(1))
        #expect(try DriftEvaluation(detector: "page-hinkley", parameters: []).parameters["mode"] == .string("both"))
    }

    @Test func unknownParameterIsNamedWithTheAllowedNames() {
        #expect(throws: ParameterError.unknownParameter(
            name: "beta", component: "ddm", allowed: ["warm_start", "warning_threshold", "drift_threshold"])) {
            try DriftEvaluation(detector: "ddm", parameters: ["beta=0.3"])
        }
    }

    @Test func outOfRangeValueNamesParameterAndRange() {
        do {
            _ = try DriftEvaluation(detector: "adwin", parameters: ["delta=1.5"])
            Issue.record("expected an error")
        } catch {
            #expect(error == .outOfRange(name: "delta", value: "1.5", allowed: "0 < delta < 1"))
            #expect(error.description.contains("delta") && error.description.contains("0 < delta < 1"))
        }
        #expect(throws: ParameterError.self) { try DriftEvaluation(detector: "adwin", parameters: ["clock=0"]) }
        #expect(throws: ParameterError.self) { try DriftEvaluation(detector: "eddm", parameters: ["alpha=0.5"]) }
        #expect(throws: ParameterError.self) {
            try DriftEvaluation(detector: "kswin", parameters: ["window_size=50", "stat_size=30"])
        }
    }

    @Test func badTextValuesAreRejected() {
        #expect(throws: ParameterError.invalidValue(name: "clock", value: "3.5", expected: "an integer")) {
            try DriftEvaluation(detector: "adwin", parameters: ["clock=3.5"])
        }
        #expect(throws: ParameterError.invalidValue(name: "mode", value: "sideways", expected: "one of both, up, down")) {
            try DriftEvaluation(detector: "page-hinkley", parameters: ["mode=sideways"])
        }
        #expect(throws: ParameterError.malformedAssignment("delta")) {
            try DriftEvaluation(detector: "adwin", parameters: ["delta"])
        }
        #expect(throws: ParameterError.duplicateParameter(name: "delta")) {
            try DriftEvaluation(detector: "adwin", parameters: ["delta=0.1", "delta=0.2"])
        }
        #expect(throws: ParameterError.self) { try DriftEvaluation(detector: "cusum", parameters: []) }
    }

    @Test func binaryDetectorsRejectNonBinaryRowsByIndex() throws {
        let e = try DriftEvaluation(detector: "eddm", parameters: [])
        #expect(throws: ParameterError.nonBinaryValue(row: 2, value: 0.5, detector: "eddm")) {
            try e.run([0, 1, 0.5, 1])
        }
        let a = try DriftEvaluation(detector: "adwin", parameters: [])
        #expect(throws: ParameterError.nonFiniteValue(row: 1, column: "value")) { try a.run([0, .nan]) }
    }
}
