import CLinuxShim
import Hardware

/// A bounded single-producer single-consumer ring (Lamport queue with cached
/// indices, as in Disruptor/Seastar): one `push` caller thread, one `pop`
/// caller thread, no locked instruction on either side, no allocation after
/// init. The producer and consumer indices sit on separate cache lines.
///
/// The capacity is exact (a ring of 10,000 holds 10,000), masked when it is a
/// power of two and reduced modulo otherwise.
public final class SPSCRing<Element>: @unchecked Sendable {
    // @unchecked: `push` is called from one thread at a time and `pop` from one
    // thread at a time; the slots handed over are published with release/acquire.
    public let capacity: Int
    @usableFromInline let mask: Int
    @usableFromInline let storage: UnsafeMutablePointer<Element>
    /// Index words, 128 bytes apart: [0] head (consumer), [16] tail (producer),
    /// [32] producer's cached head, [48] consumer's cached tail.
    @usableFromInline let words: UnsafeMutablePointer<Int64>
    private let storageBuffer: NodeLocalBuffer
    private let wordBuffer: NodeLocalBuffer

    /// - Parameters:
    ///   - capacity: number of elements it holds, 1...2^30.
    ///   - node: NUMA node for the memory (nil: default allocator).
    /// - Throws: `RuntimeError.invalidCapacity`.
    public init(capacity: Int, node: Int? = nil) throws(RuntimeError) {
        guard capacity >= 1, capacity <= 1 << 30 else { throw .invalidCapacity(capacity, context: "ring") }
        self.capacity = capacity
        self.mask = capacity & (capacity - 1) == 0 ? capacity - 1 : -1
        storageBuffer = NodeLocalBuffer.allocate(byteCount: MemoryLayout<Element>.stride * capacity, node: node)
        wordBuffer = NodeLocalBuffer.allocate(byteCount: 64 * 8, node: node)
        storage = storageBuffer.base.bindMemory(to: Element.self, capacity: capacity)
        words = wordBuffer.base.bindMemory(to: Int64.self, capacity: 64)
    }

    deinit {
        while pop() != nil {}
        storageBuffer.deallocate()
        wordBuffer.deallocate()
    }

    @inlinable @inline(__always)
    func slot(_ position: Int64) -> Int {
        mask >= 0 ? Int(position) & mask : Int(position % Int64(capacity))
    }

    /// Enqueues `element`; false when the ring is full. Producer thread only.
    @inlinable
    public func push(_ element: Element) -> Bool {
        let tail = qa_load_relaxed(words + 16)
        if tail - words[32] >= Int64(capacity) {
            words[32] = qa_load_acquire(words)
            if tail - words[32] >= Int64(capacity) { return false }
        }
        (storage + slot(tail)).initialize(to: element)
        qa_store_release(words + 16, tail + 1)
        return true
    }

    /// Dequeues the oldest element, or nil when empty. Consumer thread only.
    @inlinable
    public func pop() -> Element? {
        let head = qa_load_relaxed(words)
        if head >= words[48] {
            words[48] = qa_load_acquire(words + 16)
            if head >= words[48] { return nil }
        }
        let element = (storage + slot(head)).move()
        qa_store_release(words, head + 1)
        return element
    }

    /// Elements currently queued (a racy snapshot from other threads).
    @inlinable
    public var count: Int { Int(qa_load_acquire(words + 16) - qa_load_acquire(words)) }

    /// Whether `pop` would find nothing (a snapshot).
    @inlinable
    public var isEmpty: Bool { qa_load_acquire(words + 16) == qa_load_acquire(words) }
}

extension SPSCRing {
    /// Number of pushes ever made (a snapshot).
    public var tailPosition: Int64 { qa_load_acquire(words + 16) }
}
