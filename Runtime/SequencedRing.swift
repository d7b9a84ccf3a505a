import CLinuxShim

/// What `SPSCRing`, `MPSCRing` and `MPMCRing` share: the capacity check, the
/// memory (`RingStorage`), its release, and the read-only queries. A subclass adds
/// only its claiming protocol: `push`, `pop` and the `core` a channel keeps.
///
/// The capacity is exact (a ring of 10,000 holds 10,000), masked when it is a
/// power of two and reduced modulo otherwise. No allocation after init.
public class SequencedRing<Element>: @unchecked Sendable {
    // @unchecked: the storage is only touched through the subclass's protocol,
    // whose thread rules each subclass documents; `storage` itself never changes.
    @usableFromInline final let storage: RingStorage<Element>
    /// Number of elements it holds.
    public final var capacity: Int { storage.capacity }

    /// - Parameters:
    ///   - capacity: number of elements it holds, 1...2^30.
    ///   - node: NUMA node for the memory (nil: default allocator).
    ///   - indexWords: how many index words the protocol uses (see `RingStorage.words`).
    ///   - initialSequence: slot `i`'s sequence word before the first push.
    /// - Throws: `RuntimeError.invalidCapacity`.
    init(capacity: Int, node: Int?, indexWords: Int, initialSequence: (Int) -> Int64) throws(RuntimeError) {
        guard capacity >= 1, capacity <= 1 << 30 else { throw .invalidCapacity(capacity, context: "ring") }
        storage = RingStorage(capacity: capacity, node: node, indexWords: indexWords, initialSequence: initialSequence)
    }

    deinit {
        // No thread uses the ring now, so every position from head to tail is
        // published (sequence = position + 1) under all three protocols and a
        // single-consumer pop releases the elements left, oldest first.
        while storage.popSingleConsumer() != nil {}
        storage.deallocate()
    }

    /// Whether `pop` would return an element now, read from the head slot alone
    /// (without the producers' index): exact on a single consumer's thread, a
    /// snapshot elsewhere.
    @inlinable
    public final var hasNext: Bool { storage.hasNext }

    /// Elements queued, or claimed by a producer and being published (a racy
    /// snapshot, clamped to 0...capacity).
    @inlinable
    public final var count: Int { storage.count }

    /// Whether no position is claimed and unconsumed (a snapshot).
    @inlinable
    public final var isEmpty: Bool { storage.count == 0 }

    /// Number of positions ever claimed by producers (a snapshot).
    public final var tailPosition: Int64 { qa_load_acquire(storage.words + 16) }
    /// Number of pops ever made (a snapshot).
    public final var headPosition: Int64 { qa_load_acquire(storage.words) }
}
