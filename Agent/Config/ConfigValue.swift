// A configuration document as a small tree (maps, lists, scalars), each node remembering where
// it came from (file and line, or the environment variable that set it), so validation messages
// can point at the source.

import Yams

/// One node of a configuration document.
struct ConfigValue: Sendable {
    /// The node's shape.
    enum Kind: Sendable {
        /// A YAML scalar, kept as text: it is parsed by the type the schema expects.
        case scalar(String)
        /// An explicit null (`~`, `null`, or an empty value).
        case null
        /// A sequence.
        case list([ConfigValue])
        /// A mapping with its keys in document order.
        case map([ConfigEntry])
    }

    var kind: Kind
    /// Where the node came from: `file.yaml:12:5`, `environment QUANTUM_AGENT_…`, or `default`.
    var origin: String

    /// A short rendering of the node for error messages (`70000`, `[a, b]`, `{…}`).
    var summary: String {
        switch kind {
        case .scalar(let text): return text.isEmpty ? "\"\"" : text
        case .null: return "null"
        case .list(let items): return "[" + items.map(\.summary).joined(separator: ", ") + "]"
        case .map(let entries): return "{" + entries.map { "\($0.key): …" }.joined(separator: ", ") + "}"
        }
    }

    /// The name of the node's shape, for "expected a mapping, found a list" messages.
    var shapeName: String {
        switch kind {
        case .scalar: return "a scalar"
        case .null: return "null"
        case .list: return "a list"
        case .map: return "a mapping"
        }
    }
}

/// One `key: value` pair of a mapping.
struct ConfigEntry: Sendable {
    var key: String
    var value: ConfigValue
}

extension ConfigValue {
    /// Parses YAML text into a tree. An empty document is an empty mapping.
    /// - Throws: `ConfigurationError.syntax` with the line and column of the YAML error.
    static func parse(yaml text: String, source: String) throws(ConfigurationError) -> ConfigValue {
        let node: Node?
        do {
            node = try Yams.compose(yaml: text)
        } catch let error as YamlError {
            throw .syntax(source: source, message: Self.describe(error))
        } catch {
            throw .syntax(source: source, message: String(describing: error))
        }
        guard let node else { return ConfigValue(kind: .map([]), origin: source) }
        return convert(node, source: source)
    }

    private static func describe(_ error: YamlError) -> String {
        switch error {
        case .scanner(let context, let problem, let mark, _), .parser(let context, let problem, let mark, _),
             .composer(let context, let problem, let mark, _):
            let where_ = "line \(mark.line), column \(mark.column)"
            return [context?.text, problem, where_].compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: "; ")
        default:
            return String(describing: error)
        }
    }

    private static func origin(_ mark: Mark?, _ source: String) -> String {
        guard let mark else { return source }
        return "\(source):\(mark.line)"
    }

    private static func convert(_ node: Node, source: String) -> ConfigValue {
        let where_ = origin(node.mark, source)
        switch node {
        case .scalar(let scalar):
            if scalar.style == .plain, ["", "~", "null", "Null", "NULL"].contains(scalar.string) {
                return ConfigValue(kind: .null, origin: where_)
            }
            return ConfigValue(kind: .scalar(scalar.string), origin: where_)
        case .sequence(let sequence):
            return ConfigValue(kind: .list(sequence.map { convert($0, source: source) }), origin: where_)
        case .mapping(let mapping):
            let entries = mapping.map { pair in
                ConfigEntry(key: pair.key.string ?? String(describing: pair.key),
                            value: convert(pair.value, source: source))
            }
            return ConfigValue(kind: .map(entries), origin: where_)
        case .alias:
            return ConfigValue(kind: .null, origin: where_)
        }
    }
}

extension ConfigValue {
    /// Sets the node at `path` (creating mappings on the way), as an environment override does.
    /// A non-mapping found on the way is replaced by a mapping.
    mutating func set(_ value: ConfigValue, at path: ArraySlice<String>) {
        guard let head = path.first else {
            self = value
            return
        }
        var entries: [ConfigEntry]
        if case .map(let existing) = kind { entries = existing } else { entries = [] }
        if let index = entries.firstIndex(where: { $0.key == head }) {
            entries[index].value.set(value, at: path.dropFirst())
        } else {
            var child = ConfigValue(kind: .map([]), origin: value.origin)
            child.set(value, at: path.dropFirst())
            entries.append(ConfigEntry(key: head, value: child))
        }
        kind = .map(entries)
    }
}
