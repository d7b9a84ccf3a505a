// Internal coding protocol shared by the cluster payload types.

/// A payload that writes itself after the header and reads itself back, bounds-checked.
protocol WirePayloadCoding: Sendable {
    static var wireType: WireMessageType { get }
    func encode(into writer: inout ByteWriter) throws(WireError)
    init(reading reader: inout ByteReader) throws(WireError)
}

/// Field limits of the version-1 payloads (bytes of UTF-8).
enum WireLimits {
    /// Agent / operator identifiers, as in the header's sender.
    static let identifier = WireHeader.maxSenderLength
    /// Free-text reasons of halt and resume.
    static let reason = 1024
}

extension ByteWriter {
    /// Writes a length-checked string so that whatever encodes also decodes.
    mutating func checkedString(
        _ value: String, field: String, maxLength: Int, type: WireMessageType
    ) throws(WireError) {
        let count = value.utf8.count
        guard count <= maxLength else {
            throw .malformedPayload(type: type, field: field, reason: "length \(count) exceeds \(maxLength)")
        }
        string16(value)
    }
}
