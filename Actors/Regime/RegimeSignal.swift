// The value the regime detector emits per observation.

/// One ensemble output. A plain value: no allocation to build or copy.
public struct RegimeSignal: Sendable, Equatable, Codable {
    /// Ensemble state (canonical, 0 = calmest).
    public var state: Int
    /// Combined probabilities over the K states.
    public var probabilities: RegimeProbabilities
    /// Probability (weighted_average) or weighted vote share (majority) of `state`, 0...1.
    public var confidence: Double
    /// True when `confidence` is below `confidence_threshold`.
    public var uncertain: Bool
    /// True when a confident state differs from the previous confident state (`regime_change`).
    public var changed: Bool
    /// The voting detectors that moved to the new state since the previous change.
    public var triggeredBy: RegimeDetectorSet
    /// Observations seen so far (1 for the first).
    public var tick: Int

    public init(state: Int, probabilities: RegimeProbabilities, confidence: Double, uncertain: Bool,
                changed: Bool, triggeredBy: RegimeDetectorSet, tick: Int) {
        self.state = state; self.probabilities = probabilities; self.confidence = confidence
        self.uncertain = uncertain; self.changed = changed; self.triggeredBy = triggeredBy; self.tick = tick
    }
}

extension RegimeProbabilities: Codable {
    public init(from decoder: any Decoder) throws {
        self.init(try decoder.singleValueContainer().decode([Double].self))
    }
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(values)
    }
}
