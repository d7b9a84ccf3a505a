// Pure core of `quantum-agent eval drift`: parameter validation, a run of one
// detector over a column of values, and the JSON-ready result. No I/O, no clock.

/// A validated `eval drift` request: build with the detector name and `NAME=VALUE`
/// parameters, then `run` it over the column's values.
public struct DriftEvaluation: Sendable {
    public let kind: DriftDetectorKind
    /// All parameter values used, defaults included.
    public let parameters: [String: ParameterValue]
    private let detector: Detector

    private enum Detector: Sendable {
        case adwin(ADWIN), ddm(DDM), eddm(EDDM), pageHinkley(PageHinkley), kswin(KSWIN)
    }

    /// Validates the detector name and parameters.
    /// - Throws: `ParameterError` naming the unknown detector, the unknown or malformed
    ///   parameter, or the parameter whose value is invalid / out of range (with the range).
    public init(detector name: String, parameters assignments: [String]) throws(ParameterError) {
        guard let kind = DriftDetectorKind(rawValue: name) else {
            throw .unknownComponent(name: name, allowed: DriftDetectorKind.allCases.map(\.rawValue))
        }
        self.kind = kind
        let p = try ParameterAssignments(assignments, component: name, allowed: kind.parameterNames)
        switch kind {
        case .adwin:
            let c = ADWIN.Configuration(
                delta: try p.double("delta", default: 0.002), clock: try p.int("clock", default: 32),
                maxBuckets: try p.int("max_buckets", default: 5),
                minWindowLength: try p.int("min_window_length", default: 5),
                gracePeriod: try p.int("grace_period", default: 10))
            detector = .adwin(try ADWIN(c))
            parameters = ["delta": .double(c.delta), "clock": .int(c.clock), "max_buckets": .int(c.maxBuckets),
                          "min_window_length": .int(c.minWindowLength), "grace_period": .int(c.gracePeriod)]
        case .ddm:
            let c = DDM.Configuration(
                warmStart: try p.int("warm_start", default: 30),
                warningThreshold: try p.double("warning_threshold", default: 2.0),
                driftThreshold: try p.double("drift_threshold", default: 3.0))
            detector = .ddm(try DDM(c))
            parameters = ["warm_start": .int(c.warmStart), "warning_threshold": .double(c.warningThreshold),
                          "drift_threshold": .double(c.driftThreshold)]
        case .eddm:
            let c = EDDM.Configuration(
                warmStart: try p.int("warm_start", default: 30), alpha: try p.double("alpha", default: 0.95),
                beta: try p.double("beta", default: 0.9))
            detector = .eddm(try EDDM(c))
            parameters = ["warm_start": .int(c.warmStart), "alpha": .double(c.alpha), "beta": .double(c.beta)]
        case .pageHinkley:
            let mode = try p.choice("mode", default: "both", choices: PageHinkley.Mode.allCases.map(\.rawValue))
            let c = PageHinkley.Configuration(
                minInstances: try p.int("min_instances", default: 30), delta: try p.double("delta", default: 0.005),
                threshold: try p.double("threshold", default: 50.0), alpha: try p.double("alpha", default: 1 - 0.0001),
                mode: PageHinkley.Mode(rawValue: mode) ?? .both)
            detector = .pageHinkley(try PageHinkley(c))
            parameters = ["min_instances": .int(c.minInstances), "delta": .double(c.delta),
                          "threshold": .double(c.threshold), "alpha": .double(c.alpha), "mode": .string(mode)]
        case .kswin:
            let c = KSWIN.Configuration(
                alpha: try p.double("alpha", default: 0.005), windowSize: try p.int("window_size", default: 100),
                statSize: try p.int("stat_size", default: 30), seed: try p.int("seed", default: 1))
            detector = .kswin(try KSWIN(c))
            parameters = ["alpha": .double(c.alpha), "window_size": .int(c.windowSize),
                          "stat_size": .int(c.statSize), "seed": .int(c.seed)]
        }
    }

    /// Checks the column: every value finite, and 0 or 1 for DDM/EDDM.
    /// - Throws: `ParameterError.nonFiniteValue` / `.nonBinaryValue` with the 0-based row index.
    public func validate(_ values: [Double], column: String = "value") throws(ParameterError) {
        for (row, v) in values.enumerated() {
            if !v.isFinite { throw .nonFiniteValue(row: row, column: column) }
            if kind.isBinary && v != 0 && v != 1 {
                throw .nonBinaryValue(row: row, value: v, detector: kind.rawValue)
            }
        }
    }

    /// Validates then feeds every value in order to a fresh detector.
    public func run(_ values: [Double], column: String = "value") throws(ParameterError) -> DriftEvaluationResult {
        try validate(values, column: column)
        var drifts: [Int] = []
        var warnings: [Int] = []
        switch detector {
        case var .adwin(d): Self.feed(&d, values, &drifts, &warnings)
        case var .ddm(d): Self.feed(&d, values, &drifts, &warnings)
        case var .eddm(d): Self.feed(&d, values, &drifts, &warnings)
        case var .pageHinkley(d): Self.feed(&d, values, &drifts, &warnings)
        case var .kswin(d): Self.feed(&d, values, &drifts, &warnings)
        }
        return DriftEvaluationResult(detector: kind.rawValue, params: parameters, n: values.count,
                                     drifts: drifts, warnings: warnings)
    }

    private static func feed<D: DriftDetector>(
        _ detector: inout D, _ values: [Double], _ drifts: inout [Int], _ warnings: inout [Int]
    ) {
        for (i, x) in values.enumerated() {
            detector.update(x)
            if detector.driftDetected { drifts.append(i) }
            if detector.warningDetected { warnings.append(i) }
        }
    }
}
