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
public final class MPSCRing<Element>: @unchecked Sendable {
    // @unchecked: see `MPSCCore`.
    @usableFromInline let core: MPSCCore<Element>
    public var capacity: Int { core.capacity }

    /// - Parameters:
    ///   - capacity: number of elements it holds, 1...2^30.
    ///   - node: NUMA node for the memory (nil: default allocator).
    /// - Throws: `RuntimeError.invalidCapacity`.
    public init(capacity: Int, node: Int? = nil) throws(RuntimeError) {
        guard capacity >= 1, capacity <= 1 << 30 else { throw .invalidCapacity(capacity, context: "ring") }
        core = MPSCCore(capacity: capacity, node: node)
    }

    deinit {
        while core.pop() != nil {}
        core.deallocate()
    }

    /// Enqueues `element`; false when the ring is full. Any thread.
    @inlinable
    public func push(_ element: Element) -> Bool { core.push(element) }

    /// Dequeues the oldest element, or nil when empty (or when the producer of the
    /// oldest claimed position has not published it yet). Consumer thread only.
    @inlinable
    public func pop() -> Element? { core.pop() }

    /// Whether `pop` would return an element now. Exact on the consumer thread; a
    /// snapshot elsewhere.
    @inlinable
    public var hasNext: Bool { core.hasNext }

    /// Elements queued or being published now (a racy snapshot, clamped to 0...capacity).
    @inlinable
    public var count: Int { core.count }

    /// Whether no position is claimed and unconsumed (a snapshot).
    @inlinable
    public var isEmpty: Bool { core.count == 0 }

    /// Number of positions ever claimed by producers (a snapshot).
    public var tailPosition: Int64 { qa_load_acquire(core.words + 16) }
    /// Number of pops ever made (a snapshot).
    public var headPosition: Int64 { qa_load_acquire(core.words) }
}

/// The lock-free part of an `MPSCRing`: a trivial value (pointers and integers)
/// that callers on the hot path use without retaining a ring object (see
/// `SPSCCore`). Whoever holds a core must keep its owner alive.
@usableFromInline
struct MPSCCore<Element>: @unchecked Sendable {
    // @unchecked: positions are claimed by CAS on the tail; a slot is published by a
    // release store of its sequence and claimed by the single consumer with an
    // acquire load; room is proven by an acquire load of the head (directly or
    // through the release-stored cached head).
    @usableFromInline let capacity: Int
    @usableFromInline let mask: Int
    @usableFromInline let slots: SequencedSlots<Element>
    /// Index words, 128 bytes apart: [0] head (consumer), [16] tail (producers),
    /// [32] producers' cached head.
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
        let limit = Int64(capacity)
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
        let index = slot(position)
        slots.store(element, at: index)
        qa_store_release(slots.sequence(index), position + 1)
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
