// Encoder/decoder of the signed cluster wire format (see WireHeader.swift for the layout).
// Authentication: HMAC-SHA256 (Krawczyk, Bellare, Canetti, RFC 2104, 1997), verified
// in constant time by swift-crypto's `isValidAuthenticationCode`.

import Crypto
import Foundation

/// Encodes and decodes signed cluster messages with one shared key.
///
/// Decoding checks, in order: header size, magic, version, sender length, flags,
/// payload-length limit, total length (truncated / trailing bytes), then the tag (in
/// constant time), and only then the type and payload — nothing unauthenticated is
/// interpreted beyond the lengths.
public struct WireCodec: Sendable {
    /// Default payload limit, bytes.
    public static let defaultMaxPayloadLength = 64 * 1024

    /// HMAC state already keyed (inner and outer pads absorbed): each message copies it
    /// (copy-on-write hash contexts) instead of re-deriving the key pads, ~2× faster.
    private let keyed: HMAC<SHA256>
    /// Largest payload accepted or produced, bytes.
    public let maxPayloadLength: Int

    public init(key: WireKey, maxPayloadLength: Int = WireCodec.defaultMaxPayloadLength) {
        keyed = HMAC<SHA256>(key: key.symmetricKey)
        self.maxPayloadLength = maxPayloadLength
    }

    private func tag(_ bytes: UnsafeRawBufferPointer) -> HashedAuthenticationCode<SHA256> {
        var mac = keyed
        mac.update(data: bytes)
        return mac.finalize()
    }

    /// Encodes and signs `message`.
    /// - Throws: `WireError.invalidSender`, `.payloadTooLarge`, or `.malformedPayload` for an
    ///   over-long string field.
    public func encode(_ message: WireMessage) throws(WireError) -> [UInt8] {
        var buffer: [UInt8] = []
        try encode(message, into: &buffer)
        return buffer
    }

    /// Encodes into `buffer`, replacing its contents and reusing its capacity.
    public func encode(_ message: WireMessage, into buffer: inout [UInt8]) throws(WireError) {
        let senderLength = message.sender.utf8.count
        guard senderLength >= 1, senderLength <= WireHeader.maxSenderLength else {
            throw .invalidSender(reason: "length \(senderLength), allowed 1...\(WireHeader.maxSenderLength)")
        }
        var writer = ByteWriter(taking: &buffer, capacity: WireHeader.fixedSize + senderLength + 96)
        writer.u32(WireHeader.magic)
        writer.u8(WireHeader.currentVersion)
        writer.u8(message.payload.type.rawValue)
        writer.u8(UInt8(senderLength))
        writer.u8(0)
        writer.u64(message.sequence)
        writer.u64(message.timestampNs)
        writer.u32(0)  // payload length, patched below
        writer.bytes.append(contentsOf: message.sender.utf8)
        let payloadStart = writer.bytes.count
        try message.payload.encode(into: &writer)
        let payloadLength = writer.bytes.count - payloadStart
        guard payloadLength <= maxPayloadLength else {
            throw .payloadTooLarge(length: payloadLength, limit: maxPayloadLength)
        }
        writer.patchU32(UInt32(payloadLength), at: 24)
        let code = writer.bytes.withUnsafeBytes { tag($0) }
        writer.bytes.append(contentsOf: code)
        buffer = writer.bytes
    }

    /// Decodes and authenticates one message.
    /// - Throws: a `WireError` naming the first check that failed.
    public func decode(_ bytes: [UInt8]) throws(WireError) -> WireMessage {
        let fixed = WireHeader.fixedSize
        guard bytes.count >= fixed else { throw .truncated(needed: fixed, available: bytes.count) }
        let magic = ByteReader.u32(bytes, at: 0)
        guard magic == WireHeader.magic else { throw .badMagic(found: magic) }
        let version = bytes[4]
        guard version == WireHeader.currentVersion else {
            throw .unsupportedVersion(found: version, supported: WireHeader.currentVersion)
        }
        let rawType = bytes[5]
        let senderLength = Int(bytes[6])
        guard senderLength >= 1, senderLength <= WireHeader.maxSenderLength else {
            throw .invalidSender(reason: "length \(senderLength), allowed 1...\(WireHeader.maxSenderLength)")
        }
        guard bytes[7] == 0 else { throw .reservedFlags(found: bytes[7]) }
        let sequence = ByteReader.u64(bytes, at: 8)
        let timestampNs = ByteReader.u64(bytes, at: 16)
        let payloadLength = Int(ByteReader.u32(bytes, at: 24))
        guard payloadLength <= maxPayloadLength else {
            throw .payloadTooLarge(length: payloadLength, limit: maxPayloadLength)
        }
        let signedLength = fixed + senderLength + payloadLength
        let total = signedLength + WireHeader.tagSize
        guard bytes.count >= total else { throw .truncated(needed: total, available: bytes.count) }
        guard bytes.count == total else { throw .lengthMismatch(declared: total, actual: bytes.count) }

        let valid = bytes.withUnsafeBytes { all in
            // HashedAuthenticationCode == bytes is swift-crypto's constant-time safeCompare.
            tag(UnsafeRawBufferPointer(rebasing: all[0 ..< signedLength]))
                == UnsafeRawBufferPointer(rebasing: all[signedLength ..< total])
        }
        guard valid else { throw .badTag }

        guard let type = WireMessageType(rawValue: rawType) else { throw .unknownType(rawValue: rawType) }
        guard let sender = String(validating: bytes[fixed ..< fixed + senderLength], as: UTF8.self) else {
            throw .invalidSender(reason: "not valid UTF-8")
        }
        var reader = ByteReader(bytes, from: fixed + senderLength, to: signedLength, type: type)
        let payload = try WirePayload(type: type, reading: &reader)
        return WireMessage(sender: sender, sequence: sequence, timestampNs: timestampNs, payload: payload)
    }

    /// HMAC-SHA256 tag (32 bytes) of `bytes` under this codec's key. Tests and the fuzz
    /// harness use it to build authenticated-but-invalid inputs.
    public func authenticationTag(for bytes: [UInt8]) -> [UInt8] {
        bytes.withUnsafeBytes { Array(tag($0)) }
    }

    /// Reads the header fields without authenticating (for logging a dropped message's
    /// sender and type). Returns `nil` when even the fixed header is malformed.
    public static func peekHeader(_ bytes: [UInt8]) -> (type: UInt8, sender: String, sequence: UInt64)? {
        guard bytes.count >= WireHeader.fixedSize else { return nil }
        let senderLength = Int(bytes[6])
        guard senderLength >= 1, bytes.count >= WireHeader.fixedSize + senderLength else { return nil }
        let sequence = ByteReader.u64(bytes, at: 8)
        let sender = String(decoding: bytes[WireHeader.fixedSize ..< WireHeader.fixedSize + senderLength], as: UTF8.self)
        return (bytes[5], sender, sequence)
    }
}
