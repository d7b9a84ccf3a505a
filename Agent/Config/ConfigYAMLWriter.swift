// Renders a configuration back to YAML, with each key's documentation as a comment above it.
// The output loads back to the same configuration (tested), which is how `config print` and
// Deploy/production_config.yaml stay true.

/// Writes rendered fields as block YAML.
struct ConfigYAMLWriter {
    /// Whether to write `# doc` comments above keys.
    var documented: Bool

    /// The YAML document.
    func write(_ fields: [RenderedField]) -> String {
        var lines: [String] = []
        write(fields, indent: "", into: &lines, topLevel: true)
        return lines.joined(separator: "\n") + "\n"
    }

    private func write(_ fields: [RenderedField], indent: String, into lines: inout [String], topLevel: Bool = false) {
        for field in fields {
            if documented, !field.doc.isEmpty {
                if topLevel, case .mapping = field.value { lines.append("") }
                if topLevel, case .mappingList = field.value { lines.append("") }
                lines.append(indent + "# " + field.doc)
            }
            switch field.value {
            case .scalar(let text):
                lines.append("\(indent)\(field.key): \(text)")
            case .inlineList(let items):
                lines.append("\(indent)\(field.key): [\(items.joined(separator: ", "))]")
            case .mapping(let children):
                if children.isEmpty {
                    lines.append("\(indent)\(field.key): {}")
                } else {
                    lines.append("\(indent)\(field.key):")
                    write(children, indent: indent + "  ", into: &lines)
                }
            case .mappingList(let items):
                if items.isEmpty {
                    lines.append("\(indent)\(field.key): []")
                    continue
                }
                lines.append("\(indent)\(field.key):")
                for item in items {
                    var itemLines: [String] = []
                    write(item.map { RenderedField(key: $0.key, doc: "", value: $0.value) }, indent: indent + "    ",
                          into: &itemLines)
                    if let first = itemLines.first {
                        lines.append(indent + "  - " + first.dropFirst(indent.count + 4))
                        lines.append(contentsOf: itemLines.dropFirst())
                    }
                }
            }
        }
    }
}
