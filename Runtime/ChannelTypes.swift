/// What a channel does with a message that finds it full. Every case is counted.
public enum OverflowPolicy: String, Sendable, Codable, CaseIterable {
    /// Evict the oldest queued message to make room (market data).
    case dropOldest
    /// Discard the new message.
    case dropNewest
    /// Refuse the new message and tell the sender (orders).
    case reject
}

/// Who sends into a channel: one thread (the lock-free SPSC fast path) or several.
public enum ProducerMode: String, Sendable, Codable {
    case single
    case multiple
}

/// The result of `send`.
public enum SendOutcome: Sendable, Equatable {
    /// Queued.
    case enqueued
    /// Queued after evicting the oldest message (`dropOldest`).
    case enqueuedDroppingOldest
    /// Discarded because the channel was full (`dropNewest`).
    case droppedNewest
    /// Refused because the channel was full (`reject`).
    case rejected
    /// Replaced the pending message with the same key (conflating channels).
    case conflated
    /// Refused: invalid conflation key.
    case invalidKey
    /// Refused: the channel is closed.
    case closed

    /// Whether the message will be delivered.
    public var isAccepted: Bool {
        switch self {
        case .enqueued, .enqueuedDroppingOldest, .conflated: return true
        case .droppedNewest, .rejected, .invalidKey, .closed: return false
        }
    }
}

/// Options of a channel.
public struct ChannelConfiguration: Sendable, Equatable {
    /// Shown in stats and errors.
    public var name: String
    /// Messages it holds; the seed's `max_queue_size` (10,000) by default.
    public var capacity: Int
    public var overflow: OverflowPolicy
    /// `.single` selects the SPSC ring unless the policy is `dropOldest` (whose
    /// producer must also consume, so it needs the MPMC ring).
    public var producers: ProducerMode
    /// NUMA node for the ring memory (nil: default allocator).
    public var node: Int?

    public init(name: String, capacity: Int = 10_000, overflow: OverflowPolicy = .reject,
                producers: ProducerMode = .multiple, node: Int? = nil) {
        self.name = name
        self.capacity = capacity
        self.overflow = overflow
        self.producers = producers
        self.node = node
    }
}

/// A snapshot of a channel's counters. Every message sent is exactly one of:
/// `enqueued` (accepted), `droppedNewest`, `rejected` or `conflated` (merged into a
/// pending one); every accepted message is `delivered`, still queued (`depth`) or
/// `droppedOldest`.
public struct ChannelStats: Sendable, Equatable, Codable {
    public var name: String
    public var capacity: Int
    public var depth: Int
    public var highWater: Int
    public var enqueued: Int
    public var delivered: Int
    public var droppedOldest: Int
    public var droppedNewest: Int
    public var rejected: Int
    public var conflated: Int

    /// Messages lost to overflow (oldest or newest).
    public var dropped: Int { droppedOldest + droppedNewest }
}
