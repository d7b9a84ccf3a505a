// Binary-classification metrics with scikit-learn 1.9 semantics.
//
// References (the semantics followed exactly; see METRICS.md for each formula):
// - accuracy_score, precision_score, recall_score, f1_score (zero_division="warn" → 0),
//   log_loss (probabilities clipped to [eps, 1 − eps], eps = float64 machine epsilon),
//   brier_score_loss (binary, scale_by_half), roc_auc_score (roc_curve with
//   drop_intermediate=True, trapezoidal area; Hanley & McNeil, 1982),
//   calibration_curve(strategy="uniform") for the expected calibration error
//   (Naeini, Cooper & Hauskrecht, 2015).

import Foundation

/// Pure batch computations over label (0/1) and probability buffers of equal length.
/// Callers validate inputs (labels 0 or 1, probabilities finite in [0, 1]).
public enum ClassificationMetrics {
    /// Default decision threshold: a probability ≥ 0.5 predicts class 1.
    public static let defaultDecisionThreshold = 0.5
    /// Default number of uniform bins for the expected calibration error.
    public static let defaultCalibrationBins = 10

    /// Confusion counts with hard predictions `score >= threshold`.
    public static func confusion(labels: UnsafeBufferPointer<UInt8>, scores: UnsafeBufferPointer<Double>,
                                 threshold: Double = defaultDecisionThreshold) -> ConfusionCounts {
        var counts = ConfusionCounts()
        for k in 0..<min(labels.count, scores.count) {
            counts.add(label: labels[k] != 0, predicted: scores[k] >= threshold)
        }
        return counts
    }

    /// `log_loss(y, p, labels=[0, 1])` in nats: mean of −ln(clip(p)) for label 1 and
    /// −ln(clip(1 − p)) for label 0, clip to [ε, 1 − ε] with ε = 2.22e-16. 0 when empty.
    public static func logLoss(labels: UnsafeBufferPointer<UInt8>, scores: UnsafeBufferPointer<Double>) -> Double {
        let n = min(labels.count, scores.count)
        guard n > 0 else { return 0 }
        let eps = Double.ulpOfOne
        var total = 0.0
        for k in 0..<n {
            let p = labels[k] != 0 ? scores[k] : 1 - scores[k]
            total -= log(min(max(p, eps), 1 - eps))
        }
        return total / Double(n)
    }

    /// `brier_score_loss(y, p)`: ½ · mean(((1 − y) − (1 − p))² + (y − p)²), computed in that
    /// order as scikit-learn does (its binary form). 0 when empty.
    public static func brierScore(labels: UnsafeBufferPointer<UInt8>, scores: UnsafeBufferPointer<Double>) -> Double {
        let n = min(labels.count, scores.count)
        guard n > 0 else { return 0 }
        var total = 0.0
        for k in 0..<n {
            let y = labels[k] != 0 ? 1.0 : 0.0
            let p = scores[k]
            let negative = (1 - y) - (1 - p)
            let positive = y - p
            total += negative * negative + positive * positive
        }
        return total / Double(n) * 0.5
    }

    /// Expected calibration error over `bins` uniform bins, in [0, 1]:
    /// `Σ_b (n_b / n) · |mean(y)_b − mean(p)_b|` over non-empty bins, with scikit-learn's
    /// `calibration_curve(strategy="uniform")` binning: edges `i · (1/bins)`, and a
    /// probability goes to the bin whose index is the number of inner edges strictly below it.
    /// 0 when empty.
    public static func expectedCalibrationError(labels: UnsafeBufferPointer<UInt8>, scores: UnsafeBufferPointer<Double>,
                                                bins: Int = defaultCalibrationBins) -> Double {
        let n = min(labels.count, scores.count)
        guard n > 0, bins > 0 else { return 0 }
        let step = 1.0 / Double(bins)
        // Bins are few (≤ 64 keeps this on the stack); accumulate per bin in one pass.
        return withUnsafeTemporaryAllocation(of: (total: Int, positives: Double, sum: Double).self, capacity: bins) { acc in
            for b in 0..<bins { acc[b] = (0, 0, 0) }
            for k in 0..<n {
                let p = scores[k]
                let clamped = p.isFinite ? min(max(p, 0), 1) : 0
                var bin = min(max(Int(clamped * Double(bins)) - 1, 0), bins - 1)
                while bin > 0 && !(Double(bin) * step < p) { bin -= 1 }
                while bin < bins - 1 && Double(bin + 1) * step < p { bin += 1 }
                acc[bin].total += 1
                acc[bin].positives += labels[k] != 0 ? 1 : 0
                acc[bin].sum += p
            }
            var ece = 0.0
            for b in 0..<bins where acc[b].total > 0 {
                let count = Double(acc[b].total)
                ece += count / Double(n) * abs(acc[b].positives / count - acc[b].sum / count)
            }
            return ece
        }
    }

    /// `roc_auc_score(y, p)`; `nil` when only one class is present (scikit-learn returns NaN).
    ///
    /// `pairs` is scratch storage of at least `n` elements; it is overwritten (sorted by
    /// score, descending). Ties are handled as scikit-learn does: one ROC point per distinct
    /// score, collinear points dropped, trapezoidal area.
    public static func rocAUC(labels: UnsafeBufferPointer<UInt8>, scores: UnsafeBufferPointer<Double>,
                              scratch pairs: UnsafeMutableBufferPointer<ScoredLabel>) -> Double? {
        let n = min(labels.count, scores.count, pairs.count)
        guard n > 0 else { return nil }
        for k in 0..<n { pairs[k] = ScoredLabel(score: scores[k], positive: labels[k] != 0) }
        var sorted = UnsafeMutableBufferPointer(rebasing: pairs[0..<n])
        sorted.sort { $0.score > $1.score }
        return rocAUC(sortedDescending: UnsafeBufferPointer(sorted))
    }

    /// ROC AUC of pairs already sorted by descending score.
    public static func rocAUC(sortedDescending pairs: UnsafeBufferPointer<ScoredLabel>) -> Double? {
        let n = pairs.count
        var positives = 0
        for pair in pairs where pair.positive { positives += 1 }
        guard positives > 0, positives < n else { return nil }
        let totalTP = Double(positives), totalFP = Double(n - positives)
        // Walk the ROC points (one per distinct score), keeping a 3-point window to drop
        // collinear points exactly like roc_curve(drop_intermediate=True).
        var area = 0.0
        var lastKept = (fp: 0.0, tp: 0.0)      // the (0, 0) point scikit-learn prepends
        var previous: (fp: Double, tp: Double)? = nil   // candidate awaiting its successor
        var beforePrevious: (fp: Double, tp: Double)? = nil
        var isFirstPoint = true
        var tp = 0.0
        var k = 0
        func addSegment(_ point: (fp: Double, tp: Double)) {
            let x0 = lastKept.fp / totalFP, x1 = point.fp / totalFP
            let y0 = lastKept.tp / totalTP, y1 = point.tp / totalTP
            area += (x1 - x0) * (y1 + y0) / 2
            lastKept = point
        }
        while k < n {
            let score = pairs[k].score
            while k < n && pairs[k].score == score {
                if pairs[k].positive { tp += 1 }
                k += 1
            }
            let point = (fp: Double(k) - tp, tp: tp)
            if isFirstPoint {
                addSegment(point)          // the first threshold is always kept
                isFirstPoint = false
                beforePrevious = point
                continue
            }
            if let prev = previous, let before = beforePrevious {
                let corner = (point.fp - prev.fp) - (prev.fp - before.fp) != 0
                    || (point.tp - prev.tp) - (prev.tp - before.tp) != 0
                if corner { addSegment(prev) }
                beforePrevious = prev
            }
            previous = point
        }
        if let prev = previous { addSegment(prev) }   // the last threshold is always kept
        return area
    }
}

/// One (score, label) pair, the scratch element of `ClassificationMetrics.rocAUC`.
public struct ScoredLabel: Sendable, Equatable {
    public var score: Double
    public var positive: Bool

    public init(score: Double, positive: Bool) {
        self.score = score
        self.positive = positive
    }
}
