import CLinuxShim
import Hardware

/// The slot memory of a bounded ring in which every slot carries a sequence word
/// beside its element (Vyukov, 2010, "Bounded MPMC queue", 1024cores.net; the
/// per-slot full flag of FastForward, Giacomoni, Moseley & Vachharajani, PPoPP 2008).
///
/// Why: a consumer that polls the producer's tail index and then reads the slot
/// misses the cache twice per message when the producer is on another core (tail
/// line, then slot line; ~200 ns each on this VM). Polling the slot's own sequence
/// word costs one miss: the element comes in the same cache line. Slots of up to
/// 64 bytes are padded to a power of two so that none straddles two lines.
@usableFromInline
struct SequencedSlots<Element>: @unchecked Sendable {
    // @unchecked: raw memory whose hand-over between threads is ordered by the
    // sequence words (release on publish, acquire on claim) by the owning ring.
    @usableFromInline let base: UnsafeMutableRawPointer
    /// Bytes from one slot to the next.
    @usableFromInline let stride: Int
    /// Offset of the element inside a slot (the sequence word is at 0).
    @usableFromInline let elementOffset: Int
    private let buffer: NodeLocalBuffer

    /// Allocates `capacity` slots on `node` and sets slot `i`'s sequence word to `initialSequence(i)`.
    init(capacity: Int, node: Int?, initialSequence: (Int) -> Int64) {
        let alignment = max(MemoryLayout<Element>.alignment, MemoryLayout<Int64>.alignment)
        let offset = max(MemoryLayout<Int64>.stride, alignment)
        var stride = (offset + MemoryLayout<Element>.size + alignment - 1) / alignment * alignment
        if stride <= 64 {
            var padded = 8
            while padded < stride { padded <<= 1 }
            stride = padded
        }
        self.stride = stride
        self.elementOffset = offset
        buffer = NodeLocalBuffer.allocate(byteCount: stride * capacity, node: node)
        base = buffer.base
        for index in 0..<capacity {
            (base + index * stride).initializeMemory(as: Int64.self, repeating: initialSequence(index), count: 1)
        }
    }

    /// The sequence word of slot `index` (use with the `qa_` atomics).
    @inlinable @inline(__always)
    func sequence(_ index: Int) -> UnsafeMutablePointer<Int64> {
        (base + index * stride).assumingMemoryBound(to: Int64.self)
    }

    /// Stores `element` into the empty slot `index` (the caller owns the slot).
    @inlinable @inline(__always)
    func store(_ element: Element, at index: Int) {
        (base + index * stride + elementOffset).initializeMemory(as: Element.self, repeating: element, count: 1)
    }

    /// Moves the element out of the full slot `index` (the caller owns the slot).
    @inlinable @inline(__always)
    func take(at index: Int) -> Element {
        (base + index * stride + elementOffset).assumingMemoryBound(to: Element.self).move()
    }

    /// Frees the memory; elements still in it must have been taken first.
    func deallocate() { buffer.deallocate() }
}
