// DDM — Drift Detection Method.
// Gama, J., Medas, P., Castillo, G. & Rodrigues, P. (2004). "Learning with drift
// detection." Brazilian Symposium on Artificial Intelligence (SBIA), 286–295.
//
// Reference semantics: River 0.26 `drift.binary.DDM`, operation for operation
// (running mean p, s = sqrt(p(1-p)/n), minimum of p + s after `warm_start`
// items, warning at p + s > p_min + warning_threshold·s_min, drift at
// p + s > p_min + drift_threshold·s_min, reset at the next update after a drift).

/// DDM drift detector over a binary error stream (1 = error, 0 = correct).
public struct DDM: DriftDetector {
    /// Parameters, named and defaulted as River's.
    public struct Configuration: Sendable, Equatable, Codable {
        /// Items seen before detection starts (≥ 0).
        public var warmStart: Int = 30
        /// Warning threshold in standard deviations (> 0).
        public var warningThreshold: Double = 2.0
        /// Drift threshold in standard deviations (> 0).
        public var driftThreshold: Double = 3.0

        public init(warmStart: Int = 30, warningThreshold: Double = 2.0, driftThreshold: Double = 3.0) {
            self.warmStart = warmStart
            self.warningThreshold = warningThreshold
            self.driftThreshold = driftThreshold
        }

        /// Throws `ParameterError.outOfRange` naming the first invalid parameter.
        public func validate() throws(ParameterError) {
            if warmStart < 0 {
                throw .outOfRange(name: "warm_start", value: "\(warmStart)", allowed: "integer >= 0")
            }
            if !(warningThreshold > 0 && warningThreshold.isFinite) {
                throw .outOfRange(name: "warning_threshold", value: "\(warningThreshold)", allowed: "finite > 0")
            }
            if !(driftThreshold > 0 && driftThreshold.isFinite) {
                throw .outOfRange(name: "drift_threshold", value: "\(driftThreshold)", allowed: "finite > 0")
            }
        }
    }

    public let configuration: Configuration
    public private(set) var driftDetected = false
    public private(set) var warningDetected = false
    private var n = 0.0
    private var p = 0.0
    private var pMin = 0.0
    private var sMin = 0.0
    private var psMin = Double.infinity

    /// Creates a detector; throws if a parameter is out of range.
    public init(_ configuration: Configuration = Configuration()) throws(ParameterError) {
        try configuration.validate()
        self.configuration = configuration
    }

    public mutating func reset() {
        driftDetected = false
        warningDetected = false
        n = 0; p = 0; pMin = 0; sMin = 0; psMin = .infinity
    }

    public mutating func update(_ x: Double) {
        if driftDetected { reset() }
        n += 1.0
        p += (1.0 / n) * (x - p)
        let s = (p * (1 - p) / n).squareRoot()
        guard n > Double(configuration.warmStart) else { return }
        if p + s <= psMin {
            pMin = p
            sMin = s
            psMin = pMin + sMin
        }
        warningDetected = p + s > pMin + configuration.warningThreshold * sMin
        if p + s > pMin + configuration.driftThreshold * sMin {
            driftDetected = true
            warningDetected = false
        }
    }
}
