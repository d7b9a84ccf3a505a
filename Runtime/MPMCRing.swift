import CLinuxShim
import Hardware

/// A bounded multi-producer multi-consumer ring (Vyukov, 2010: "Bounded MPMC
/// queue", 1024cores.net): one CAS per push and per pop, a sequence word per slot,
/// no allocation after init. Used for channels whose `dropOldest` policy makes a
/// producer consume, and for conflation key queues. The sequence word sits in the
/// slot's cache line (`SequencedSlots`), so a hand-over costs one line transfer.
public final class MPMCRing<Element>: @unchecked Sendable {
    // @unchecked: see `MPMCCore`.
    @usableFromInline let core: MPMCCore<Element>
    public var capacity: Int { core.capacity }

    /// - Parameters:
    ///   - capacity: number of elements it holds, 1...2^30.
    ///   - node: NUMA node for the memory (nil: default allocator).
    /// - Throws: `RuntimeError.invalidCapacity`.
    public init(capacity: Int, node: Int? = nil) throws(RuntimeError) {
        guard capacity >= 1, capacity <= 1 << 30 else { throw .invalidCapacity(capacity, context: "ring") }
        core = MPMCCore(capacity: capacity, node: node)
    }

    deinit {
        while core.pop() != nil {}
        core.deallocate()
    }

    /// Enqueues `element`; false when the ring is full. Any thread.
    @inlinable
    public func push(_ element: Element) -> Bool { core.push(element) }

    /// Dequeues the oldest element, or nil when empty. Any thread.
    @inlinable
    public func pop() -> Element? { core.pop() }

    /// Elements currently queued (a racy snapshot, clamped to 0...capacity).
    @inlinable
    public var count: Int { core.count }

    /// Whether the slot at the head holds an element (a snapshot read from the head
    /// slot alone, without the producers' index).
    @inlinable
    public var hasNext: Bool { core.hasNext }

    /// Whether `pop` would find nothing (a snapshot).
    @inlinable
    public var isEmpty: Bool { core.count == 0 }

    /// Number of pushes ever made (a snapshot).
    public var tailPosition: Int64 { qa_load_acquire(core.words + 16) }
}

/// The lock-free part of an `MPMCRing`: a trivial value (pointers and integers)
/// that callers on the hot path use without retaining a ring object (see
/// `SPSCCore`). Whoever holds a core must keep its owner alive.
@usableFromInline
struct MPMCCore<Element>: @unchecked Sendable {
    // @unchecked: every slot hand-over is ordered by its sequence word
    // (release on publish, acquire on claim); indices move only by CAS.
    @usableFromInline let capacity: Int
    @usableFromInline let mask: Int
    @usableFromInline let slots: SequencedSlots<Element>
    /// [0] head (consumers), [16] tail (producers): separate cache lines.
    @usableFromInline let words: UnsafeMutablePointer<Int64>
    private let wordBuffer: NodeLocalBuffer

    init(capacity: Int, node: Int?) {
        self.capacity = capacity
        mask = capacity & (capacity - 1) == 0 ? capacity - 1 : -1
        // Slot i is free for position p when its sequence is p, full when p + 1.
        slots = SequencedSlots(capacity: capacity, node: node) { Int64($0) }
        wordBuffer = NodeLocalBuffer.allocate(byteCount: 32 * 8, node: node)
        words = wordBuffer.base.bindMemory(to: Int64.self, capacity: 32)
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
        var position = qa_load_relaxed(words + 16)
        while true {
            let index = slot(position)
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
        var position = qa_load_relaxed(words)
        while true {
            let index = slot(position)
            let sequence = qa_load_acquire(slots.sequence(index))
            let difference = sequence - (position + 1)
            if difference == 0 {
                if qa_cas(words, position, position + 1) {
                    let element = slots.take(at: index)
                    qa_store_release(slots.sequence(index), position + Int64(capacity))
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
