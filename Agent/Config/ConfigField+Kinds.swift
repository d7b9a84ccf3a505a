import Foundation

// Field kinds: integers and numbers with ranges, booleans, strings (free, non-empty, one of a
// set, secret), string lists, enumerations, nested sections and lists of sections.

extension ConfigField {
    /// An integer in `range` (units belong in the key name or the doc).
    static func int(_ key: String, _ keyPath: WritableKeyPath<Root, Int>, range: ClosedRange<Int>,
                    doc: String) -> Self {
        let allowed = range.upperBound == Int.max ? "an integer ≥ \(range.lowerBound)"
            : "an integer in \(range.lowerBound)...\(range.upperBound)"
        return ConfigField(key: key, doc: doc, decode: { root, value, path, context in
            guard case .scalar(let text) = value.kind,
                  let parsed = Int(text.trimmingCharacters(in: .whitespaces).replacingOccurrences(of: "_", with: "")),
                  range.contains(parsed) else {
                context.report(path: path, value: value, allowed: allowed)
                return
            }
            root[keyPath: keyPath] = parsed
        }, render: { root, _ in .scalar(String(root[keyPath: keyPath])) })
    }

    /// A number in `range`; integers are accepted.
    static func double(_ key: String, _ keyPath: WritableKeyPath<Root, Double>, range: ClosedRange<Double>,
                       doc: String) -> Self {
        let allowed = range.upperBound == .greatestFiniteMagnitude ? "a number ≥ \(format(range.lowerBound))"
            : "a number in \(format(range.lowerBound))...\(format(range.upperBound))"
        return ConfigField(key: key, doc: doc, decode: { root, value, path, context in
            guard case .scalar(let text) = value.kind,
                  let parsed = Double(text.trimmingCharacters(in: .whitespaces).replacingOccurrences(of: "_", with: "")),
                  parsed.isFinite, range.contains(parsed) else {
                context.report(path: path, value: value, allowed: allowed)
                return
            }
            root[keyPath: keyPath] = parsed
        }, render: { root, _ in .scalar(format(root[keyPath: keyPath])) })
    }

    /// A boolean: `true`/`false` (any case, so Python's `True` works), `yes`/`no`, `on`/`off`.
    static func bool(_ key: String, _ keyPath: WritableKeyPath<Root, Bool>, doc: String) -> Self {
        ConfigField(key: key, doc: doc, decode: { root, value, path, context in
            guard case .scalar(let text) = value.kind, let parsed = parseBool(text) else {
                context.report(path: path, value: value, allowed: "true or false")
                return
            }
            root[keyPath: keyPath] = parsed
        }, render: { root, _ in .scalar(root[keyPath: keyPath] ? "true" : "false") })
    }

    /// A string; `oneOf` restricts it (matched case-insensitively, stored in the listed
    /// spelling); `nonEmpty` refuses ""; `secret` redacts it in messages and `config print`.
    static func string(_ key: String, _ keyPath: WritableKeyPath<Root, String>, oneOf: [String]? = nil,
                       nonEmpty: Bool = false, secret: Bool = false, doc: String) -> Self {
        let allowed = oneOf.map { "one of " + $0.joined(separator: ", ") }
            ?? (nonEmpty ? "a non-empty string" : "a string")
        return ConfigField(key: key, doc: doc, decode: { root, value, path, context in
            var text: String
            switch value.kind {
            case .scalar(let scalar): text = scalar
            case .null where !nonEmpty && oneOf == nil: text = ""
            default:
                context.report(path: path, value: value, allowed: allowed, secret: secret)
                return
            }
            if let oneOf {
                guard let match = oneOf.first(where: { $0.lowercased() == text.lowercased() }) else {
                    context.report(path: path, value: value, allowed: allowed, secret: secret)
                    return
                }
                text = match
            }
            if nonEmpty, text.trimmingCharacters(in: .whitespaces).isEmpty {
                context.report(path: path, value: value, allowed: allowed, secret: secret)
                return
            }
            root[keyPath: keyPath] = text
        }, render: { root, redact in
            let text = root[keyPath: keyPath]
            return .scalar(secret && redact && !text.isEmpty ? quote("<redacted>") : quote(text))
        })
    }

    /// A value of a string enumeration (matched case-insensitively, `-`/`_` ignored).
    static func choice<E: RawRepresentable & CaseIterable>(_ key: String, _ keyPath: WritableKeyPath<Root, E>,
                                                          doc: String) -> Self where E.RawValue == String {
        let names = E.allCases.map(\.rawValue)
        func normal(_ s: String) -> String {
            s.lowercased().replacingOccurrences(of: "-", with: "").replacingOccurrences(of: "_", with: "")
        }
        return ConfigField(key: key, doc: doc, decode: { root, value, path, context in
            guard case .scalar(let text) = value.kind,
                  let match = E.allCases.first(where: { normal($0.rawValue) == normal(text) }) else {
                context.report(path: path, value: value, allowed: "one of " + names.joined(separator: ", "))
                return
            }
            root[keyPath: keyPath] = match
        }, render: { root, _ in .scalar(root[keyPath: keyPath].rawValue) })
    }

    /// A list of strings, each from `oneOf` when given (case-insensitive). A scalar
    /// `a,b` (as an environment variable gives) is split on commas.
    static func strings(_ key: String, _ keyPath: WritableKeyPath<Root, [String]>, oneOf: [String]? = nil,
                        nonEmpty: Bool = false, doc: String) -> Self {
        let itemAllowed = oneOf.map { "each one of " + $0.joined(separator: ", ") } ?? "strings"
        let allowed = (nonEmpty ? "a non-empty list of " : "a list of ") + itemAllowed
        return ConfigField(key: key, doc: doc, decode: { root, value, path, context in
            let items: [ConfigValue]
            switch value.kind {
            case .list(let list): items = list
            case .scalar(let text):
                items = text.split(separator: ",").map {
                    ConfigValue(kind: .scalar($0.trimmingCharacters(in: .whitespaces)), origin: value.origin)
                }
            case .null: items = []
            case .map:
                context.report(path: path, value: value, allowed: allowed)
                return
            }
            var result: [String] = []
            var ok = true
            for (index, item) in items.enumerated() {
                guard case .scalar(let text) = item.kind else {
                    context.report(path: "\(path)[\(index)]", value: item, allowed: itemAllowed)
                    ok = false
                    continue
                }
                if let oneOf {
                    guard let match = oneOf.first(where: { $0.lowercased() == text.lowercased() }) else {
                        context.report(path: "\(path)[\(index)]", value: item, allowed: itemAllowed)
                        ok = false
                        continue
                    }
                    result.append(match)
                } else {
                    result.append(text)
                }
            }
            if nonEmpty, result.isEmpty, ok {
                context.report(path: path, value: value, allowed: allowed)
                return
            }
            if ok { root[keyPath: keyPath] = result }
        }, render: { root, _ in .inlineList(root[keyPath: keyPath].map(quote)) })
    }

    /// A nested section.
    static func section<S: ConfigSection>(_ key: String, _ keyPath: WritableKeyPath<Root, S>, doc: String) -> Self {
        ConfigField(key: key, doc: doc, decode: { root, value, path, context in
            root[keyPath: keyPath] = S.decode(value, path: path, context: &context)
        }, render: { root, redact in .mapping(root[keyPath: keyPath].rendered(redact: redact)) })
    }

    /// A list of sections (e.g. the alert rules); a list in the file replaces the default list.
    static func sections<S: ConfigSection>(_ key: String, _ keyPath: WritableKeyPath<Root, [S]>,
                                           doc: String) -> Self {
        ConfigField(key: key, doc: doc, decode: { root, value, path, context in
            switch value.kind {
            case .null: root[keyPath: keyPath] = []
            case .list(let items):
                root[keyPath: keyPath] = items.enumerated().map { index, item in
                    S.decode(item, path: "\(path)[\(index)]", context: &context)
                }
            default:
                context.report(path: path, value: value, allowed: "a list of mappings")
            }
        }, render: { root, redact in .mappingList(root[keyPath: keyPath].map { $0.rendered(redact: redact) }) })
    }
}

/// `true`/`false` in any case, `yes`/`no`, `on`/`off`; nil otherwise.
func parseBool(_ text: String) -> Bool? {
    switch text.trimmingCharacters(in: .whitespaces).lowercased() {
    case "true", "yes", "on": return true
    case "false", "no", "off": return false
    default: return nil
    }
}

/// A number without a trailing `.0` when integral (`50`, `0.95`).
func format(_ value: Double) -> String {
    if value.rounded() == value, abs(value) < 1e15 { return String(Int(value)) }
    return String(value)
}

/// A YAML double-quoted string.
func quote(_ text: String) -> String {
    var out = "\""
    for scalar in text.unicodeScalars {
        switch scalar {
        case "\"": out += "\\\""
        case "\\": out += "\\\\"
        case "\n": out += "\\n"
        case "\t": out += "\\t"
        default:
            if scalar.value < 0x20 { out += "\\x" + String(scalar.value, radix: 16) } else { out.unicodeScalars.append(scalar) }
        }
    }
    return out + "\""
}
