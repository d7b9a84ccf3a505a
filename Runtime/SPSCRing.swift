import CLinuxShim
import Hardware

/// A bounded single-producer single-consumer ring: one `push` caller thread, one
/// `pop` caller thread, no locked instruction on either side, no allocation after
/// init.
///
/// Each slot carries a sequence word (see `SequencedSlots`): the consumer polls
/// the slot at its head, so a message crosses cores in one cache-line transfer and
/// the consumer never reads the producer's index. The producer checks for room
/// against a cached copy of the consumer's index (Lamport queue with cached
/// indices, as in Disruptor/Seastar) and reloads it only when the ring looks full.
/// The indices sit on separate cache lines. Capacity, memory and queries: see
/// `SequencedRing`.
public final class SPSCRing<Element>: SequencedRing<Element>, @unchecked Sendable {
    // @unchecked: see `SPSCCore`.

    /// - Parameters:
    ///   - capacity: number of elements it holds, 1...2^30.
    ///   - node: NUMA node for the memory (nil: default allocator).
    /// - Throws: `RuntimeError.invalidCapacity`.
    public init(capacity: Int, node: Int? = nil) throws(RuntimeError) {
        // Slot i holds position p when its sequence is p + 1; 0 means "never written".
        try super.init(capacity: capacity, node: node, indexWords: 48) { _ in 0 }
    }

    /// The lock-free part, for callers that must not retain the ring per message.
    @inlinable
    var core: SPSCCore<Element> { SPSCCore(storage: storage) }

    /// Enqueues `element`; false when the ring is full. Producer thread only.
    @inlinable
    public func push(_ element: Element) -> Bool { core.push(element) }

    /// Dequeues the oldest element, or nil when empty. Consumer thread only.
    @inlinable
    public func pop() -> Element? { storage.popSingleConsumer() }
}

/// The lock-free part of an `SPSCRing`: plain pointers and integers, a trivial
/// value, so that a channel can call it without retaining a ring object. (A
/// retain is an atomic write to the object's header; done by the sender on every
/// message it would pull the line the receiver reads the ring's fields from.)
/// Whoever holds a core must keep its owner (the `SPSCRing`) alive.
@usableFromInline
struct SPSCCore<Element>: RingCore, @unchecked Sendable {
    // @unchecked: `push` is called from one thread at a time and `pop` from one
    // thread at a time; a slot is published by a release store of its sequence
    // word and claimed by an acquire load of it; room by the head index likewise.
    // Index words: [0] head (consumer), [16] tail (producer; read only by `count`
    // and stats), [32] producer's cached head.
    @usableFromInline let storage: RingStorage<Element>

    @inlinable @inline(__always)
    init(storage: RingStorage<Element>) { self.storage = storage }

    @inlinable @inline(__always)
    func push(_ element: Element) -> Bool {
        let (words, capacity) = (storage.words, Int64(storage.capacity))
        let tail = qa_load_relaxed(words + 16)
        if tail - qa_load_relaxed(words + 32) >= capacity {
            qa_store_relaxed(words + 32, qa_load_acquire(words))
            if tail - qa_load_relaxed(words + 32) >= capacity { return false }
        }
        let index = storage.slot(tail)
        storage.slots.store(element, at: index)
        qa_store_release(storage.slots.sequence(index), tail + 1)
        qa_store_release(words + 16, tail + 1)
        return true
    }

    @inlinable @inline(__always)
    func pop() -> Element? { storage.popSingleConsumer() }
}
