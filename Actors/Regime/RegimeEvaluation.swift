// Pure core of `quantum-agent eval regime`: runs detectors and the ensemble over a series,
// online (strictly causal) or offline (fit on everything, then decode; Viterbi for the HMM),
// and summarises states, per-state moments and, given true states, accuracy after the best
// one-to-one matching of labels.

import Foundation

/// Evaluation of regime detectors on a return series. No I/O: the CLI reads the CSV and times it.
public enum RegimeEvaluation {
    /// `--fit`.
    public enum FitMode: String, Sendable, Codable { case offline, online }

    /// `--detectors`: an explicit list, `all` eight, or the ensemble's configured detectors.
    public enum Selection: Sendable, Equatable {
        case list([RegimeDetectorKind]), all, ensemble

        /// Parses `--detectors`. - Throws: ``RegimeError/unknownDetector(name:known:)`` or
        /// ``RegimeError/invalidParameter(name:value:allowed:)`` for an empty or repeated list.
        public static func parse(_ s: String) throws(RegimeError) -> Selection {
            switch s.lowercased() {
            case "all": return .all
            case "ensemble": return .ensemble
            default:
                var kinds: [RegimeDetectorKind] = []
                for part in s.split(separator: ",", omittingEmptySubsequences: false) {
                    kinds.append(try RegimeDetectorKind.parse(String(part)))
                }
                guard !kinds.isEmpty, Set(kinds).count == kinds.count else {
                    throw .invalidParameter(name: "--detectors", value: s, allowed: "a comma-separated list without repeats, all, or ensemble")
                }
                return .list(kinds)
            }
        }
    }

    /// Options of one evaluation.
    public struct Options: Sendable, Equatable {
        public var selection: Selection = .ensemble
        public var states = 3
        public var fit: FitMode = .online
        /// Ensemble settings (its `detectors` and `states` are replaced by the selection and `states`).
        public var ensemble = RegimeEnsembleConfiguration()
        public init() {}

        /// Parses `--fit`. - Throws: ``RegimeError/invalidParameter(name:value:allowed:)``.
        public static func parseFit(_ s: String) throws(RegimeError) -> FitMode {
            guard let f = FitMode(rawValue: s) else { throw .invalidParameter(name: "--fit", value: s, allowed: "offline, online") }
            return f
        }

        /// Parses `--states`. - Throws: ``RegimeError/invalidParameter(name:value:allowed:)``.
        public static func parseStates(_ s: String) throws(RegimeError) -> Int {
            guard let k = Int(s), k >= 2, k <= RegimeProbabilities.capacity else {
                throw .invalidParameter(name: "--states", value: s, allowed: "an integer in 2...\(RegimeProbabilities.capacity)")
            }
            return k
        }

        /// The ensemble configuration actually used.
        func resolvedEnsemble() -> RegimeEnsembleConfiguration {
            var c = ensemble
            c.states = states
            switch selection {
            case .all: c.detectors = RegimeDetectorKind.allCases
            case let .list(l): c.detectors = l
            case .ensemble: break
            }
            let volCount = c.detectors.filter { $0 != .trend }.count
            c.ensembleSize = selection == .ensemble ? min(c.ensembleSize, volCount) : volCount
            return c
        }
    }

    /// Per-detector summary (JSON: `state_counts`, `mean`, `variance`; null for an empty state).
    public struct DetectorSummary: Sendable, Equatable, Codable {
        public var stateCounts: [Int]
        public var mean: [Double?]
        public var variance: [Double?]
        enum CodingKeys: String, CodingKey { case stateCounts = "state_counts", mean, variance }
    }

    /// Ensemble summary (JSON: `state_counts`).
    public struct EnsembleSummary: Sendable, Equatable, Codable {
        public var stateCounts: [Int]
        /// Fraction of rows flagged uncertain.
        public var uncertainFraction: Double
        /// Number of regime changes flagged.
        public var changes: Int
        enum CodingKeys: String, CodingKey { case stateCounts = "state_counts", uncertainFraction = "uncertain_fraction", changes }
    }

    /// The JSON document of the command, without `updates_per_s` (the CLI adds timing).
    public struct Result: Sendable, Equatable, Codable {
        public var n: Int
        public var states: Int
        public var fit: FitMode
        public var perDetector: [String: DetectorSummary]
        public var ensemble: EnsembleSummary
        /// Accuracy per detector name and `ensemble`, after the best label matching (only with true states).
        public var accuracy: [String: Double]?
        enum CodingKeys: String, CodingKey { case n, states, fit, perDetector = "per_detector", ensemble, accuracy }
    }

    /// Per-row output for `--output`.
    public struct Rows: Sendable, Equatable {
        /// Detector names, in column order.
        public var detectors: [String]
        /// `states[d][t]`: state of detector d at row t.
        public var states: [[Int]]
        public var ensemble: [Int]
        public var confidence: [Double]

        /// CSV text: header `index,<detectors…>,ensemble,confidence`, one line per row.
        public var csv: String {
            var out = "index," + detectors.joined(separator: ",") + ",ensemble,confidence\n"
            for t in 0..<ensemble.count {
                out += "\(t)," + states.map { String($0[t]) }.joined(separator: ",") + ",\(ensemble[t]),\(confidence[t])\n"
            }
            return out
        }
    }

    /// Runs the evaluation. - Throws: ``RegimeError`` for bad options, too few rows (online: fewer
    /// than the warm-up), a non-finite value, or a true-state column of the wrong length.
    public static func run(values: [Double], trueStates: [Int]? = nil, options: Options) throws(RegimeError) -> (result: Result, rows: Rows) {
        let c = options.resolvedEnsemble()
        try c.validate()
        for (i, v) in values.enumerated() where !v.isFinite { throw .nonFiniteObservation(detector: "eval regime", index: i) }
        if let t = trueStates {
            guard t.count == values.count else { throw .invalidTrueStates(reason: "\(t.count) labels for \(values.count) rows") }
            if let i = t.firstIndex(where: { $0 < 0 }) { throw .invalidTrueStates(reason: "negative label \(t[i]) at row \(i)") }
        }
        let ens = try RegimeEnsemble(configuration: c)
        let rows: Rows
        var changes = 0
        switch options.fit {
        case .online:
            guard values.count >= c.warmUp else { throw .notEnoughData(detector: "eval regime --fit online (warm-up)", needed: c.warmUp, got: values.count) }
            (rows, changes) = online(values, ensemble: ens)
        case .offline:
            guard values.count >= 40 else { throw .notEnoughData(detector: "eval regime --fit offline", needed: 40, got: values.count) }
            (rows, changes) = offline(values, ensemble: ens)
        }
        var per: [String: DetectorSummary] = [:]
        for (d, name) in rows.detectors.enumerated() {
            per[name] = summary(values, rows.states[d], k: ens.models[d].stateCount)
        }
        var counts = [Int](repeating: 0, count: c.states)
        for s in rows.ensemble { counts[s] += 1 }
        let uncertain = rows.confidence.filter { $0 < c.confidenceThreshold }.count
        var accuracy: [String: Double]?
        if let t = trueStates {
            var acc: [String: Double] = [:]
            for (d, name) in rows.detectors.enumerated() { acc[name] = matchedAccuracy(rows.states[d], t) }
            acc["ensemble"] = matchedAccuracy(rows.ensemble, t)
            accuracy = acc
        }
        let result = Result(n: values.count, states: c.states, fit: options.fit, perDetector: per,
                            ensemble: EnsembleSummary(stateCounts: counts, uncertainFraction: values.isEmpty ? 0 : Double(uncertain) / Double(values.count), changes: changes),
                            accuracy: accuracy)
        return (result, rows)
    }
}
