// Configuration problems: each names the key path, the value found and what is allowed.

/// One problem found while loading a configuration.
struct ConfigIssue: Sendable, Equatable, Codable, CustomStringConvertible {
    /// Dotted key path, e.g. `modules.multi_agent.redis_port`.
    var path: String
    /// The offending value as written (secrets are replaced by `<redacted>`).
    var value: String
    /// What would be accepted, e.g. `an integer in 1...65535`.
    var allowed: String
    /// Where the value came from: `file.yaml:23`, `environment QUANTUM_AGENT_…`.
    var origin: String

    var description: String {
        "\(path): \(value) is not allowed; expected \(allowed) (\(origin))"
    }
}

/// Why a configuration could not be loaded.
enum ConfigurationError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The file could not be read.
    case unreadable(path: String, reason: String)
    /// The YAML itself is malformed.
    case syntax(source: String, message: String)
    /// The document parsed but some values are wrong; every problem is listed.
    case invalid([ConfigIssue])

    var description: String {
        switch self {
        case .unreadable(let path, let reason):
            return "cannot read configuration file \(path): \(reason)"
        case .syntax(let source, let message):
            return "configuration \(source) is not valid YAML: \(message)"
        case .invalid(let issues):
            let noun = issues.count == 1 ? "problem" : "problems"
            return "configuration has \(issues.count) \(noun):\n"
                + issues.map { "  - \($0.description)" }.joined(separator: "\n")
        }
    }

    /// The individual issues (empty for unreadable and syntax errors).
    var issues: [ConfigIssue] {
        if case .invalid(let issues) = self { return issues }
        return []
    }
}
