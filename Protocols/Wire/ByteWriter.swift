// Big-endian byte writer/reader used by the wire codec (internal).

/// Appends big-endian integers and length-prefixed fields to a reusable byte buffer.
struct ByteWriter {
    var bytes: [UInt8]

    /// Takes over `buffer`'s storage (left empty), so its capacity is reused without a copy.
    init(taking buffer: inout [UInt8], capacity: Int = 128) {
        bytes = buffer
        buffer = []  // `bytes` is now the only reference: clearing keeps the allocation
        bytes.removeAll(keepingCapacity: true)
        bytes.reserveCapacity(capacity)
    }

    mutating func u8(_ value: UInt8) { bytes.append(value) }

    mutating func u16(_ value: UInt16) {
        bytes.append(UInt8(truncatingIfNeeded: value >> 8))
        bytes.append(UInt8(truncatingIfNeeded: value))
    }

    mutating func u32(_ value: UInt32) {
        var shift: UInt32 = 24
        while true {
            bytes.append(UInt8(truncatingIfNeeded: value >> shift))
            if shift == 0 { break }
            shift -= 8
        }
    }

    mutating func u64(_ value: UInt64) {
        var shift: UInt64 = 56
        while true {
            bytes.append(UInt8(truncatingIfNeeded: value >> shift))
            if shift == 0 { break }
            shift -= 8
        }
    }

    mutating func bool(_ value: Bool) { bytes.append(value ? 1 : 0) }

    /// String with a UInt16 length prefix; the caller has checked the length.
    mutating func string16(_ value: String) {
        let utf8 = value.utf8
        u16(UInt16(truncatingIfNeeded: utf8.count))
        bytes.append(contentsOf: utf8)
    }

    /// Byte string with a UInt32 length prefix.
    mutating func bytes32(_ value: [UInt8]) {
        u32(UInt32(truncatingIfNeeded: value.count))
        bytes.append(contentsOf: value)
    }

    /// Overwrites a big-endian UInt32 at `offset` (used to patch the payload length).
    mutating func patchU32(_ value: UInt32, at offset: Int) {
        bytes[offset] = UInt8(truncatingIfNeeded: value >> 24)
        bytes[offset + 1] = UInt8(truncatingIfNeeded: value >> 16)
        bytes[offset + 2] = UInt8(truncatingIfNeeded: value >> 8)
        bytes[offset + 3] = UInt8(truncatingIfNeeded: value)
    }
}
