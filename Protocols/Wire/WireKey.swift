// The shared HMAC-SHA256 key of the cluster, loaded from the environment or a key file.

import Crypto
import Foundation

/// The cluster's shared HMAC-SHA256 key.
///
/// Loaded from `QUANTUM_AGENT_CLUSTER_KEY` (hex) or from the file named by
/// `QUANTUM_AGENT_CLUSTER_KEY_FILE` (hex text, mode 0600 or stricter) — never from the
/// YAML configuration. `description`, `debugDescription` and the reflection mirror are
/// redacted, so logging a `WireKey` never leaks it.
public struct WireKey: Sendable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    /// Environment variable holding the key as hex.
    public static let keyVariable = "QUANTUM_AGENT_CLUSTER_KEY"
    /// Environment variable holding the path of a key file.
    public static let keyFileVariable = "QUANTUM_AGENT_CLUSTER_KEY_FILE"
    /// Minimum key length in bytes (the HMAC-SHA256 block-size-independent recommendation: 32).
    public static let minimumBytes = 32

    let symmetricKey: SymmetricKey

    /// Key length in bytes.
    public var byteCount: Int { symmetricKey.bitCount / 8 }

    /// A key from raw bytes.
    /// - Throws: `WireKeyError.tooShort` below ``minimumBytes``.
    public init(bytes: [UInt8], source: String = "bytes") throws(WireKeyError) {
        guard bytes.count >= Self.minimumBytes else {
            throw .tooShort(source: source, bytes: bytes.count, minimum: Self.minimumBytes)
        }
        symmetricKey = SymmetricKey(data: bytes)
    }

    /// A key from hex text (surrounding whitespace ignored).
    /// - Throws: `WireKeyError.invalidHex` or `.tooShort`.
    public init(hex: String, source: String = "hex") throws(WireKeyError) {
        let trimmed = hex.trimmingCharacters(in: .whitespacesAndNewlines)
        var bytes: [UInt8] = []
        bytes.reserveCapacity(trimmed.utf8.count / 2)
        var high: UInt8? = nil
        for (index, character) in trimmed.utf8.enumerated() {
            let nibble: UInt8
            switch character {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): nibble = character - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): nibble = character - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): nibble = character - UInt8(ascii: "A") + 10
            default: throw .invalidHex(source: source, position: index)
            }
            if let h = high {
                bytes.append(h << 4 | nibble)
                high = nil
            } else {
                high = nibble
            }
        }
        if high != nil { throw .invalidHex(source: source, position: trimmed.utf8.count) }
        try self.init(bytes: bytes, source: source)
    }

    /// Loads the key from a file holding hex text. The file must not be group/other readable.
    public static func load(keyFile path: String) throws(WireKeyError) -> WireKey {
        let attributes: [FileAttributeKey: Any]
        do {
            attributes = try FileManager.default.attributesOfItem(atPath: path)
        } catch {
            throw .unreadableFile(path: path, reason: "cannot stat (\((error as NSError).localizedDescription))")
        }
        if let mode = (attributes[.posixPermissions] as? NSNumber)?.intValue, mode & 0o077 != 0 {
            throw .filePermissionsTooOpen(path: path, mode: mode)
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw .unreadableFile(path: path, reason: "cannot read contents")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw .invalidHex(source: "file \(path)", position: 0)
        }
        return try WireKey(hex: text, source: "file \(path)")
    }

    /// Loads the key from `QUANTUM_AGENT_CLUSTER_KEY`, else from the file named by
    /// `QUANTUM_AGENT_CLUSTER_KEY_FILE`.
    /// - Parameter environment: the process environment (injectable for tests).
    public static func load(
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws(WireKeyError) -> WireKey {
        if let hex = environment[keyVariable], !hex.isEmpty {
            return try WireKey(hex: hex, source: keyVariable)
        }
        if let path = environment[keyFileVariable], !path.isEmpty {
            return try load(keyFile: path)
        }
        throw .missing(keyVariable: keyVariable, keyFileVariable: keyFileVariable)
    }

    public var description: String { "WireKey(<redacted>, \(byteCount) bytes)" }
    public var debugDescription: String { description }
    public var customMirror: Mirror { Mirror(self, children: ["key": "<redacted>"]) }
}
