// Fixed header of the cluster wire protocol, version 1.
//
// Layout (all integers big-endian), then the HMAC-SHA256 tag over everything before it:
//
//   offset size field
//   0      4    magic          0x51415731 ("QAW1")
//   4      1    version        1
//   5      1    type           WireMessageType raw value
//   6      1    senderLength   1...64 (UTF-8 bytes)
//   7      1    flags          reserved, 0
//   8      8    sequence       per-sender, strictly increasing
//   16     8    timestampNs    sender's wall clock, ns since the Unix epoch
//   24     4    payloadLength  bytes of payload
//   28     s    sender         UTF-8
//   28+s   p    payload        type-specific encoding
//   28+s+p 32   tag            HMAC-SHA256(key, bytes[0 ..< 28+s+p])

/// The authenticated header fields of a wire message and the format constants.
public struct WireHeader: Sendable, Equatable {
    /// Protocol magic, "QAW1" in ASCII.
    public static let magic: UInt32 = 0x5141_5731
    /// The only version this build encodes and accepts.
    public static let currentVersion: UInt8 = 1
    /// Size of the fixed part of the header, in bytes.
    public static let fixedSize = 28
    /// Size of the HMAC-SHA256 tag, in bytes.
    public static let tagSize = 32
    /// Longest sender identifier, in UTF-8 bytes.
    public static let maxSenderLength = 64

    /// Message type.
    public var type: WireMessageType
    /// Identifier of the sending agent (or operator tool).
    public var sender: String
    /// Per-sender sequence number (see ``SequenceCounter``).
    public var sequence: UInt64
    /// Sender's wall-clock time at sending, ns since the Unix epoch.
    public var timestampNs: UInt64

    public init(type: WireMessageType, sender: String, sequence: UInt64, timestampNs: UInt64) {
        self.type = type
        self.sender = sender
        self.sequence = sequence
        self.timestampNs = timestampNs
    }
}
