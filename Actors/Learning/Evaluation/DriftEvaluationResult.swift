// JSON-ready result of `eval drift`.

/// Result of `eval drift` (the CLI adds `updates_per_s`).
public struct DriftEvaluationResult: Sendable, Equatable, Codable {
    /// Detector name as given (`adwin`, `ddm`, `eddm`, `page-hinkley`, `kswin`).
    public var detector: String
    /// Every parameter value used, defaults included, by River's names.
    public var params: [String: ParameterValue]
    /// Number of values fed.
    public var n: Int
    /// 0-based indices of the rows after whose update a drift was detected.
    public var drifts: [Int]
    /// 0-based indices of the rows after whose update the detector was in its warning
    /// zone (always empty for detectors without one).
    public var warnings: [Int]
}
