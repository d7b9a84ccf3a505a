import CLinuxShim
import Hardware

/// A bounded multi-producer single-consumer ring: producers claim a position with
/// one CAS on the tail and publish the slot through its sequence word; the one
/// consumer polls the slot at its head with a plain acquire load (no locked
/// instruction) and moves on. Used for executor job queues and multi-producer
/// channels that never consume from the producer side.
///
/// Compared with `MPMCRing` (Vyukov, 2010), a producer does not read the slot's
/// sequence to find room: it checks against a cached copy of the consumer's head,
/// shared by the producers and refreshed only when the ring looks full, so the
/// consumer's writes never sit on a producer's path and a hand-over costs one
/// cache-line transfer (the slot's). A producer stalled between its CAS and its
/// publish holds back the consumer at that slot (as in Vyukov's queue).
/// Capacity, memory and queries: see `SequencedRing`.
public final class MPSCRing<Element>: SequencedRing<Element>, @unchecked Sendable {
    // @unchecked: see `MPSCCore`.

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
    var core: MPSCCore<Element> { MPSCCore(storage: storage) }

    /// Enqueues `element`; false when the ring is full. Any thread.
    @inlinable
    public func push(_ element: Element) -> Bool { core.push(element) }

    /// Dequeues the oldest element, or nil when empty (or when the producer of the
    /// oldest claimed position has not published it yet). Consumer thread only.
    @inlinable
    public func pop() -> Element? { storage.popSingleConsumer() }
}

/// The lock-free part of an `MPSCRing`: a trivial value (pointers and integers)
/// that callers on the hot path use without retaining a ring object (see
/// `SPSCCore`). Whoever holds a core must keep its owner alive.
@usableFromInline
struct MPSCCore<Element>: RingCore, @unchecked Sendable {
    // @unchecked: positions are claimed by CAS on the tail; a slot is published by a
    // release store of its sequence and claimed by the single consumer with an
    // acquire load; room is proven by an acquire load of the head (directly or
    // through the release-stored cached head). Index words: [0] head (consumer),
    // [16] tail (producers), [32] producers' cached head.
    @usableFromInline let storage: RingStorage<Element>

    @inlinable @inline(__always)
    init(storage: RingStorage<Element>) { self.storage = storage }

    @inlinable @inline(__always)
    func push(_ element: Element) -> Bool {
        let (words, limit) = (storage.words, Int64(storage.capacity))
        var position = qa_load_relaxed(words + 16)
        while true {
            if position - qa_load_acquire(words + 32) >= limit {
                let head = qa_load_acquire(words)
                // A stale value stored by a slower producer only makes others refresh sooner.
                qa_store_release(words + 32, head)
                if position - head >= limit {
                    let current = qa_load_relaxed(words + 16)
                    if current == position { return false }
                    position = current
                    continue
                }
            }
            if qa_cas(words + 16, position, position + 1) { break }
            position = qa_load_relaxed(words + 16)
        }
        let index = storage.slot(position)
        storage.slots.store(element, at: index)
        qa_store_release(storage.slots.sequence(index), position + 1)
        return true
    }

    @inlinable @inline(__always)
    func pop() -> Element? { storage.popSingleConsumer() }
}
