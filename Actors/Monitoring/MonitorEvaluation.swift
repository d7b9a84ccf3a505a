// Batch evaluation behind `quantum-agent eval monitor`: performance and drift metrics of a
// labelled prediction file, every value under its METRICS.md name.

import Foundation

/// One named feature column.
public struct FeatureColumn: Sendable, Equatable {
    public var name: String
    public var values: [Double]

    public init(name: String, values: [Double]) {
        self.name = name
        self.values = values
    }
}

/// The JSON document printed by `quantum-agent eval monitor`.
public struct MonitorReport: Sendable, Codable, Equatable {
    /// Data rows in the input.
    public var rows: Int
    /// Rows used as the drift reference (the first ones).
    public var referenceRows: Int
    /// Rows compared against the reference (the rest).
    public var currentRows: Int
    /// Sensitivity whose thresholds decided `drifted`.
    public var driftSensitivity: DriftSensitivity
    /// Every value under its Prometheus sample name, e.g. `quantum_agent_model_accuracy_ratio`
    /// or `quantum_agent_drift_psi_ratio{series="prediction"}`; `null` when undefined
    /// (ROC AUC with a single class).
    public var metrics: [String: Double?]
    /// Per drift series (`prediction` and each feature): true when a statistic exceeds its threshold.
    public var drifted: [String: Bool]
    /// Per feature column: NaN or infinite values left out of the drift statistics.
    public var nonFiniteValues: [String: Int]
}

/// Pure evaluation of label / prediction / feature columns (no I/O).
public enum MonitorEvaluation {
    /// Computes the report.
    ///
    /// Performance metrics use **all** rows (hard prediction = probability ≥ `decisionThreshold`).
    /// Drift compares the first `referenceRows` rows (default: half, rounded down) with the
    /// remaining rows, for the prediction column and each feature; label drift is the absolute
    /// change of the positive rate.
    ///
    /// - Throws: `MonitoringError` — `.lengthMismatch` when a column's length differs from the
    ///   label column, `.notEnoughData` with fewer than 2 rows, `.nonBinaryLabel` for a label
    ///   other than 0/1, `.invalidProbability` for a prediction outside [0, 1] or non-finite,
    ///   `.parameterOutOfRange` for `--reference-rows` outside 1 … rows − 1.
    public static func evaluate(labels: [Double], predictions: [Double], features: [FeatureColumn] = [],
                                referenceRows: Int? = nil, labelColumn: String = "label",
                                predictionColumn: String = "prediction",
                                sensitivity: DriftSensitivity = .high,
                                decisionThreshold: Double = ClassificationMetrics.defaultDecisionThreshold,
                                calibrationBins: Int = ClassificationMetrics.defaultCalibrationBins) throws(MonitoringError) -> MonitorReport {
        let n = labels.count
        guard n >= 2 else { throw .notEnoughData(name: "input rows", required: 2, actual: n) }
        guard predictions.count == n else { throw .lengthMismatch(name: predictionColumn, expected: n, actual: predictions.count) }
        for feature in features where feature.values.count != n {
            throw .lengthMismatch(name: feature.name, expected: n, actual: feature.values.count)
        }
        let reference = referenceRows ?? n / 2
        guard reference >= 1, reference <= n - 1 else {
            throw .parameterOutOfRange(name: "--reference-rows", value: Double(reference), allowed: "1...\(n - 1)")
        }
        var binary = [UInt8](repeating: 0, count: n)
        for (row, label) in labels.enumerated() {
            switch label {
            case 0: binary[row] = 0
            case 1: binary[row] = 1
            default: throw .nonBinaryLabel(column: labelColumn, row: row + 1, value: label)
            }
        }
        for (row, p) in predictions.enumerated() where !(p >= 0 && p <= 1) {
            throw .invalidProbability(column: predictionColumn, row: row + 1, value: p)
        }

        var metrics: [String: Double?] = [:]
        var drifted: [String: Bool] = [:]
        var nonFinite: [String: Int] = [:]
        let thresholds = sensitivity.thresholds

        // Performance over all rows.
        let performance = performanceMetrics(labels: binary, scores: predictions,
                                             threshold: decisionThreshold, bins: calibrationBins)
        for (key, value) in performance { metrics[key] = value }

        // Drift: prediction and features.
        var series: [(name: String, values: [Double], isFeature: Bool)] = [("prediction", predictions, false)]
        for feature in features { series.append((feature.name, feature.values, true)) }
        var score = 0.0
        for (name, values, isFeature) in series {
            let drift = DriftMath.statistics(reference: Array(values[0..<reference]), current: Array(values[reference...]))
            let label = "{series=\"\(escapeLabel(name))\"}"
            metrics[MetricCatalog.driftPSI + label] = drift.psi
            metrics[MetricCatalog.driftKS + label] = drift.ksStatistic
            metrics[MetricCatalog.driftWasserstein + label] = drift.wasserstein
            drifted[name] = thresholds.isDrifted(drift)
            if isFeature { nonFinite[name] = values.count - drift.referenceCount - drift.currentCount }
            score = max(score, drift.score)
        }
        let refPositives = binary[0..<reference].reduce(0) { $0 + Int($1) }
        let curPositives = binary[reference...].reduce(0) { $0 + Int($1) }
        let shift = abs(Double(curPositives) / Double(n - reference) - Double(refPositives) / Double(reference))
        metrics[MetricCatalog.labelShift] = shift
        drifted["label"] = shift > thresholds.labelShift
        metrics[MetricCatalog.driftScore] = max(score, shift)
        return MonitorReport(rows: n, referenceRows: reference, currentRows: n - reference,
                             driftSensitivity: sensitivity, metrics: metrics, drifted: drifted, nonFiniteValues: nonFinite)
    }

    private static func performanceMetrics(labels: [UInt8], scores: [Double], threshold: Double,
                                           bins: Int) -> [String: Double?] {
        var pairs = [ScoredLabel](repeating: ScoredLabel(score: 0, positive: false), count: labels.count)
        return labels.withUnsafeBufferPointer { l in
            scores.withUnsafeBufferPointer { s in
                pairs.withUnsafeMutableBufferPointer { scratch in
                    let confusion = ClassificationMetrics.confusion(labels: l, scores: s, threshold: threshold)
                    return [
                        MetricCatalog.accuracy: confusion.accuracy,
                        MetricCatalog.precision: confusion.precision,
                        MetricCatalog.recall: confusion.recall,
                        MetricCatalog.f1: confusion.f1,
                        MetricCatalog.logLoss: ClassificationMetrics.logLoss(labels: l, scores: s),
                        MetricCatalog.brier: ClassificationMetrics.brierScore(labels: l, scores: s),
                        MetricCatalog.calibrationError: ClassificationMetrics.expectedCalibrationError(labels: l, scores: s, bins: bins),
                        MetricCatalog.rocAUC: ClassificationMetrics.rocAUC(labels: l, scores: s, scratch: scratch),
                    ]
                }
            }
        }
    }

    /// Escapes a Prometheus label value (backslash, double quote, newline).
    static func escapeLabel(_ value: String) -> String {
        value.replacingOccurrences(of: "\\", with: "\\\\")
            .replacingOccurrences(of: "\"", with: "\\\"")
            .replacingOccurrences(of: "\n", with: "\\n")
    }
}
