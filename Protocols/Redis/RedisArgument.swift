// One binary-safe argument of a Redis command.

/// A command argument as raw bytes; string literals and interpolations convert implicitly.
public struct RedisArgument: Sendable, Equatable, ExpressibleByStringLiteral, ExpressibleByStringInterpolation {
    /// The bytes sent, with their explicit length (binary-safe: may contain NUL).
    public var bytes: [UInt8]

    public init(bytes: [UInt8]) { self.bytes = bytes }
    public init(_ string: String) { bytes = Array(string.utf8) }
    public init<I: BinaryInteger>(_ value: I) { bytes = Array(String(value).utf8) }
    public init(stringLiteral value: String) { bytes = Array(value.utf8) }
}
