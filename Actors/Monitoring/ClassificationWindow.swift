// Sliding-window model-performance metrics (accuracy … ROC AUC) over the last N labelled predictions.

/// The model-performance metrics of a window (METRICS.md, group "model performance").
public struct ClassificationReport: Sendable, Codable, Equatable {
    /// Number of labelled predictions in the window.
    public var count: Int
    /// Confusion counts at the decision threshold.
    public var confusion: ConfusionCounts
    public var accuracy: Double
    public var precision: Double
    public var recall: Double
    public var f1: Double
    /// Log loss in nats.
    public var logLoss: Double
    public var brierScore: Double
    /// Expected calibration error over uniform bins.
    public var calibrationError: Double
    /// ROC AUC; `nil` when the window holds only one class.
    public var rocAUC: Double?
    /// Fraction of labels equal to 1.
    public var positiveRate: Double
}

/// Labelled predictions over a sliding window of the last `capacity` samples.
///
/// `record` is O(1) and allocation-free (preallocated rings, incremental confusion counts);
/// `report()` is O(n log n) (ROC AUC sorts a preallocated scratch buffer) and is meant to
/// run once per `metrics_interval`, off the hot path.
public struct ClassificationWindow: Sendable {
    /// Maximum number of samples kept.
    public let capacity: Int
    /// Probability at or above which the hard prediction is 1.
    public let decisionThreshold: Double
    /// Number of uniform calibration bins.
    public let calibrationBins: Int
    private var labels: [UInt8]
    private var scores: [Double]
    private var scratch: [ScoredLabel]
    private var head = 0
    /// Number of samples currently held (≤ capacity).
    public private(set) var count = 0
    /// Running confusion counts of the samples held.
    public private(set) var confusion = ConfusionCounts()
    /// Samples rejected because the probability was not finite in [0, 1].
    public private(set) var rejectedCount = 0

    /// - Parameters:
    ///   - capacity: window length in samples, 1 … 10,000,000.
    ///   - decisionThreshold: in (0, 1); default 0.5.
    ///   - calibrationBins: 1 … 1000; default 10.
    /// - Throws: `MonitoringError.parameterOutOfRange` naming the bad parameter.
    public init(capacity: Int, decisionThreshold: Double = ClassificationMetrics.defaultDecisionThreshold,
                calibrationBins: Int = ClassificationMetrics.defaultCalibrationBins) throws(MonitoringError) {
        guard (1...10_000_000).contains(capacity) else {
            throw .parameterOutOfRange(name: "capacity", value: Double(capacity), allowed: "1...10000000")
        }
        guard decisionThreshold > 0, decisionThreshold < 1 else {
            throw .parameterOutOfRange(name: "decisionThreshold", value: decisionThreshold, allowed: "(0, 1)")
        }
        guard (1...1000).contains(calibrationBins) else {
            throw .parameterOutOfRange(name: "calibrationBins", value: Double(calibrationBins), allowed: "1...1000")
        }
        self.capacity = capacity
        self.decisionThreshold = decisionThreshold
        self.calibrationBins = calibrationBins
        labels = [UInt8](repeating: 0, count: capacity)
        scores = [Double](repeating: 0, count: capacity)
        scratch = [ScoredLabel](repeating: ScoredLabel(score: 0, positive: false), count: capacity)
    }

    /// Records one labelled prediction (`probability` = predicted P(label = 1)).
    /// Returns false (and counts a rejection) when the probability is not finite in [0, 1].
    @discardableResult
    public mutating func record(label: Bool, probability: Double) -> Bool {
        guard probability >= 0, probability <= 1 else {   // false for NaN too
            rejectedCount += 1
            return false
        }
        if count == capacity {
            confusion.add(label: labels[head] != 0, predicted: scores[head] >= decisionThreshold, delta: -1)
        } else {
            count += 1
        }
        labels[head] = label ? 1 : 0
        scores[head] = probability
        confusion.add(label: label, predicted: probability >= decisionThreshold)
        head += 1
        if head == capacity { head = 0 }
        return true
    }

    /// Forgets every sample (e.g. after a model swap).
    public mutating func reset() {
        head = 0
        count = 0
        confusion = ConfusionCounts()
    }

    /// Fraction of labels equal to 1 in the window (0 when empty).
    public var positiveRate: Double {
        count == 0 ? 0 : Double(confusion.truePositives + confusion.falseNegatives) / Double(count)
    }

    /// All performance metrics of the window; `nil` when it is empty.
    /// Order inside the ring does not matter to any metric.
    public mutating func report() -> ClassificationReport? {
        guard count > 0 else { return nil }
        let n = count
        let confusion = self.confusion
        let bins = calibrationBins
        let positiveRate = self.positiveRate
        return labels.withUnsafeBufferPointer { l in
            scores.withUnsafeBufferPointer { s in
                scratch.withUnsafeMutableBufferPointer { pairs in
                    let lb = UnsafeBufferPointer(rebasing: l[0..<n])
                    let sb = UnsafeBufferPointer(rebasing: s[0..<n])
                    return ClassificationReport(
                        count: n, confusion: confusion,
                        accuracy: confusion.accuracy, precision: confusion.precision,
                        recall: confusion.recall, f1: confusion.f1,
                        logLoss: ClassificationMetrics.logLoss(labels: lb, scores: sb),
                        brierScore: ClassificationMetrics.brierScore(labels: lb, scores: sb),
                        calibrationError: ClassificationMetrics.expectedCalibrationError(labels: lb, scores: sb, bins: bins),
                        rocAUC: ClassificationMetrics.rocAUC(labels: lb, scores: sb, scratch: pairs),
                        positiveRate: positiveRate)
                }
            }
        }
    }
}
