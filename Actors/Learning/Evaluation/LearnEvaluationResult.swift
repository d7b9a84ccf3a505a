// JSON-ready result of `eval learn`.

/// Result of `eval learn` (the CLI adds `items_per_s`).
public struct LearnEvaluationResult: Sendable, Equatable, Codable {
    /// Model family as given (`online-gd`, `incremental-svm`, `stream-rf`, `ensemble`).
    public var model: String
    /// Every parameter value used, defaults included.
    public var params: [String: ParameterValue]
    public var n: Int
    /// Prequential accuracy (fraction of rows predicted right before learning them).
    public var accuracy: Double
    /// 0-based rows after which the champion's drift detector fired.
    public var drifts: [Int]
    /// Champion versions (the first is the initial model); `time` is the row index.
    public var versions: [ModelVersion]
}
