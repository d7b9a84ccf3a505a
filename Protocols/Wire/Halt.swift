// Emergency halt payload.

/// Emergency halt, raised by any agent (the raiser is the message's sender).
public struct Halt: Sendable, Equatable, Codable, WirePayloadCoding {
    static let wireType = WireMessageType.halt

    /// Why trading is halted (at most 1024 UTF-8 bytes).
    public var reason: String

    public init(reason: String) {
        self.reason = reason
    }

    func encode(into writer: inout ByteWriter) throws(WireError) {
        try writer.checkedString(reason, field: "reason", maxLength: WireLimits.reason, type: .halt)
    }

    init(reading reader: inout ByteReader) throws(WireError) {
        reason = try reader.string16("reason", maxLength: WireLimits.reason)
    }
}
