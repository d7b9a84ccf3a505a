// Errors thrown by the Monitoring module.

/// Everything the monitoring computations can reject. Each message names the
/// parameter, the offending value and what is allowed.
public enum MonitoringError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A numeric parameter is outside its allowed range.
    case parameterOutOfRange(name: String, value: Double, allowed: String)
    /// A configuration key holds a value that is not one of the allowed words.
    case invalidValue(name: String, value: String, allowed: [String])
    /// Two inputs that must have the same length do not.
    case lengthMismatch(name: String, expected: Int, actual: Int)
    /// An input that must hold data is empty (or has too few usable rows).
    case notEnoughData(name: String, required: Int, actual: Int)
    /// A label is not 0 or 1.
    case nonBinaryLabel(column: String, row: Int, value: Double)
    /// A probability is NaN, infinite or outside [0, 1].
    case invalidProbability(column: String, row: Int, value: Double)

    public var description: String {
        switch self {
        case let .parameterOutOfRange(name, value, allowed):
            return "\(name) = \(value) is out of range; allowed: \(allowed)"
        case let .invalidValue(name, value, allowed):
            return "\(name) = '\(value)' is not allowed; use one of: \(allowed.joined(separator: ", "))"
        case let .lengthMismatch(name, expected, actual):
            return "\(name) has \(actual) values but \(expected) were expected (all columns must have the same length)"
        case let .notEnoughData(name, required, actual):
            return "\(name) has \(actual) usable values; at least \(required) required"
        case let .nonBinaryLabel(column, row, value):
            return "label column '\(column)' row \(row) = \(value); labels must be 0 or 1"
        case let .invalidProbability(column, row, value):
            return "prediction column '\(column)' row \(row) = \(value); predictions must be probabilities in [0, 1]"
        }
    }
}
