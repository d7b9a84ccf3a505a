import CLinuxShim
import Hardware

/// The memory every ring here is made of: the slots (`SequencedSlots`), three
/// index words on cache lines of their own, the capacity and the mask. It also
/// holds what the rings do alike: position → slot, the single-consumer pop (SPSC,
/// MPSC; also a safe drain of any ring once no thread uses it), `hasNext` and
/// `count`. What differs, how producers and consumers claim a position, stays in
/// each ring's core (`SPSCCore`, `MPSCCore`, `MPMCCore`).
///
/// A trivial value (pointers and integers), so a core built on it can be copied
/// into a channel and used without retaining a ring object. Whoever holds one
/// must keep its owner (a `SequencedRing`) alive.
@usableFromInline
struct RingStorage<Element>: @unchecked Sendable {
    // @unchecked: raw memory; which thread may write which word, and with which
    // ordering, is the protocol of the core that uses it (see each core).
    @usableFromInline let capacity: Int
    /// `capacity - 1` when the capacity is a power of two (positions are masked),
    /// -1 otherwise (positions are reduced modulo the capacity).
    @usableFromInline let mask: Int
    @usableFromInline let slots: SequencedSlots<Element>
    /// Index words, 128 bytes apart: [0] head (consumers), [16] tail (producers),
    /// [32] producers' cached head (SPSC and MPSC only).
    @usableFromInline let words: UnsafeMutablePointer<Int64>
    private let wordBuffer: NodeLocalBuffer

    /// Allocates `capacity` slots whose sequence words start at `initialSequence(i)`,
    /// and `indexWords` zeroed index words, on `node` (nil: default allocator).
    init(capacity: Int, node: Int?, indexWords: Int, initialSequence: (Int) -> Int64) {
        self.capacity = capacity
        mask = capacity & (capacity - 1) == 0 ? capacity - 1 : -1
        slots = SequencedSlots(capacity: capacity, node: node, initialSequence: initialSequence)
        wordBuffer = NodeLocalBuffer.allocate(byteCount: indexWords * 8, node: node)
        words = wordBuffer.base.bindMemory(to: Int64.self, capacity: indexWords)
    }

    /// Frees the slots and the index words; elements still queued must have been taken first.
    func deallocate() {
        slots.deallocate()
        wordBuffer.deallocate()
    }

    /// The slot index of `position`.
    @inlinable @inline(__always)
    func slot(_ position: Int64) -> Int {
        mask >= 0 ? Int(position) & mask : Int(position % Int64(capacity))
    }

    /// Takes the element at the head when its slot is published (sequence = head + 1),
    /// then publishes the new head. Only for rings with one consumer thread at a time.
    @inlinable @inline(__always)
    func popSingleConsumer() -> Element? {
        let head = qa_load_relaxed(words)
        let index = slot(head)
        guard qa_load_acquire(slots.sequence(index)) == head + 1 else { return nil }
        let element = slots.take(at: index)
        qa_store_release(words, head + 1)
        return element
    }

    /// Whether the slot at the head holds an element, read from the head slot alone
    /// (never the producers' index): exact on a single consumer's thread, a snapshot elsewhere.
    @inlinable @inline(__always)
    var hasNext: Bool {
        let head = qa_load_acquire(words)
        return qa_load_acquire(slots.sequence(slot(head))) == head + 1
    }

    /// Positions claimed and not yet consumed (a racy snapshot, clamped to 0...capacity).
    @inlinable @inline(__always)
    var count: Int {
        let value = Int(qa_load_acquire(words + 16) - qa_load_acquire(words))
        return min(max(value, 0), capacity)
    }
}

/// A ring's lock-free core: its claiming protocol (`push`, `pop`) over a
/// `RingStorage`; the read-only queries come from the storage.
@usableFromInline
protocol RingCore {
    associatedtype Element
    var storage: RingStorage<Element> { get }
}

extension RingCore {
    /// The index words (see `RingStorage.words`), for counters read from the indices.
    @inlinable @inline(__always)
    var words: UnsafeMutablePointer<Int64> { storage.words }

    /// See `RingStorage.hasNext`.
    @inlinable @inline(__always)
    var hasNext: Bool { storage.hasNext }

    /// See `RingStorage.count`.
    @inlinable @inline(__always)
    var count: Int { storage.count }
}
