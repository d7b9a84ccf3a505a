// A decoded, authenticated cluster message.

/// A cluster message: authenticated header fields plus payload.
public struct WireMessage: Sendable, Equatable {
    /// Sender identifier (1...64 UTF-8 bytes).
    public var sender: String
    /// Per-sender sequence number.
    public var sequence: UInt64
    /// Sender's wall-clock time at sending, ns since the Unix epoch.
    public var timestampNs: UInt64
    /// The body.
    public var payload: WirePayload

    public init(sender: String, sequence: UInt64, timestampNs: UInt64, payload: WirePayload) {
        self.sender = sender
        self.sequence = sequence
        self.timestampNs = timestampNs
        self.payload = payload
    }

    /// The header fields of this message.
    public var header: WireHeader {
        WireHeader(type: payload.type, sender: sender, sequence: sequence, timestampNs: timestampNs)
    }
}
