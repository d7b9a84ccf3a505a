// Typed errors for invalid detector / model parameters and inputs.

/// An invalid parameter or input value given to a detector, a model or an evaluation.
///
/// Every case names the offending parameter (River's spelling) or row, the value
/// received and what is allowed, so a command-line user can fix the call.
public enum ParameterError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The name is not a parameter of this detector/model.
    case unknownParameter(name: String, component: String, allowed: [String])
    /// The text could not be parsed as the parameter's type.
    case invalidValue(name: String, value: String, expected: String)
    /// The value parsed but lies outside the allowed range.
    case outOfRange(name: String, value: String, allowed: String)
    /// A parameter given twice.
    case duplicateParameter(name: String)
    /// An argument not of the form NAME=VALUE.
    case malformedAssignment(String)
    /// A binary detector (DDM, EDDM) was fed something other than 0 or 1.
    case nonBinaryValue(row: Int, value: Double, detector: String)
    /// A non-finite input value (NaN or ±∞).
    case nonFiniteValue(row: Int, column: String)
    /// A label that is not 0 or 1.
    case nonBinaryLabel(row: Int, value: Double)
    /// A feature row whose length differs from the first row's.
    case rowLength(row: Int, expected: Int, found: Int)
    /// No rows, or rows without any feature column.
    case emptyInput(String)
    /// An unknown detector or model name.
    case unknownComponent(name: String, allowed: [String])

    public var description: String {
        switch self {
        case let .unknownParameter(name, component, allowed):
            return "unknown parameter '\(name)' for \(component); allowed: \(allowed.joined(separator: ", "))"
        case let .invalidValue(name, value, expected):
            return "parameter '\(name)': '\(value)' is not \(expected)"
        case let .outOfRange(name, value, allowed):
            return "parameter '\(name)': \(value) is out of range; allowed: \(allowed)"
        case let .duplicateParameter(name):
            return "parameter '\(name)' given more than once"
        case let .malformedAssignment(text):
            return "parameter '\(text)' is not of the form NAME=VALUE"
        case let .nonBinaryValue(row, value, detector):
            return "row \(row): value \(value) is not 0 or 1 (\(detector) reads binary error indicators)"
        case let .nonFiniteValue(row, column):
            return "row \(row), column '\(column)': value is NaN or infinite"
        case let .nonBinaryLabel(row, value):
            return "row \(row): label \(value) is not 0 or 1"
        case let .rowLength(row, expected, found):
            return "row \(row): \(found) feature values, expected \(expected)"
        case let .emptyInput(what):
            return "empty input: \(what)"
        case let .unknownComponent(name, allowed):
            return "unknown name '\(name)'; allowed: \(allowed.joined(separator: ", "))"
        }
    }
}
