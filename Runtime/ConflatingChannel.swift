import CLinuxShim
import Synchronization

/// A mailbox that keeps only the latest message per key (per symbol, say): a
/// new message for a key whose previous one is still pending replaces it and is
/// counted as `conflated`. Keys are small integers in `0..<keyCount`; the queue
/// holds each pending key once, so it can never overflow and a slow consumer
/// always sees the freshest value of every key (load shedding for market data).
public final class ConflatingChannel<Message: Sendable>: Drainable, @unchecked Sendable {
    // @unchecked: each key's value and pending flag are guarded by that key's spin
    // lock word; the key ring is an MPMC ring; counters are atomics.

    public let name: String
    public let keyCount: Int
    private let keys: MPMCRing<Int>
    /// The key ring's emptiness test (see `DrainProbe`).
    public let drainProbe: DrainProbe
    private let values: UnsafeMutablePointer<Message?>
    private let pending: UnsafeMutablePointer<Bool>
    private let locks: UnsafeMutablePointer<Int64>
    private let enqueued = Atomic<Int>(0)
    private let conflated = Atomic<Int>(0)
    private let invalid = Atomic<Int>(0)
    private let delivered = Atomic<Int>(0)
    private let highWater = Atomic<Int>(0)
    private var localDelivered = 0
    private var receiver: (any ActorExecutor)?
    private var handler: ((Int, Message) -> Void)?

    /// - Parameters:
    ///   - keyCount: number of distinct keys, 1...2^20.
    /// - Throws: `RuntimeError.invalidConflationKeys`.
    public init(name: String, keyCount: Int, node: Int? = nil) throws(RuntimeError) {
        guard keyCount >= 1, keyCount <= 1 << 20 else { throw .invalidConflationKeys(keyCount: keyCount, capacity: 1 << 20) }
        self.name = name
        self.keyCount = keyCount
        keys = try MPMCRing(capacity: keyCount, node: node)
        drainProbe = DrainProbe(ring: keys.storage)
        values = .allocate(capacity: keyCount)
        values.initialize(repeating: nil, count: keyCount)
        pending = .allocate(capacity: keyCount)
        pending.initialize(repeating: false, count: keyCount)
        locks = .allocate(capacity: keyCount)
        locks.initialize(repeating: 0, count: keyCount)
    }

    deinit {
        values.deinitialize(count: keyCount)
        values.deallocate()
        pending.deallocate()
        locks.deallocate()
    }

    /// Connects the channel to its receiver; `handler(key, message)` runs on the executor's thread.
    public func bind(to executor: any ActorExecutor, handler: @escaping (Int, Message) -> Void) {
        self.handler = handler
        self.receiver = executor
        executor.register(self)
    }

    @inline(__always) private func lock(_ key: Int) {
        while !qa_cas(locks + key, 0, 1) { qa_cpu_relax() }
    }

    @inline(__always) private func unlock(_ key: Int) { qa_store_release(locks + key, 0) }

    /// Sends the latest value for `key`. Never blocks beyond a per-key spin lock held
    /// for a copy.
    @discardableResult
    public func send(_ message: Message, key: Int) -> SendOutcome {
        guard key >= 0, key < keyCount else {
            invalid.add(1, ordering: .relaxed)
            return .invalidKey
        }
        lock(key)
        let wasPending = pending[key]
        values[key] = message
        pending[key] = true
        unlock(key)
        if wasPending {
            conflated.add(1, ordering: .relaxed)
            return .conflated
        }
        enqueued.add(1, ordering: .relaxed)
        _ = keys.push(key)  // cannot fail: a key is queued at most once and capacity == keyCount
        receiver?.wakeIfParked()
        return .enqueued
    }

    /// Takes the oldest pending key's latest value (consumer thread only).
    public func receive() -> (key: Int, message: Message)? {
        guard let key = keys.pop() else { return nil }
        lock(key)
        let value = values[key]
        values[key] = nil
        pending[key] = false
        unlock(key)
        guard let value else { return nil }
        return (key, value)
    }

    public var depth: Int { keys.count }

    /// Delivers up to `budget` pending keys; the high-water mark is the largest
    /// backlog a drain found (as for `Channel`).
    public func drain(budget: Int) -> Int {
        guard keys.hasNext, let handler else { return 0 }
        var count = 0
        while count < budget, let (key, message) = receive() {
            handler(key, message)
            count += 1
        }
        let backlog = count < budget ? count : min(count + depth, keyCount)
        if backlog > highWater.load(ordering: .relaxed) { highWater.store(backlog, ordering: .relaxed) }
        localDelivered &+= count
        delivered.store(localDelivered, ordering: .releasing)
        return count
    }

    public func pendingWork(now: UInt64) -> PendingWork { depth > 0 ? .ready : .none }

    public var stats: ChannelStats {
        let queued = depth
        return ChannelStats(
            name: name, capacity: keyCount, depth: queued, highWater: max(queued, highWater.load(ordering: .relaxed)),
            enqueued: enqueued.load(ordering: .relaxed), delivered: delivered.load(ordering: .acquiring),
            droppedOldest: 0, droppedNewest: 0, rejected: invalid.load(ordering: .relaxed),
            conflated: conflated.load(ordering: .relaxed))
    }
}
