import Synchronization

/// A message that made its handler throw, kept for inspection.
public struct DeadLetter: Sendable, Equatable, Codable {
    public var actor: String
    /// `String(describing:)` of the message.
    public var message: String
    public var error: String
    /// Clock reading (ns) when it failed.
    public var time: UInt64
}

/// A bounded queue of dead letters: the newest `capacity` are kept and the
/// number evicted is counted.
public final class DeadLetterQueue: Sendable {
    private struct State {
        var letters: [DeadLetter] = []
        var total = 0
    }

    public let capacity: Int
    private let state = Mutex(State())

    public init(capacity: Int = 1000) { self.capacity = max(1, capacity) }

    public func append(_ letter: DeadLetter) {
        state.withLock { state in
            state.total += 1
            state.letters.append(letter)
            if state.letters.count > capacity { state.letters.removeFirst(state.letters.count - capacity) }
        }
    }

    /// The kept letters, oldest first.
    public var letters: [DeadLetter] { state.withLock { $0.letters } }
    /// All dead letters ever appended.
    public var totalCount: Int { state.withLock { $0.total } }
    /// Letters evicted because the queue was full.
    public var evictedCount: Int { state.withLock { $0.total - $0.letters.count } }
}
