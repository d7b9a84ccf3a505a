// Common protocol of the concept-drift detectors.
//
// Semantics follow River 0.26 (`river.base.DriftDetector`): a detector is fed one
// value per update; after an update that raised `driftDetected`, the next call to
// `update` first resets the detector to its initial state (River's
// `if self.drift_detected: self._reset()`), so every detection starts a fresh window.

/// A streaming concept-drift detector fed one value at a time.
///
/// Conforming types are plain value types with no clock, I/O or actor inside;
/// `update` does not allocate.
public protocol DriftDetector: Sendable {
    /// Feeds one value. For the binary detectors (DDM, EDDM) `x` is an error
    /// indicator: 1 for an error, 0 for a correct prediction.
    mutating func update(_ x: Double)
    /// `true` when the last `update` detected a drift.
    var driftDetected: Bool { get }
    /// `true` when the last `update` left the detector in its warning zone
    /// (always `false` for detectors without a warning zone).
    var warningDetected: Bool { get }
    /// Returns the detector to its freshly initialised state (same parameters).
    mutating func reset()
}
