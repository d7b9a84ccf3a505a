import CLinuxShim
import Hardware

/// A bounded multi-producer multi-consumer ring (Vyukov, 2010: "Bounded MPMC
/// queue", 1024cores.net): one CAS per push and per pop, a sequence word per slot,
/// no allocation after init. Used for channels whose `dropOldest` policy makes a
/// producer consume, and for conflation key queues. The sequence word sits in the
/// slot's cache line (`SequencedSlots`), so a hand-over costs one line transfer.
/// Capacity, memory and queries: see `SequencedRing`.
public final class MPMCRing<Element>: SequencedRing<Element>, @unchecked Sendable {
    // @unchecked: see `MPMCCore`.

    /// - Parameters:
    ///   - capacity: number of elements it holds, 1...2^30.
    ///   - node: NUMA node for the memory (nil: default allocator).
    /// - Throws: `RuntimeError.invalidCapacity`.
    public init(capacity: Int, node: Int? = nil) throws(RuntimeError) {
        // Slot i is free for position p when its sequence is p, full when p + 1.
        try super.init(capacity: capacity, node: node, indexWords: 32) { Int64($0) }
    }

    /// The lock-free part, for callers that must not retain the ring per message.
    @inlinable
    var core: MPMCCore<Element> { MPMCCore(storage: storage) }

    /// Enqueues `element`; false when the ring is full. Any thread.
    @inlinable
    public func push(_ element: Element) -> Bool { core.push(element) }

    /// Dequeues the oldest element, or nil when empty. Any thread.
    @inlinable
    public func pop() -> Element? { core.pop() }
}

/// The lock-free part of an `MPMCRing`: a trivial value (pointers and integers)
/// that callers on the hot path use without retaining a ring object (see
/// `SPSCCore`). Whoever holds a core must keep its owner alive.
@usableFromInline
struct MPMCCore<Element>: RingCore, @unchecked Sendable {
    // @unchecked: every slot hand-over is ordered by its sequence word
    // (release on publish, acquire on claim); indices move only by CAS.
    // Index words: [0] head (consumers), [16] tail (producers).
    @usableFromInline let storage: RingStorage<Element>

    @inlinable @inline(__always)
    init(storage: RingStorage<Element>) { self.storage = storage }

    @inlinable @inline(__always)
    func push(_ element: Element) -> Bool {
        let (words, slots) = (storage.words, storage.slots)
        var position = qa_load_relaxed(words + 16)
        while true {
            let index = storage.slot(position)
            let sequence = qa_load_acquire(slots.sequence(index))
            let difference = sequence - position
            if difference == 0 {
                if qa_cas(words + 16, position, position + 1) {
                    slots.store(element, at: index)
                    qa_store_release(slots.sequence(index), position + 1)
                    return true
                }
                position = qa_load_relaxed(words + 16)
            } else if difference < 0 {
                return false
            } else {
                position = qa_load_relaxed(words + 16)
            }
        }
    }

    @inlinable @inline(__always)
    func pop() -> Element? {
        let (words, slots) = (storage.words, storage.slots)
        var position = qa_load_relaxed(words)
        while true {
            let index = storage.slot(position)
            let sequence = qa_load_acquire(slots.sequence(index))
            let difference = sequence - (position + 1)
            if difference == 0 {
                if qa_cas(words, position, position + 1) {
                    let element = slots.take(at: index)
                    qa_store_release(slots.sequence(index), position + Int64(storage.capacity))
                    return element
                }
                position = qa_load_relaxed(words)
            } else if difference < 0 {
                return nil
            } else {
                position = qa_load_relaxed(words)
            }
        }
    }
}
