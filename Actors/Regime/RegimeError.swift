// Errors of the Regime module: every message names the parameter, the value and what is allowed.

/// An error raised by a regime detector, the ensemble or the evaluation core.
public enum RegimeError: Error, Equatable, CustomStringConvertible, Sendable {
    /// A configuration parameter is out of its allowed range.
    case invalidParameter(name: String, value: String, allowed: String)
    /// A fit was asked for with too few observations.
    case notEnoughData(detector: String, needed: Int, got: Int)
    /// An observation (or a fit window value) is NaN or infinite.
    case nonFiniteObservation(detector: String, index: Int)
    /// The detector name is not one of the known ones.
    case unknownDetector(name: String, known: [String])
    /// The input series has a `true_state` column of the wrong length or with a negative label.
    case invalidTrueStates(reason: String)

    public var description: String {
        switch self {
        case let .invalidParameter(name, value, allowed):
            return "invalid \(name) '\(value)': allowed \(allowed)"
        case let .notEnoughData(detector, needed, got):
            return "\(detector): fit needs at least \(needed) observations, got \(got)"
        case let .nonFiniteObservation(detector, index):
            return "\(detector): observation at index \(index) is not a finite number"
        case let .unknownDetector(name, known):
            return "invalid --detectors entry '\(name)': allowed \(known.joined(separator: ", ")), all, ensemble"
        case let .invalidTrueStates(reason):
            return "invalid true_state column: \(reason)"
        }
    }
}
