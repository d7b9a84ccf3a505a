// Errors loading the shared cluster key. None of them ever contains key material.

/// Why the shared HMAC key could not be loaded.
public enum WireKeyError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Neither the key variable nor the key-file variable is set.
    case missing(keyVariable: String, keyFileVariable: String)
    /// The key text is not hexadecimal (the position of the first bad character is given, not the text).
    case invalidHex(source: String, position: Int)
    /// The key is shorter than the minimum.
    case tooShort(source: String, bytes: Int, minimum: Int)
    /// The key file could not be read.
    case unreadableFile(path: String, reason: String)
    /// The key file is readable by group or others.
    case filePermissionsTooOpen(path: String, mode: Int)

    public var description: String {
        switch self {
        case let .missing(keyVariable, keyFileVariable):
            "cluster key missing: set \(keyVariable) (hex) or \(keyFileVariable) (path of a file holding the hex key)"
        case let .invalidHex(source, position):
            "cluster key from \(source) is not hexadecimal (bad character at position \(position))"
        case let .tooShort(source, bytes, minimum):
            "cluster key from \(source) is \(bytes) bytes, at least \(minimum) required (\(minimum * 2) hex digits)"
        case let .unreadableFile(path, reason):
            "cluster key file \(path) unreadable: \(reason)"
        case let .filePermissionsTooOpen(path, mode):
            "cluster key file \(path) has mode \(String(mode, radix: 8)); it must not be readable by group or others (chmod 600)"
        }
    }
}
