// Bounds-checked big-endian reader over one message's payload (internal).

/// Reads big-endian fields from `bytes[position ..< end]`; every read is bounds-checked
/// and reports the field it was reading when the payload is short or invalid.
struct ByteReader {
    let bytes: [UInt8]
    var position: Int
    let end: Int
    let type: WireMessageType

    init(_ bytes: [UInt8], from start: Int, to end: Int, type: WireMessageType) {
        self.bytes = bytes
        self.position = start
        self.end = end
        self.type = type
    }

    var remaining: Int { end - position }

    /// Big-endian UInt32 at `offset`; the caller guarantees `offset + 4 <= bytes.count`.
    static func u32(_ bytes: [UInt8], at offset: Int) -> UInt32 {
        var value: UInt32 = 0
        for i in 0..<4 { value = value << 8 | UInt32(bytes[offset + i]) }
        return value
    }

    /// Big-endian UInt64 at `offset`; the caller guarantees `offset + 8 <= bytes.count`.
    static func u64(_ bytes: [UInt8], at offset: Int) -> UInt64 {
        var value: UInt64 = 0
        for i in 0..<8 { value = value << 8 | UInt64(bytes[offset + i]) }
        return value
    }

    private func short(_ field: String, _ needed: Int) -> WireError {
        .malformedPayload(type: type, field: field, reason: "needs \(needed) more bytes, \(remaining) left")
    }

    mutating func u8(_ field: String) throws(WireError) -> UInt8 {
        guard remaining >= 1 else { throw short(field, 1) }
        defer { position += 1 }
        return bytes[position]
    }

    mutating func u16(_ field: String) throws(WireError) -> UInt16 {
        guard remaining >= 2 else { throw short(field, 2) }
        defer { position += 2 }
        return UInt16(bytes[position]) << 8 | UInt16(bytes[position + 1])
    }

    mutating func u32(_ field: String) throws(WireError) -> UInt32 {
        guard remaining >= 4 else { throw short(field, 4) }
        var value: UInt32 = 0
        for i in 0..<4 { value = value << 8 | UInt32(bytes[position + i]) }
        position += 4
        return value
    }

    mutating func u64(_ field: String) throws(WireError) -> UInt64 {
        guard remaining >= 8 else { throw short(field, 8) }
        var value: UInt64 = 0
        for i in 0..<8 { value = value << 8 | UInt64(bytes[position + i]) }
        position += 8
        return value
    }

    mutating func bool(_ field: String) throws(WireError) -> Bool {
        switch try u8(field) {
        case 0: return false
        case 1: return true
        case let other:
            throw .malformedPayload(type: type, field: field, reason: "boolean must be 0 or 1, found \(other)")
        }
    }

    /// UInt16-length-prefixed UTF-8 string of at most `maxLength` bytes.
    mutating func string16(_ field: String, maxLength: Int) throws(WireError) -> String {
        let length = Int(try u16(field))
        guard length <= maxLength else {
            throw .malformedPayload(type: type, field: field, reason: "length \(length) exceeds \(maxLength)")
        }
        guard remaining >= length else { throw short(field, length) }
        let slice = bytes[position ..< position + length]
        position += length
        guard let string = String(validating: slice, as: UTF8.self) else {
            throw .malformedPayload(type: type, field: field, reason: "not valid UTF-8")
        }
        return string
    }

    /// UInt32-length-prefixed byte string.
    mutating func bytes32(_ field: String) throws(WireError) -> [UInt8] {
        let length = Int(try u32(field))
        guard remaining >= length else { throw short(field, length) }
        defer { position += length }
        return Array(bytes[position ..< position + length])
    }

    /// Throws unless the whole payload was consumed.
    func finish() throws(WireError) {
        guard remaining == 0 else {
            throw .malformedPayload(type: type, field: "end", reason: "\(remaining) trailing bytes")
        }
    }
}
