// Parsing and typed reading of `NAME=VALUE` parameters (command-line `--param`).

/// Parses `NAME=VALUE` assignments against a component's known parameter names.
public struct ParameterAssignments: Sendable {
    /// Raw text values by parameter name.
    public private(set) var values: [String: String] = [:]
    private let component: String

    /// Splits each `NAME=VALUE`; throws on a malformed, duplicate or unknown name.
    public init(_ assignments: [String], component: String, allowed: [String]) throws(ParameterError) {
        self.component = component
        for text in assignments {
            guard let eq = text.firstIndex(of: "=") else { throw .malformedAssignment(text) }
            let name = String(text[..<eq]).trimmingSpaces()
            let value = String(text[text.index(after: eq)...]).trimmingSpaces()
            guard !name.isEmpty else { throw .malformedAssignment(text) }
            guard allowed.contains(name) else {
                throw .unknownParameter(name: name, component: component, allowed: allowed)
            }
            guard values[name] == nil else { throw .duplicateParameter(name: name) }
            values[name] = value
        }
    }

    /// Integer parameter, or `default` when absent.
    public func int(_ name: String, default value: Int) throws(ParameterError) -> Int {
        guard let text = values[name] else { return value }
        guard let parsed = Int(text) else {
            throw .invalidValue(name: name, value: text, expected: "an integer")
        }
        return parsed
    }

    /// Finite real parameter, or `default` when absent.
    public func double(_ name: String, default value: Double) throws(ParameterError) -> Double {
        guard let text = values[name] else { return value }
        guard let parsed = Double(text), parsed.isFinite else {
            throw .invalidValue(name: name, value: text, expected: "a finite number")
        }
        return parsed
    }

    /// Text parameter restricted to `choices`, or `default` when absent.
    public func choice(_ name: String, default value: String, choices: [String]) throws(ParameterError) -> String {
        guard let text = values[name] else { return value }
        guard choices.contains(text) else {
            throw .invalidValue(name: name, value: text, expected: "one of \(choices.joined(separator: ", "))")
        }
        return text
    }
}

extension String {
    func trimmingSpaces() -> String {
        var s = Substring(self)
        while s.first == " " { s = s.dropFirst() }
        while s.last == " " { s = s.dropLast() }
        return String(s)
    }
}
