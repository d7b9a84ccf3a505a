import CLinuxShim
import Hardware

/// A bounded multi-producer multi-consumer ring (Vyukov, 2010: "Bounded MPMC
/// queue", 1024cores.net): one CAS per push and per pop, a sequence word per slot,
/// no allocation after init. Used for executor job queues, MPSC channels, and
/// channels whose `dropOldest` policy makes a producer consume.
public final class MPMCRing<Element>: @unchecked Sendable {
    // @unchecked: every slot hand-over is ordered by its sequence word
    // (release on publish, acquire on claim); indices move only by CAS.
    public let capacity: Int
    @usableFromInline let mask: Int
    @usableFromInline let storage: UnsafeMutablePointer<Element>
    @usableFromInline let sequences: UnsafeMutablePointer<Int64>
    /// [0] head (consumers), [16] tail (producers): separate cache lines.
    @usableFromInline let words: UnsafeMutablePointer<Int64>
    private let storageBuffer: NodeLocalBuffer
    private let sequenceBuffer: NodeLocalBuffer
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
        sequenceBuffer = NodeLocalBuffer.allocate(byteCount: 8 * capacity, node: node)
        wordBuffer = NodeLocalBuffer.allocate(byteCount: 32 * 8, node: node)
        storage = storageBuffer.base.bindMemory(to: Element.self, capacity: capacity)
        sequences = sequenceBuffer.base.bindMemory(to: Int64.self, capacity: capacity)
        words = wordBuffer.base.bindMemory(to: Int64.self, capacity: 32)
        for index in 0..<capacity { sequences[index] = Int64(index) }
    }

    deinit {
        while pop() != nil {}
        storageBuffer.deallocate()
        sequenceBuffer.deallocate()
        wordBuffer.deallocate()
    }

    @inlinable @inline(__always)
    func slot(_ position: Int64) -> Int {
        mask >= 0 ? Int(position) & mask : Int(position % Int64(capacity))
    }

    /// Enqueues `element`; false when the ring is full. Any thread.
    @inlinable
    public func push(_ element: Element) -> Bool {
        var position = qa_load_relaxed(words + 16)
        while true {
            let index = slot(position)
            let sequence = qa_load_acquire(sequences + index)
            let difference = sequence - position
            if difference == 0 {
                if qa_cas(words + 16, position, position + 1) {
                    (storage + index).initialize(to: element)
                    qa_store_release(sequences + index, position + 1)
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

    /// Dequeues the oldest element, or nil when empty. Any thread.
    @inlinable
    public func pop() -> Element? {
        var position = qa_load_relaxed(words)
        while true {
            let index = slot(position)
            let sequence = qa_load_acquire(sequences + index)
            let difference = sequence - (position + 1)
            if difference == 0 {
                if qa_cas(words, position, position + 1) {
                    let element = (storage + index).move()
                    qa_store_release(sequences + index, position + Int64(capacity))
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

    /// Elements currently queued (a racy snapshot, clamped to 0...capacity).
    @inlinable
    public var count: Int {
        let value = Int(qa_load_acquire(words + 16) - qa_load_acquire(words))
        return min(max(value, 0), capacity)
    }

    /// Whether `pop` would find nothing (a snapshot).
    @inlinable
    public var isEmpty: Bool { count == 0 }
}

extension MPMCRing {
    /// Number of pushes ever made (a snapshot).
    public var tailPosition: Int64 { qa_load_acquire(words + 16) }
}
