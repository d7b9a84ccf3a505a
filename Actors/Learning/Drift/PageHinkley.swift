// Page-Hinkley change detection test.
// Page, E. S. (1954). "Continuous inspection schemes." Biometrika 41(1/2), 100–115.
// Hinkley, D. V. (1971). "Inference about the change-point from cumulative sum tests."
//
// Reference semantics: River 0.26 `drift.PageHinkley`, operation for operation
// (running mean, fading cumulative sums of deviations with magnitude delta and
// forgetting factor alpha, test against threshold once min_instances items were
// seen, mode up/down/both, reset at the next update after a drift).

/// Page-Hinkley drift detector.
public struct PageHinkley: DriftDetector {
    /// Which direction of change is detected.
    public enum Mode: String, Sendable, Codable, CaseIterable {
        case both, up, down
    }

    /// Parameters, named and defaulted as River's.
    public struct Configuration: Sendable, Equatable, Codable {
        /// Items before detection starts (≥ 0).
        public var minInstances: Int = 30
        /// Magnitude of tolerated change (finite ≥ 0).
        public var delta: Double = 0.005
        /// Detection threshold λ (finite > 0).
        public var threshold: Double = 50.0
        /// Forgetting factor of the cumulative sums, 0 < alpha ≤ 1.
        public var alpha: Double = 1 - 0.0001
        /// Direction(s) of change to detect.
        public var mode: Mode = .both

        public init(minInstances: Int = 30, delta: Double = 0.005, threshold: Double = 50.0,
                    alpha: Double = 1 - 0.0001, mode: Mode = .both) {
            self.minInstances = minInstances
            self.delta = delta
            self.threshold = threshold
            self.alpha = alpha
            self.mode = mode
        }

        /// Throws `ParameterError.outOfRange` naming the first invalid parameter.
        public func validate() throws(ParameterError) {
            if minInstances < 0 {
                throw .outOfRange(name: "min_instances", value: "\(minInstances)", allowed: "integer >= 0")
            }
            if !(delta >= 0 && delta.isFinite) {
                throw .outOfRange(name: "delta", value: "\(delta)", allowed: "finite >= 0")
            }
            if !(threshold > 0 && threshold.isFinite) {
                throw .outOfRange(name: "threshold", value: "\(threshold)", allowed: "finite > 0")
            }
            if !(alpha > 0 && alpha <= 1) {
                throw .outOfRange(name: "alpha", value: "\(alpha)", allowed: "0 < alpha <= 1")
            }
        }
    }

    public let configuration: Configuration
    public private(set) var driftDetected = false
    public var warningDetected: Bool { false }
    private var n = 0.0
    private var mean = 0.0
    private var sumIncrease = 0.0
    private var sumDecrease = 0.0
    private var minIncrease = Double.infinity
    private var maxDecrease = -1.0

    /// Creates a detector; throws if a parameter is out of range.
    public init(_ configuration: Configuration = Configuration()) throws(ParameterError) {
        try configuration.validate()
        self.configuration = configuration
    }

    public mutating func reset() {
        driftDetected = false
        n = 0; mean = 0; sumIncrease = 0; sumDecrease = 0
        minIncrease = .infinity; maxDecrease = -1
    }

    public mutating func update(_ x: Double) {
        if driftDetected { reset() }
        n += 1.0
        mean += (1.0 / n) * (x - mean)
        let dev = x - mean
        sumIncrease = configuration.alpha * sumIncrease + dev - configuration.delta
        sumDecrease = configuration.alpha * sumDecrease + dev + configuration.delta
        if sumIncrease < minIncrease { minIncrease = sumIncrease }
        if sumDecrease > maxDecrease { maxDecrease = sumDecrease }
        guard n >= Double(configuration.minInstances) else { return }
        let testIncrease = sumIncrease - minIncrease
        let testDecrease = maxDecrease - sumDecrease
        switch configuration.mode {
        case .up: driftDetected = testIncrease > configuration.threshold
        case .down: driftDetected = testDecrease > configuration.threshold
        case .both:
            driftDetected = testIncrease > configuration.threshold || testDecrease > configuration.threshold
        }
    }
}
