import CLinuxShim

/// A non-generic, allocation-free test of whether a drainable may have work: the
/// executor reads it on every pass of its loop before calling `drain`, so an empty
/// mailbox costs two loads and no call into generic code (whose unspecialised
/// `Channel<Message>` path looks up type metadata on every call).
///
/// It reads the same words as `RingStorage.hasNext` (the consumer's head index and
/// the sequence word of the head slot), plus optional attention words that the
/// owner sets when it must run without a message (a restart request, a backoff to
/// end). A probe with no ring answers "maybe" every time (`always`).
///
/// The pointers belong to the drainable; the executor reads the probe only while it
/// keeps that drainable alive (between `register` and `unregister`).
public struct DrainProbe: @unchecked Sendable {
    // @unchecked: raw pointers into memory the drainable owns and keeps alive; the
    // words are read with the atomics the ring's protocol uses.
    let head: UnsafeMutablePointer<Int64>?
    let slots: UnsafeMutableRawPointer?
    let stride: Int
    /// As `RingStorage.mask`: -1 when positions are reduced modulo `capacity`.
    let mask: Int
    let capacity: Int
    /// Words any of which, when nonzero, means "call `drain`".
    let attention: UnsafeMutablePointer<Int64>?
    let attentionCount: Int

    /// A probe that always says there may be work (the default for drainables without one).
    public static let always = DrainProbe(
        head: nil, slots: nil, stride: 0, mask: 0, capacity: 1, attention: nil, attentionCount: 0)

    init(head: UnsafeMutablePointer<Int64>?, slots: UnsafeMutableRawPointer?, stride: Int, mask: Int, capacity: Int,
         attention: UnsafeMutablePointer<Int64>?, attentionCount: Int) {
        self.head = head
        self.slots = slots
        self.stride = stride
        self.mask = mask
        self.capacity = capacity
        self.attention = attention
        self.attentionCount = attentionCount
    }

    /// The probe of a ring with a single consumer thread (the one that reads the probe).
    init<Element>(ring storage: RingStorage<Element>) {
        self.init(head: storage.words, slots: storage.slots.base, stride: storage.slots.stride, mask: storage.mask,
                  capacity: storage.capacity, attention: nil, attentionCount: 0)
    }

    /// This probe with `count` attention words at `words` added.
    func adding(attention words: UnsafeMutablePointer<Int64>, count: Int) -> DrainProbe {
        DrainProbe(head: head, slots: slots, stride: stride, mask: mask, capacity: capacity,
                   attention: words, attentionCount: count)
    }

    /// Whether `drain` may find work: the head slot is published, an attention word
    /// is set, or the probe has no ring to look at. Exact on the consumer's thread.
    @inline(__always)
    var mayHaveWork: Bool {
        if let attention {
            for index in 0..<attentionCount where qa_load_acquire(attention + index) != 0 { return true }
        }
        guard let head, let slots else { return true }
        let position = qa_load_acquire(head)
        let index = mask >= 0 ? Int(position) & mask : Int(position % Int64(capacity))
        return qa_load_acquire((slots + index * stride).assumingMemoryBound(to: Int64.self)) == position + 1
    }
}

/// What the executor's loop calls for one registered drainable, without retaining
/// it: made once per registration (opening the existential), it forwards `drain`
/// through an unretained reference, so a pass costs no ARC traffic and no write to
/// the drainable's header line. Whoever holds an entry keeps its drainable alive.
class DrainEntry {
    /// Forwards to the drainable's `drain(budget:)`.
    func drain(budget: Int) -> Int { 0 }

    /// The entry for `drainable`.
    static func make(_ drainable: any Drainable) -> DrainEntry { makeTyped(drainable) }

    private static func makeTyped<D: Drainable>(_ drainable: D) -> DrainEntry { TypedDrainEntry(drainable) }
}

private final class TypedDrainEntry<D: Drainable>: DrainEntry {
    private let target: Unmanaged<D>

    init(_ target: D) { self.target = .passUnretained(target) }

    override func drain(budget: Int) -> Int { target._withUnsafeGuaranteedRef { $0.drain(budget: budget) } }
}
