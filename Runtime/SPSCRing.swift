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
/// The indices sit on separate cache lines.
///
/// The capacity is exact (a ring of 10,000 holds 10,000), masked when it is a
/// power of two and reduced modulo otherwise.
public final class SPSCRing<Element>: @unchecked Sendable {
    // @unchecked: see `SPSCCore`.
    @usableFromInline let core: SPSCCore<Element>
    public var capacity: Int { core.capacity }

    /// - Parameters:
    ///   - capacity: number of elements it holds, 1...2^30.
    ///   - node: NUMA node for the memory (nil: default allocator).
    /// - Throws: `RuntimeError.invalidCapacity`.
    public init(capacity: Int, node: Int? = nil) throws(RuntimeError) {
        guard capacity >= 1, capacity <= 1 << 30 else { throw .invalidCapacity(capacity, context: "ring") }
        core = SPSCCore(capacity: capacity, node: node)
    }

    deinit {
        while core.pop() != nil {}
        core.deallocate()
    }

    /// Enqueues `element`; false when the ring is full. Producer thread only.
    @inlinable
    public func push(_ element: Element) -> Bool { core.push(element) }

    /// Dequeues the oldest element, or nil when empty. Consumer thread only.
    @inlinable
    public func pop() -> Element? { core.pop() }

    /// Whether `pop` would return an element now. Exact on the consumer thread
    /// (it reads only the head slot); a snapshot elsewhere.
    @inlinable
    public var hasNext: Bool { core.hasNext }

    /// Elements currently queued (a racy snapshot from other threads, clamped to
    /// 0...capacity: the tail index is published just after the slot).
    @inlinable
    public var count: Int { core.count }

    /// Whether `pop` would find nothing (a snapshot).
    @inlinable
    public var isEmpty: Bool { core.count == 0 }

    /// Number of pushes ever made (a snapshot).
    public var tailPosition: Int64 { qa_load_acquire(core.words + 16) }
    /// Number of pops ever made (a snapshot).
    public var headPosition: Int64 { qa_load_acquire(core.words) }
}

/// The lock-free part of an `SPSCRing`: plain pointers and integers, a trivial
/// value, so that a channel can call it without retaining a ring object. (A
/// retain is an atomic write to the object's header; done by the sender on every
/// message it would pull the line the receiver reads the ring's fields from.)
/// Whoever holds a core must keep its owner (the `SPSCRing`) alive.
@usableFromInline
struct SPSCCore<Element>: @unchecked Sendable {
    // @unchecked: `push` is called from one thread at a time and `pop` from one
    // thread at a time; a slot is published by a release store of its sequence
    // word and claimed by an acquire load of it; room by the head index likewise.
    @usableFromInline let capacity: Int
    @usableFromInline let mask: Int
    @usableFromInline let slots: SequencedSlots<Element>
    /// Index words, 128 bytes apart: [0] head (consumer), [16] tail (producer; read
    /// only by `count` and stats), [32] producer's cached head.
    @usableFromInline let words: UnsafeMutablePointer<Int64>
    private let wordBuffer: NodeLocalBuffer

    init(capacity: Int, node: Int?) {
        self.capacity = capacity
        mask = capacity & (capacity - 1) == 0 ? capacity - 1 : -1
        // Slot i holds position p when its sequence is p + 1; 0 means "never written".
        slots = SequencedSlots(capacity: capacity, node: node) { _ in 0 }
        wordBuffer = NodeLocalBuffer.allocate(byteCount: 48 * 8, node: node)
        words = wordBuffer.base.bindMemory(to: Int64.self, capacity: 48)
    }

    func deallocate() {
        slots.deallocate()
        wordBuffer.deallocate()
    }

    @inlinable @inline(__always)
    func slot(_ position: Int64) -> Int {
        mask >= 0 ? Int(position) & mask : Int(position % Int64(capacity))
    }

    @inlinable @inline(__always)
    func push(_ element: Element) -> Bool {
        let tail = qa_load_relaxed(words + 16)
        if tail - qa_load_relaxed(words + 32) >= Int64(capacity) {
            qa_store_relaxed(words + 32, qa_load_acquire(words))
            if tail - qa_load_relaxed(words + 32) >= Int64(capacity) { return false }
        }
        let index = slot(tail)
        slots.store(element, at: index)
        qa_store_release(slots.sequence(index), tail + 1)
        qa_store_release(words + 16, tail + 1)
        return true
    }

    @inlinable @inline(__always)
    func pop() -> Element? {
        let head = qa_load_relaxed(words)
        let index = slot(head)
        guard qa_load_acquire(slots.sequence(index)) == head + 1 else { return nil }
        let element = slots.take(at: index)
        qa_store_release(words, head + 1)
        return element
    }

    @inlinable @inline(__always)
    var hasNext: Bool {
        let head = qa_load_acquire(words)
        return qa_load_acquire(slots.sequence(slot(head))) == head + 1
    }

    @inlinable @inline(__always)
    var count: Int {
        let value = Int(qa_load_acquire(words + 16) - qa_load_acquire(words))
        return min(max(value, 0), capacity)
    }
}
