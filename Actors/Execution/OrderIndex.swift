/// Open orders by id: an open-addressing hash table (linear probing, Fibonacci
/// hashing, backward-shift deletion) from order id to venue slot, sized once at init.
///
/// Replaces a `[UInt64: Int32]` in the paper venue's hot path: Swift's dictionary
/// hashes with per-process-seeded SipHash and checks uniqueness on every mutation,
/// which cost more than the rest of `submit`; here a lookup is a multiply, a shift
/// and (at load ≤ 1/2) about one probe. Key and slot share an entry, so a probe
/// touches one cache line. Never allocates after init.
struct OrderIndex: Sendable {
    struct Entry: Sendable {
        var key: UInt64
        /// Venue slot; −1 = empty.
        var slot: Int32
    }

    private var entries: [Entry]
    private let mask: Int
    private let shift: UInt64
    /// Entries held.
    private(set) var count = 0

    /// A table for at most `capacity` entries (kept at most half full).
    init(capacity: Int) {
        var size = 2
        while size < 2 * max(1, capacity) { size <<= 1 }
        entries = [Entry](repeating: Entry(key: 0, slot: -1), count: size)
        mask = size - 1
        shift = UInt64(64 - size.trailingZeroBitCount)
    }

    @inline(__always)
    private func home(_ key: UInt64) -> Int { Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) >> shift) }

    /// The slot of `key`, or nil.
    func find(_ key: UInt64) -> Int32? {
        var i = home(key)
        while entries[i].slot >= 0 {
            if entries[i].key == key { return entries[i].slot }
            i = (i + 1) & mask
        }
        return nil
    }

    /// Adds `key` → `slot`; the caller guarantees the key is absent and `count < capacity`.
    mutating func insert(_ key: UInt64, slot: Int32) {
        _ = insertIfAbsent(key, slot: slot)
    }

    /// Adds `key` → `slot` unless `key` is present (one probe run for both); the caller
    /// guarantees `count < capacity`.
    /// - Returns: false when `key` was already there (nothing changed).
    mutating func insertIfAbsent(_ key: UInt64, slot: Int32) -> Bool {
        var i = home(key)
        while entries[i].slot >= 0 {
            if entries[i].key == key { return false }
            i = (i + 1) & mask
        }
        entries[i] = Entry(key: key, slot: slot)
        count += 1
        return true
    }

    /// Removes `key`; returns its slot, or nil when absent.
    mutating func remove(_ key: UInt64) -> Int32? {
        var i = home(key)
        while entries[i].slot >= 0 {
            if entries[i].key == key {
                let slot = entries[i].slot
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
            guard entries[j].slot >= 0 else { break }
            let h = home(entries[j].key)
            // Entry j may move to the hole iff its home is not cyclically in (hole, j].
            let between = hole <= j ? (h > hole && h <= j) : (h > hole || h <= j)
            if !between {
                entries[hole] = entries[j]
                hole = j
            }
        }
        entries[hole].slot = -1
    }
}
