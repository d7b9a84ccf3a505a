/// A fixed-capacity FIFO of (order slot, due time) kept in non-decreasing due order: a push
/// whose due time is earlier than the last one is clamped up to it. Each open order has at
/// most one pending event, so a ring sized to the venue's capacity never overflows.
struct EventRing: Sendable {
    struct Event: Sendable {
        var slot: Int32
        var due: UInt64
    }

    private var storage: [Event]
    private var head = 0
    private(set) var count = 0

    init(capacity: Int) {
        storage = [Event](repeating: Event(slot: 0, due: 0), count: max(1, capacity))
    }

    /// Due time of the oldest event, nil when empty.
    var frontDue: UInt64? { count == 0 ? nil : storage[head].due }

    mutating func push(slot: Int32, due: UInt64) {
        precondition(count < storage.count, "EventRing overflow: more pending events than open-order slots")
        var due = due
        if count > 0 {
            let last = storage[wrap(head + count - 1)].due
            if due < last { due = last }
        }
        storage[wrap(head + count)] = Event(slot: slot, due: due)
        count += 1
    }

    /// Removes the oldest event; only call when `count > 0`.
    mutating func pop() -> Event {
        let event = storage[head]
        head = wrap(head + 1)
        count -= 1
        return event
    }

    /// `i % capacity` for i < 2·capacity, without a division.
    @inline(__always) private func wrap(_ i: Int) -> Int { i >= storage.count ? i - storage.count : i }
}
