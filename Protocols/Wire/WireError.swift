// Typed decoding/encoding errors of the cluster wire protocol.

/// Why a byte string is not a valid wire message (or why a message cannot be encoded).
///
/// Every case names the offending field and the value found, so that a dropped
/// message can be logged and counted without printing its contents.
public enum WireError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Fewer bytes than the header or the declared lengths require.
    case truncated(needed: Int, available: Int)
    /// The first four bytes are not the protocol magic.
    case badMagic(found: UInt32)
    /// The header's version byte is not one this build understands.
    case unsupportedVersion(found: UInt8, supported: UInt8)
    /// The header's type byte names no known message type (checked after the tag).
    case unknownType(rawValue: UInt8)
    /// More bytes than the header's lengths declare (trailing garbage).
    case lengthMismatch(declared: Int, actual: Int)
    /// The declared payload length exceeds the codec's limit.
    case payloadTooLarge(length: Int, limit: Int)
    /// The sender field is empty, too long or not UTF-8.
    case invalidSender(reason: String)
    /// The reserved flags byte is not zero.
    case reservedFlags(found: UInt8)
    /// The HMAC-SHA256 tag does not authenticate header and payload.
    case badTag
    /// The payload of an authenticated message does not parse.
    case malformedPayload(type: WireMessageType, field: String, reason: String)

    public var description: String {
        switch self {
        case let .truncated(needed, available):
            "wire message truncated: needs \(needed) bytes, got \(available)"
        case let .badMagic(found):
            "wire header: bad magic 0x\(String(found, radix: 16)), expected 0x\(String(WireHeader.magic, radix: 16))"
        case let .unsupportedVersion(found, supported):
            "wire header: unsupported version \(found), this build supports \(supported)"
        case let .unknownType(rawValue):
            "wire header: unknown message type \(rawValue), known 1...\(WireMessageType.allCases.count)"
        case let .lengthMismatch(declared, actual):
            "wire message length mismatch: header declares \(declared) bytes in all, got \(actual)"
        case let .payloadTooLarge(length, limit):
            "wire payload length \(length) exceeds the limit of \(limit) bytes"
        case let .invalidSender(reason):
            "wire header: invalid sender: \(reason)"
        case let .reservedFlags(found):
            "wire header: reserved flags byte must be 0, found \(found)"
        case .badTag:
            "wire message: HMAC-SHA256 tag does not verify (forged, corrupted, or wrong key)"
        case let .malformedPayload(type, field, reason):
            "\(type) payload: field '\(field)': \(reason)"
        }
    }
}
