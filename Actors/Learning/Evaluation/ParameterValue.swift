// Parameter values as given on the command line and echoed in JSON results.

/// A parameter value: integer, real or text; encodes as a bare JSON scalar.
public enum ParameterValue: Sendable, Equatable, Codable, CustomStringConvertible {
    case int(Int)
    case double(Double)
    case string(String)

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let i = try? container.decode(Int.self) {
            self = .int(i)
        } else if let d = try? container.decode(Double.self) {
            self = .double(d)
        } else {
            self = .string(try container.decode(String.self))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case let .int(i): try container.encode(i)
        case let .double(d): try container.encode(d)
        case let .string(s): try container.encode(s)
        }
    }

    public var description: String {
        switch self {
        case let .int(i): return "\(i)"
        case let .double(d): return "\(d)"
        case let .string(s): return s
        }
    }
}
