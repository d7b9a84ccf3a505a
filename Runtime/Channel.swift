import CLinuxShim
import Hardware
import Synchronization

/// A bounded mailbox owned by one receiving actor: producers `send` from any
/// thread; the receiver's executor drains it in batches between jobs and hands
/// each message to the actor (through an `ExecutorThreadCall` in `ActorCell`), so the hot
/// path needs no Task, continuation or allocation per message.
///
/// Rings: SPSC (no locked instruction) when there is one producer thread and the
/// policy is not `dropOldest`; MPSC (one CAS per send) for several producers;
/// Vyukov MPMC for `dropOldest`, whose producer must also consume. Counters come
/// from the ring indices where possible so the fast path adds no atomic
/// read-modify-write.
///
/// Hot-path layout: a send reads only fields of this object that never change
/// after `bind` and writes only the ring; the receiver's per-batch counters
/// (delivered, high-water mark) live on a cache line of their own, so neither side
/// keeps pulling a line the other one reads. A receiver whose executor spins is
/// never woken (no call, no fence per send).
public final class Channel<Message: Sendable>: Drainable, @unchecked Sendable {
    // @unchecked: the rings are thread-safe for their producer mode; counters are
    // atomics, or (`receiverWords`) written only by the receiver's thread;
    // `handler`, `receiver` and `wakesReceiver` are set once in `attach`, before
    // registration publishes the channel to the executor.

    private let headerPadding = CacheLinePadding()
    public let configuration: ChannelConfiguration
    /// The ring's emptiness test without generic code (see `DrainProbe`).
    public let drainProbe: DrainProbe
    // The rings' lock-free cores (trivial values, so a send or a drain retains no
    // ring object); exactly one is set. `ring` owns the memory.
    @usableFromInline let spsc: SPSCCore<Message>?
    @usableFromInline let mpsc: MPSCCore<Message>?
    @usableFromInline let mpmc: MPMCCore<Message>?
    private let ring: AnyObject
    @usableFromInline let droppedOldest = Atomic<Int>(0)
    @usableFromInline let droppedNewest = Atomic<Int>(0)
    @usableFromInline let rejected = Atomic<Int>(0)
    @usableFromInline let closedFlag = Atomic<Bool>(false)
    /// Receiver side, set once by `attach`.
    @usableFromInline var receiver: (any ActorExecutor)?
    /// Whether a send must call `receiver.wakeIfParked()` (false for spinning executors).
    @usableFromInline var wakesReceiver = false
    private var handler: ((Message) -> Bool)?
    /// Written by the receiver's thread only, on a line of their own: [0] delivered, [1] high-water mark.
    private let receiverWords: UnsafeMutablePointer<Int64>
    private let receiverBuffer: NodeLocalBuffer

    /// - Throws: `RuntimeError.invalidCapacity` when the capacity is not in 1...2^30.
    public init(_ configuration: ChannelConfiguration) throws(RuntimeError) {
        guard configuration.capacity >= 1, configuration.capacity <= 1 << 30 else {
            throw .invalidCapacity(configuration.capacity, context: "channel '\(configuration.name)'")
        }
        self.configuration = configuration
        let (capacity, node) = (configuration.capacity, configuration.node)
        switch (configuration.producers, configuration.overflow) {
        case (_, .dropOldest):
            let owner = try MPMCRing<Message>(capacity: capacity, node: node)
            (spsc, mpsc, mpmc, ring) = (nil, nil, owner.core, owner)
            drainProbe = DrainProbe(ring: owner.storage)
        case (.single, _):
            let owner = try SPSCRing<Message>(capacity: capacity, node: node)
            (spsc, mpsc, mpmc, ring) = (owner.core, nil, nil, owner)
            drainProbe = DrainProbe(ring: owner.storage)
        case (.multiple, _):
            let owner = try MPSCRing<Message>(capacity: capacity, node: node)
            (spsc, mpsc, mpmc, ring) = (nil, owner.core, nil, owner)
            drainProbe = DrainProbe(ring: owner.storage)
        }
        receiverBuffer = NodeLocalBuffer.allocate(byteCount: 64, node: node)
        receiverWords = receiverBuffer.base.bindMemory(to: Int64.self, capacity: 8)
    }

    deinit { receiverBuffer.deallocate() }

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
        self.wakesReceiver = executor.idleStrategy != .spin
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
        let outcome = enqueue(message)
        if wakesReceiver, outcome == .enqueued || outcome == .enqueuedDroppingOldest { receiver?.wakeIfParked() }
        return outcome
    }

    /// Sends a message without waking a parked receiver: for high-rate, latency-tolerant
    /// producers (sampled monitoring taps) that must not pay a wake-up syscall per message.
    /// The caller wakes the receiver now and then with a plain `send` (e.g. every N messages);
    /// a receiver that spins or is already awake drains it as usual.
    @inlinable
    @discardableResult
    public func sendWithoutWaking(_ message: Message) -> SendOutcome { enqueue(message) }

    @inlinable
    func enqueue(_ message: Message) -> SendOutcome {
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
        } else if let mpsc {
            if !mpsc.push(message) {
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
    @inlinable @inline(__always)
    public func receive() -> Message? {
        if let spsc { return spsc.pop() }
        if let mpsc { return mpsc.pop() }
        return mpmc?.pop()
    }

    /// Whether `receive` would return a message now (exact on the consumer thread,
    /// which it answers from the head slot alone, without reading the producers' index).
    @inlinable @inline(__always)
    public var hasNext: Bool {
        if let spsc { return spsc.hasNext }
        if let mpsc { return mpsc.hasNext }
        return mpmc?.hasNext ?? false
    }

    /// Messages queued now.
    public var depth: Int { spsc?.count ?? mpsc?.count ?? mpmc?.count ?? 0 }

    // MARK: Drainable

    /// Delivers up to `budget` messages to the handler. The high-water mark is the
    /// largest backlog a drain found: the messages it delivered, plus the depth left
    /// behind when it stopped before the ring was empty (so the common "drained it
    /// all" case never reads the producers' index).
    public func drain(budget: Int) -> Int {
        // The probe is `hasNext` without generic code: an empty drain looks up no metadata.
        guard drainProbe.mayHaveWork, let handler else { return 0 }
        var count = 0
        var emptied = false
        while count < budget {
            guard let message = receive() else {
                emptied = true
                break
            }
            count += 1
            if !handler(message) { break }
        }
        // Producers may refill during the batch; a backlog never exceeds the capacity.
        let backlog = Int64(emptied ? count : min(count + depth, configuration.capacity))
        if backlog > qa_load_relaxed(receiverWords + 1) { qa_store_relaxed(receiverWords + 1, backlog) }
        qa_store_release(receiverWords, qa_load_relaxed(receiverWords) &+ Int64(count))
        return count
    }

    public func pendingWork(now: UInt64) -> PendingWork { hasNext || depth > 0 ? .ready : .none }

    /// A consistent-enough snapshot of the counters.
    public var stats: ChannelStats {
        let queued = depth
        let dropped = droppedOldest.load(ordering: .relaxed)
        let tail = spsc?.words ?? mpsc?.words ?? mpmc?.words
        let enqueued = tail.map { Int(qa_load_acquire($0 + 16)) } ?? 0
        return ChannelStats(
            name: configuration.name, capacity: configuration.capacity, depth: queued,
            highWater: max(Int(qa_load_relaxed(receiverWords + 1)), queued),
            enqueued: enqueued, delivered: Int(qa_load_acquire(receiverWords)),
            droppedOldest: dropped, droppedNewest: droppedNewest.load(ordering: .relaxed),
            rejected: rejected.load(ordering: .relaxed), conflated: 0)
    }
}

