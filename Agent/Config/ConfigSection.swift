// The schema behind the configuration: every section lists its fields once (key, key path,
// allowed values, doc), and loading, validation, `config print` and the documented
// Deploy/production_config.yaml all derive from that one list.

/// A configuration section: a struct whose `init()` holds the defaults and whose `fields`
/// describe each YAML key.
protocol ConfigSection: Sendable, Equatable {
    /// The defaults (the seed's values where the seed gives one).
    init()
    /// The keys of this section, in documentation order.
    static var fields: [ConfigField<Self>] { get }
    /// Checks that involve several keys; reports into `context` with full key paths.
    func validate(path: String, context: inout ConfigContext)
}

extension ConfigSection {
    func validate(path: String, context: inout ConfigContext) {}

    /// Decodes a mapping into this section, starting from the defaults; every problem
    /// (unknown key, wrong type, value out of range) is reported, none stops the walk.
    static func decode(_ value: ConfigValue, path: String, context: inout ConfigContext) -> Self {
        var result = Self()
        switch value.kind {
        case .null:
            return result
        case .map(let entries):
            let fields = Self.fields
            for entry in entries {
                let childPath = ConfigContext.join(path, entry.key)
                if let field = fields.first(where: { $0.key == entry.key }) {
                    field.decode(&result, entry.value, childPath, &context)
                } else {
                    context.reportUnknownKey(entry.key, path: childPath, origin: entry.value.origin,
                                             known: fields.map(\.key))
                }
            }
            result.validate(path: path, context: &context)
            return result
        default:
            context.report(path: path.isEmpty ? "(document)" : path, value: value,
                           allowed: "a mapping with the keys " + fields.map(\.key).joined(separator: ", "))
            return result
        }
    }

    /// The section as documented YAML fields (secrets replaced when `redact` is set).
    func rendered(redact: Bool) -> [RenderedField] {
        Self.fields.map { field in
            RenderedField(key: field.key, doc: field.doc, value: field.render(self, redact))
        }
    }
}

/// Collects the problems found while decoding.
struct ConfigContext {
    /// Every problem, in document order.
    var issues: [ConfigIssue] = []

    /// `a.b` + `c` → `a.b.c`.
    static func join(_ path: String, _ key: String) -> String { path.isEmpty ? key : path + "." + key }

    mutating func report(path: String, value: ConfigValue, allowed: String, secret: Bool = false) {
        issues.append(ConfigIssue(path: path, value: secret ? "<redacted>" : value.summary,
                                  allowed: allowed, origin: value.origin))
    }

    mutating func report(path: String, value: String, allowed: String, origin: String) {
        issues.append(ConfigIssue(path: path, value: value, allowed: allowed, origin: origin))
    }

    mutating func reportUnknownKey(_ key: String, path: String, origin: String, known: [String]) {
        let hint = known.min { editDistance($0, key) < editDistance($1, key) }
            .flatMap { editDistance($0, key) <= max(2, key.count / 3) ? " (did you mean `\($0)`?)" : nil } ?? ""
        issues.append(ConfigIssue(path: path, value: "unknown key `\(key)`",
                                  allowed: "one of " + known.joined(separator: ", ") + hint, origin: origin))
    }

    /// Levenshtein distance, for "did you mean" hints.
    private func editDistance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        guard !a.isEmpty else { return b.count }
        guard !b.isEmpty else { return a.count }
        var previous = Array(0...b.count)
        for i in 1...a.count {
            var current = [i] + Array(repeating: 0, count: b.count)
            for j in 1...b.count {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            previous = current
        }
        return previous[b.count]
    }
}

/// A field rendered for `config print` and the documented YAML.
struct RenderedField: Sendable {
    var key: String
    var doc: String
    var value: RenderedValue
}

/// A rendered value: scalars are already YAML text (strings quoted).
indirect enum RenderedValue: Sendable {
    case scalar(String)
    case inlineList([String])
    case mapping([RenderedField])
    case mappingList([[RenderedField]])
}

/// One key of a section: how to decode it into the struct and render it back.
struct ConfigField<Root> {
    /// The YAML key.
    let key: String
    /// One line of documentation (units, allowed values, what it does).
    let doc: String
    /// Decodes `value` (at `path`) into `root`, or reports why it cannot.
    let decode: (inout Root, ConfigValue, String, inout ConfigContext) -> Void
    /// Renders the current value (redacting secrets when asked).
    let render: (Root, Bool) -> RenderedValue
}
