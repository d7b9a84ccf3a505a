/// Open orders by id: an open-addressing hash table (linear probing, Fibonacci
/// hashing, backward-shift deletion) from order id to venue slot, sized once at init.
///
/// Replaces a `[UInt64: Int32]` in the paper venue's hot path: Swift's dictionary
/// hashes with per-process-seeded SipHash and checks uniqueness on every mutation,
/// which cost more than the rest of `submit`; here a lookup is a multiply, a shift
/// and (at load ≤ 1/2) about one probe. Never allocates after init.
struct OrderIndex: Sendable {
    private var keys: [UInt64]
    /// Slot per entry; −1 = empty.
    private var values: [Int32]
    private let mask: Int
    private let shift: UInt64
    /// Entries held.
    private(set) var count = 0

    /// A table for at most `capacity` entries (kept at most half full).
    init(capacity: Int) {
        var size = 2
        while size < 2 * max(1, capacity) { size <<= 1 }
        keys = [UInt64](repeating: 0, count: size)
        values = [Int32](repeating: -1, count: size)
        mask = size - 1
        shift = UInt64(64 - size.trailingZeroBitCount)
    }

    @inline(__always)
    private func home(_ key: UInt64) -> Int { Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) >> shift) }

    /// The slot of `key`, or nil.
    func find(_ key: UInt64) -> Int32? {
        var i = home(key)
        while values[i] >= 0 {
            if keys[i] == key { return values[i] }
            i = (i + 1) & mask
        }
        return nil
    }

    /// Adds `key` → `slot`; the caller guarantees the key is absent and `count < capacity`.
    mutating func insert(_ key: UInt64, slot: Int32) {
        var i = home(key)
        while values[i] >= 0 { i = (i + 1) & mask }
        keys[i] = key
        values[i] = slot
        count += 1
    }

    /// Removes `key`; returns its slot, or nil when absent.
    mutating func remove(_ key: UInt64) -> Int32? {
        var i = home(key)
        while values[i] >= 0 {
            if keys[i] == key {
                let slot = values[i]
                deleteAt(i)
                count -= 1
                return slot
            }
            i = (i + 1) & mask
        }
        return nil
    }

    /// Backward-shift deletion (Knuth 6.4, Algorithm R): moves later entries of the
    /// probe run into the hole so that lookups never need tombstones.
    private mutating func deleteAt(_ start: Int) {
        var hole = start
        var j = start
        while true {
            j = (j + 1) & mask
            guard values[j] >= 0 else { break }
            let h = home(keys[j])
            // Entry j may move to the hole iff its home is not cyclically in (hole, j].
            let between = hole <= j ? (h > hole && h <= j) : (h > hole || h <= j)
            if !between {
                keys[hole] = keys[j]
                values[hole] = values[j]
                hole = j
            }
        }
        values[hole] = -1
    }
}
