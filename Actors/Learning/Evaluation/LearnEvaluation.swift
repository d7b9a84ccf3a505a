// Pure core of `quantum-agent eval learn`: parameter validation, a prequential run
// (predict with the champion, then learn) of a managed model over numeric rows, and
// the JSON-ready result. No I/O, no clock: a row's time is its 0-based index.

/// A validated `eval learn` request.
public struct LearnEvaluation: Sendable {
    public let kind: ModelKind
    /// All parameter values used, defaults included.
    public let parameters: [String: ParameterValue]
    private let factory: ModelFactory
    private let managerConfiguration: ModelManager.Configuration

    /// Validates the model name and `NAME=VALUE` parameters; `seed` (from `--seed`)
    /// overrides the `seed` parameter.
    /// - Throws: `ParameterError` naming the unknown model, or the unknown / invalid /
    ///   out-of-range parameter with its allowed range.
    public init(model name: String, parameters assignments: [String], seed: Int? = nil) throws(ParameterError) {
        guard let kind = ModelKind(rawValue: name) else {
            throw .unknownComponent(name: name, allowed: ModelKind.allCases.map(\.rawValue))
        }
        self.kind = kind
        let p = try ParameterAssignments(assignments, component: name,
                                         allowed: ModelFactory.parameterNames(kind) + ModelFactory.managerNames)
        var used: [String: ParameterValue] = [:]
        factory = try ModelFactory(kind: kind, p, seed: seed, used: &used)
        var m = ModelManager.Configuration()
        m.warningDelta = try p.double("warning_delta_champion", default: m.warningDelta)
        m.driftDelta = try p.double("drift_delta_champion", default: m.driftDelta)
        m.recentWindow = try p.int("recent_window", default: m.recentWindow)
        m.minChallengerSamples = try p.int("min_challenger_samples", default: m.minChallengerSamples)
        m.regimeTrial = try p.int("regime_trial", default: m.regimeTrial)
        try m.validate()
        used["warning_delta_champion"] = .double(m.warningDelta)
        used["drift_delta_champion"] = .double(m.driftDelta)
        used["recent_window"] = .int(m.recentWindow)
        used["min_challenger_samples"] = .int(m.minChallengerSamples)
        used["regime_trial"] = .int(m.regimeTrial)
        managerConfiguration = m
        parameters = used
    }

    /// Checks shapes and labels: every row as long as the first (≥ 1 feature), all values
    /// finite, labels 0 or 1, as many labels as rows.
    public func validate(features: [[Double]], labels: [Double]) throws(ParameterError) {
        guard let first = features.first else { throw .emptyInput("no data rows") }
        guard !first.isEmpty else { throw .emptyInput("no feature column besides the label") }
        guard labels.count == features.count else {
            throw .rowLength(row: min(labels.count, features.count), expected: features.count, found: labels.count)
        }
        for (row, x) in features.enumerated() {
            guard x.count == first.count else { throw .rowLength(row: row, expected: first.count, found: x.count) }
            for v in x where !v.isFinite { throw .nonFiniteValue(row: row, column: "feature") }
            let y = labels[row]
            guard y == 0 || y == 1 else { throw .nonBinaryLabel(row: row, value: y) }
        }
    }

    /// A fresh managed model for rows of `dimension` features (for the actor or the CLI).
    public func makeManager(dimension: Int, time: Double = 0) throws(ParameterError) -> ModelManager {
        try ModelManager(model: try factory.make(dimension: dimension), configuration: managerConfiguration, time: time)
    }

    /// Validates, then runs prequentially over all rows in order.
    public func run(features: [[Double]], labels: [Double]) throws(ParameterError) -> LearnEvaluationResult {
        try validate(features: features, labels: labels)
        var manager = try makeManager(dimension: features[0].count)
        var correct = 0
        var drifts: [Int] = []
        for (row, x) in features.enumerated() {
            let y = labels[row] == 1
            let events = manager.learn(x, label: y, time: Double(row))
            if events.championPrediction == y { correct += 1 }
            if events.drift { drifts.append(row) }
        }
        return LearnEvaluationResult(model: kind.rawValue, params: parameters, n: features.count,
                                     accuracy: Double(correct) / Double(features.count),
                                     drifts: drifts, versions: manager.versions)
    }
}
