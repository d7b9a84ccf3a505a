// The bounded buffer behind the delivering alert channels (webhook, Redis): events in
// sequence order, the oldest dropped and counted on overflow, removed only once delivered.

import NIOCore

/// Alert events waiting for delivery, oldest first, each with a sequence number so a
/// delivery that completes after drops can remove exactly what it sent.
///
/// A plain value: the channels keep it inside their lock-protected state.
struct AlertOutbox: Sendable {
    /// One buffered event.
    struct Entry: Sendable {
        var sequence: UInt64
        var event: AlertEvent
    }

    private var buffer: CircularBuffer<Entry>
    private var nextSequence: UInt64 = 0
    let capacity: Int
    /// Events accepted by `append`.
    private(set) var enqueued = 0
    /// Events dropped: the oldest on overflow, or refused because the channel was closed.
    private(set) var dropped = 0

    init(capacity: Int) {
        self.capacity = max(1, capacity)
        buffer = CircularBuffer(initialCapacity: self.capacity)
    }

    /// Appends an event; when full, drops the oldest first. Returns whether one was dropped.
    @discardableResult
    mutating func append(_ event: AlertEvent) -> Bool {
        var overflowed = false
        if buffer.count >= capacity {
            buffer.removeFirst()
            dropped += 1
            overflowed = true
        }
        buffer.append(Entry(sequence: nextSequence, event: event))
        nextSequence += 1
        enqueued += 1
        return overflowed
    }

    /// Counts an event refused without buffering (the channel is closed).
    mutating func refuse() { dropped += 1 }

    var count: Int { buffer.count }
    var isEmpty: Bool { buffer.isEmpty }
    var first: Entry? { buffer.first }

    /// The oldest `size` events, still buffered.
    func prefix(_ size: Int) -> [Entry] { Array(buffer.prefix(size)) }

    /// Removes every event up to and including `sequence` (those dropped meanwhile are gone).
    mutating func removeThrough(_ sequence: UInt64) {
        while let head = buffer.first, head.sequence <= sequence { buffer.removeFirst() }
    }
}
