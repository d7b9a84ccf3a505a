// EDDM — Early Drift Detection Method.
// Baena-García, M., del Campo-Ávila, J., Fidalgo, R., Bifet, A., Gavaldà, R. &
// Morales-Bueno, R. (2006). "Early drift detection method." 4th International
// Workshop on Knowledge Discovery from Data Streams.
//
// Reference semantics: River 0.26 `drift.binary.EDDM`, operation for operation
// (running mean and sample variance of the distance between errors, maximum of
// mean + 2·std, warning when the ratio drops below alpha, drift below beta; the
// warning flag changes only on error updates; reset at the next update after a drift).

import Foundation

/// EDDM drift detector over a binary error stream (1 = error, 0 = correct).
public struct EDDM: DriftDetector {
    /// Parameters, named and defaulted as River's.
    public struct Configuration: Sendable, Equatable, Codable {
        /// Items and errors seen before detection starts (≥ 0).
        public var warmStart: Int = 30
        /// Warning ratio, 0 < beta ≤ alpha ≤ 1.
        public var alpha: Double = 0.95
        /// Drift ratio, 0 < beta ≤ alpha.
        public var beta: Double = 0.9

        public init(warmStart: Int = 30, alpha: Double = 0.95, beta: Double = 0.9) {
            self.warmStart = warmStart
            self.alpha = alpha
            self.beta = beta
        }

        /// Throws `ParameterError.outOfRange` naming the first invalid parameter.
        public func validate() throws(ParameterError) {
            if warmStart < 0 {
                throw .outOfRange(name: "warm_start", value: "\(warmStart)", allowed: "integer >= 0")
            }
            if !(alpha > 0 && alpha <= 1) {
                throw .outOfRange(name: "alpha", value: "\(alpha)", allowed: "0 < alpha <= 1")
            }
            if !(beta > 0 && beta <= 1) {
                throw .outOfRange(name: "beta", value: "\(beta)", allowed: "0 < beta <= 1")
            }
            if alpha < beta {
                throw .outOfRange(name: "alpha", value: "\(alpha)",
                                  allowed: "alpha >= beta (beta = \(beta))")
            }
        }
    }

    public let configuration: Configuration
    public private(set) var driftDetected = false
    public private(set) var warningDetected = false
    private var n = 0
    private var lastError = 0
    private var errors = 0
    private var distanceCount = 0.0
    private var distanceMean = 0.0
    private var distanceS = 0.0
    private var p2sMax = -1.0

    /// Creates a detector; throws if a parameter is out of range.
    public init(_ configuration: Configuration = Configuration()) throws(ParameterError) {
        try configuration.validate()
        self.configuration = configuration
    }

    public mutating func reset() {
        driftDetected = false
        warningDetected = false
        n = 0; lastError = 0; errors = 0
        distanceCount = 0; distanceMean = 0; distanceS = 0; p2sMax = -1
    }

    public mutating func update(_ x: Double) {
        if driftDetected { reset() }
        n += 1
        guard x == 1 else { return }
        errors += 1
        // River's stats.Var(ddof=1) update.
        let distance = Double(n - lastError)
        let meanOld = distanceMean
        distanceCount += 1.0
        distanceMean += (1.0 / distanceCount) * (distance - distanceMean)
        distanceS += 1.0 * (distance - meanOld) * (distance - distanceMean)
        if n > configuration.warmStart {
            let variance = distanceCount > 1 ? distanceS / (distanceCount - 1) : 0.0
            let p2s = distanceMean + 2 * pow(variance, 0.5)
            if p2s > p2sMax {
                p2sMax = p2s
            } else if errors > configuration.warmStart {
                let level = p2s / p2sMax
                if level < configuration.beta {
                    driftDetected = true
                } else if level < configuration.alpha {
                    warningDetected = true
                } else {
                    warningDetected = false
                }
            }
        }
        lastError = n
    }
}
