import Synchronization

/// An atomic counter alone on its cache lines. The tick mailbox's producer (the feed
/// thread) and consumer (the engine) update different counters at every tick or batch;
/// stored side by side in one object, each update would take the line away from the
/// other core and make its next access a miss.
final class PaddedCounter: Sendable {
    // Padding before and after the atomic (declaration order is the stored layout).
    private let before: (UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0, 0, 0, 0, 0)
    let value: Atomic<Int>
    private let after: (UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0, 0, 0, 0, 0)

    init(_ initial: Int = 0) { value = Atomic(initial) }
}
