// A bounded set of recently seen identifiers (FIFO eviction).

/// Remembers the last `capacity` identifiers inserted, for idempotent processing of
/// at-least-once deliveries.
struct RecentIDs<ID: Hashable & Sendable>: Sendable {
    private var members: Set<ID> = []
    private var order: [ID] = []
    private var head = 0
    let capacity: Int

    init(capacity: Int) { self.capacity = max(1, capacity) }

    /// Inserts `id`; returns `false` if it was already present.
    mutating func insert(_ id: ID) -> Bool {
        guard members.insert(id).inserted else { return false }
        if order.count < capacity {
            order.append(id)
        } else {
            members.remove(order[head])
            order[head] = id
            head = (head + 1) % capacity
        }
        return true
    }

    func contains(_ id: ID) -> Bool { members.contains(id) }
}
