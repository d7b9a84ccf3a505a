// Binary confusion matrix counts and the metrics derived from them, with scikit-learn 1.9
// semantics (precision/recall/f1 with zero_division -> 0).

/// Counts of a binary confusion matrix (positive class = label 1).
public struct ConfusionCounts: Sendable, Codable, Equatable {
    public var truePositives = 0
    public var falsePositives = 0
    public var trueNegatives = 0
    public var falseNegatives = 0

    public init() {}

    /// Number of samples counted.
    public var total: Int { truePositives + falsePositives + trueNegatives + falseNegatives }

    /// Adds (`delta` = 1) or removes (`delta` = −1) one sample.
    @inlinable
    public mutating func add(label: Bool, predicted: Bool, delta: Int = 1) {
        switch (label, predicted) {
        case (true, true): truePositives += delta
        case (false, true): falsePositives += delta
        case (false, false): trueNegatives += delta
        case (true, false): falseNegatives += delta
        }
    }

    /// `accuracy_score`: (TP + TN) / n; 0 when empty.
    public var accuracy: Double {
        total == 0 ? 0 : Double(truePositives + trueNegatives) / Double(total)
    }

    /// `precision_score`: TP / (TP + FP); 0 when nothing was predicted positive.
    public var precision: Double {
        let denominator = truePositives + falsePositives
        return denominator == 0 ? 0 : Double(truePositives) / Double(denominator)
    }

    /// `recall_score`: TP / (TP + FN); 0 when there is no positive label.
    public var recall: Double {
        let denominator = truePositives + falseNegatives
        return denominator == 0 ? 0 : Double(truePositives) / Double(denominator)
    }

    /// `f1_score`: 2·TP / ((TP + FN) + (TP + FP)); 0 when the denominator is 0.
    public var f1: Double {
        let denominator = Double(truePositives + falseNegatives) + Double(truePositives + falsePositives)
        return denominator == 0 ? 0 : 2 * Double(truePositives) / denominator
    }
}
