// Resume payload.

/// Operator command lifting an emergency halt. Agents accept it only from an operator
/// identity (see `HaltController` in Coordination).
public struct Resume: Sendable, Equatable, Codable, WirePayloadCoding {
    static let wireType = WireMessageType.resume

    /// Operator who resumed (at most 64 UTF-8 bytes).
    public var operatorID: String
    /// Why trading resumes (at most 1024 UTF-8 bytes).
    public var reason: String

    public init(operatorID: String, reason: String) {
        self.operatorID = operatorID
        self.reason = reason
    }

    func encode(into writer: inout ByteWriter) throws(WireError) {
        try writer.checkedString(operatorID, field: "operatorID", maxLength: WireLimits.identifier, type: .resume)
        try writer.checkedString(reason, field: "reason", maxLength: WireLimits.reason, type: .resume)
    }

    init(reading reader: inout ByteReader) throws(WireError) {
        operatorID = try reader.string16("operatorID", maxLength: WireLimits.identifier)
        reason = try reader.string16("reason", maxLength: WireLimits.reason)
    }
}
