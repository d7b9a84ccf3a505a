// Online standardisation, River 0.26 `preprocessing.StandardScaler` (with_std=True):
// Welford running mean and population variance per feature; a feature with zero
// variance maps to 0.

import Foundation

/// Running per-feature standard scaler (River semantics).
public struct StandardScaler: Sendable, Codable, Equatable {
    public private(set) var count: Double = 0
    public private(set) var means: [Double]
    public private(set) var variances: [Double]
    /// pow(variance, 0.5) per feature, cached at learn time (the value River computes
    /// in every `transform_one`).
    private(set) var deviations: [Double]

    /// A scaler for `dimension` features.
    public init(dimension: Int) {
        means = [Double](repeating: 0, count: dimension)
        variances = [Double](repeating: 0, count: dimension)
        deviations = [Double](repeating: 0, count: dimension)
    }

    /// Number of features.
    public var dimension: Int { means.count }

    /// Updates the running statistics with one feature vector.
    public mutating func learn(_ x: [Double]) {
        count += 1
        for i in 0..<min(x.count, means.count) {
            let old = means[i]
            means[i] += (x[i] - old) / count
            variances[i] += ((x[i] - old) * (x[i] - means[i]) - variances[i]) / count
            deviations[i] = pow(variances[i], 0.5)
        }
    }

    /// Standardised value of feature `i` (0 when its variance is 0).
    @inline(__always)
    public func transform(_ value: Double, at i: Int) -> Double {
        variances[i] != 0 ? (value - means[i]) / deviations[i] : 0.0
    }
}
