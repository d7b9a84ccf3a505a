import Synchronization

/// A bounded mailbox owned by one receiving actor: producers `send` from any
/// thread; the receiver's executor drains it in batches between jobs and hands
/// each message to the actor (through `assumeIsolated` in `ActorCell`), so the hot
/// path needs no Task, continuation or allocation per message.
///
/// Rings: SPSC (no locked instruction) when there is one producer thread and the
/// policy is not `dropOldest`; Vyukov MPMC otherwise. Counters come from the ring
/// indices where possible so the fast path adds no atomic read-modify-write.
public final class Channel<Message: Sendable>: Drainable, @unchecked Sendable {
    // @unchecked: the rings are thread-safe for their producer mode; counters are
    // atomics; `handler` and `receiver` are set once in `bind` before registration.

    public let configuration: ChannelConfiguration
    @usableFromInline let spsc: SPSCRing<Message>?
    @usableFromInline let mpmc: MPMCRing<Message>?
    @usableFromInline let droppedOldest = Atomic<Int>(0)
    @usableFromInline let droppedNewest = Atomic<Int>(0)
    @usableFromInline let rejected = Atomic<Int>(0)
    @usableFromInline let closedFlag = Atomic<Bool>(false)
    private let delivered = Atomic<Int>(0)
    private let highWater = Atomic<Int>(0)
    /// Receiver side, set once by `bind`.
    @usableFromInline var receiver: (any ActorExecutor)?
    private var handler: ((Message) -> Bool)?
    /// Consumer-thread-local count of delivered messages (published to `delivered`).
    private var localDelivered = 0

    /// - Throws: `RuntimeError.invalidCapacity` when the capacity is not in 1...2^30.
    public init(_ configuration: ChannelConfiguration) throws(RuntimeError) {
        guard configuration.capacity >= 1, configuration.capacity <= 1 << 30 else {
            throw .invalidCapacity(configuration.capacity, context: "channel '\(configuration.name)'")
        }
        self.configuration = configuration
        if configuration.producers == .single && configuration.overflow != .dropOldest {
            spsc = try SPSCRing(capacity: configuration.capacity, node: configuration.node)
            mpmc = nil
        } else {
            spsc = nil
            mpmc = try MPMCRing(capacity: configuration.capacity, node: configuration.node)
        }
    }

    /// Connects the channel to its receiver: `handler` runs on `executor`'s thread
    /// for every message, and the executor starts draining the channel.
    public func bind(to executor: any ActorExecutor, handler: @escaping (Message) -> Void) {
        attach(to: executor) { message in
            handler(message)
            return true
        }
        executor.register(self)
    }

    /// Sets the receiver and a handler that returns false to end the current batch
    /// (after a failure), without registering with the executor: the caller (an
    /// `ActorCell`) registers itself and calls `drain`.
    public func attach(to executor: any ActorExecutor, handler: @escaping (Message) -> Bool) {
        self.handler = handler
        self.receiver = executor
    }

    /// Stops accepting messages and detaches from the executor; queued messages stay
    /// countable in `stats` (as depth) but are no longer delivered.
    public func close() {
        closedFlag.store(true, ordering: .releasing)
        receiver?.unregister(self)
    }

    /// Sends a message, applying the overflow policy when full. Never blocks.
    @inlinable
    @discardableResult
    public func send(_ message: Message) -> SendOutcome {
        if closedFlag.load(ordering: .relaxed) { return .closed }
        var outcome = SendOutcome.enqueued
        if let spsc {
            if !spsc.push(message) {
                if configuration.overflow == .reject {
                    rejected.add(1, ordering: .relaxed)
                    return .rejected
                }
                droppedNewest.add(1, ordering: .relaxed)
                return .droppedNewest
            }
        } else if let mpmc, !mpmc.push(message) {
            switch configuration.overflow {
            case .reject:
                rejected.add(1, ordering: .relaxed)
                return .rejected
            case .dropNewest:
                droppedNewest.add(1, ordering: .relaxed)
                return .droppedNewest
            case .dropOldest:
                repeat {
                    if mpmc.pop() != nil { droppedOldest.add(1, ordering: .relaxed) }
                } while !mpmc.push(message)
                outcome = .enqueuedDroppingOldest
            }
        }
        receiver?.wakeIfParked()
        return outcome
    }

    /// Sends a message or throws when it is not accepted.
    /// - Throws: `ChannelError.full` (policy `reject` or `dropNewest`), `.closed`.
    public func trySend(_ message: Message) throws(ChannelError) {
        switch send(message) {
        case .enqueued, .enqueuedDroppingOldest, .conflated: return
        case .rejected, .droppedNewest: throw .full(channel: configuration.name, capacity: configuration.capacity)
        case .closed: throw .closed(channel: configuration.name)
        case .invalidKey: throw .full(channel: configuration.name, capacity: configuration.capacity)
        }
    }

    /// Takes the oldest message without a handler (consumer thread only); for
    /// channels read by a loop of their own rather than an executor.
    @inlinable
    public func receive() -> Message? {
        if let spsc { return spsc.pop() }
        return mpmc?.pop()
    }

    /// Messages queued now.
    public var depth: Int { spsc?.count ?? mpmc?.count ?? 0 }

    // MARK: Drainable

    public func drain(budget: Int, now: UInt64) -> Int {
        guard let handler else { return 0 }
        let queued = depth
        if queued == 0 { return 0 }
        if queued > highWater.load(ordering: .relaxed) { highWater.store(queued, ordering: .relaxed) }
        var count = 0
        while count < budget, let message = receive() {
            count += 1
            if !handler(message) { break }
        }
        localDelivered &+= count
        delivered.store(localDelivered, ordering: .releasing)
        return count
    }

    public func pendingWork(now: UInt64) -> PendingWork { depth > 0 ? .ready : .none }

    /// A consistent-enough snapshot of the counters.
    public var stats: ChannelStats {
        let queued = depth
        let dropped = droppedOldest.load(ordering: .relaxed)
        let enqueued = Int(spsc?.tailPosition ?? mpmc?.tailPosition ?? 0)
        return ChannelStats(
            name: configuration.name, capacity: configuration.capacity, depth: queued,
            highWater: max(highWater.load(ordering: .relaxed), queued),
            enqueued: enqueued, delivered: delivered.load(ordering: .acquiring),
            droppedOldest: dropped, droppedNewest: droppedNewest.load(ordering: .relaxed),
            rejected: rejected.load(ordering: .relaxed), conflated: 0)
    }
}

