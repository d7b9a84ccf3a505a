// Redis channel (cluster mode): every alert event PUBLISHed to a channel and appended to a
// capped stream, from a bounded buffer drained by a thread of its own, reconnecting with
// backoff, so the caller never waits for Redis.

import Dispatch
import Foundation
import NIOConcurrencyHelpers
import NIOCore
import Protocols

/// Counters of the Redis channel.
public struct RedisAlertStatistics: Sendable, Equatable {
    /// Events accepted by `send`.
    public var enqueued = 0
    /// Events written to Redis (PUBLISH and XADD both answered).
    public var delivered = 0
    /// Events dropped because the buffer was full (oldest first) or the channel was closed.
    public var dropped = 0
    /// Events the server refused with a final error reply (e.g. the stream key holds another
    /// type); not retried. A transient reply (LOADING after a restart, BUSY, …) is a failed
    /// attempt instead, and the event is sent again.
    public var rejected = 0
    /// Failed round trips (connect refused, connection lost, timed out); each is retried.
    public var failedAttempts = 0
    /// Successful (re)connections.
    public var connects = 0
    /// Events waiting in the buffer (those in flight included).
    public var queued = 0
    /// Description of the last failure, if any.
    public var lastError: String?
}

/// Publishes each alert event (raised, reminder, acknowledged, snoozed, resolved) as one JSON
/// message (`RedisAlertMessage`) to the pub/sub channel `configuration.channel`, for the live
/// agents, and appends it to the stream `configuration.stream` (`XADD … MAXLEN ~`, fields
/// `agent`, `kind`, `key`, `severity`, `event` = the JSON), so agents that were down read the
/// history (`RedisAlertMessage.history`).
///
/// `send` takes a lock for a few instructions, appends to a ring and wakes the writer thread;
/// it never waits for the network. The writer thread (its own OS thread: hiredis blocks)
/// sends the buffered events in order, `batchSize` per pipelined round trip (PUBLISH + XADD
/// per event), and removes them only when Redis answered. While Redis is down it retries
/// with `configuration.backoff`, so nothing is lost within the buffer bound; on overflow the
/// oldest event is dropped and counted (`droppedCount`, which the `AlertCenter` turns into
/// the `alert_channel_drops` alert). Delivery is at least once: a batch whose answers were
/// lost with the connection is sent again (consumers can dedup on agent, alert id, kind, at).
public final class RedisAlertChannel: AlertChannel {
    public let name: String
    public let configuration: RedisAlertConfiguration
    private let shared: Shared

    private typealias Queued = AlertOutbox.Entry

    private struct State: Sendable {
        var outbox: AlertOutbox
        var stopping = false
        /// Monotonic deadline (ns) after which a stopping writer abandons what is left.
        var drainDeadline: UInt64 = 0
        var statistics = RedisAlertStatistics()
    }

    /// What the writer thread and the callers share (Sendable: lock-protected state and semaphores).
    private final class Shared: Sendable {
        let state: NIOLockedValueBox<State>
        /// Signalled by `send` and `close`: work or a stop request.
        let wake = DispatchSemaphore(value: 0)
        /// Signalled by `close`: ends a backoff sleep early.
        let stop = DispatchSemaphore(value: 0)
        /// Signalled by the writer when it exits.
        let finished = DispatchSemaphore(value: 0)

        init(capacity: Int) {
            state = NIOLockedValueBox(State(outbox: AlertOutbox(capacity: capacity)))
        }
    }

    /// Starts the writer thread (it connects on the first event).
    public init(name: String = "redis", configuration: RedisAlertConfiguration) {
        self.name = name
        self.configuration = configuration
        shared = Shared(capacity: configuration.bufferCapacity)
        let shared = self.shared
        let thread = Thread { Self.run(configuration: configuration, shared: shared) }
        thread.name = "alerts-redis"
        thread.start()
    }

    deinit { close() }

    /// Enqueues the event; O(1), never blocks on I/O.
    public func send(_ event: AlertEvent) {
        let accepted = shared.state.withLockedValue { s -> Bool in
            guard !s.stopping else {
                s.outbox.refuse()
                return false
            }
            s.outbox.append(event)
            return true
        }
        if accepted { shared.wake.signal() }
    }

    public var droppedCount: Int { shared.state.withLockedValue { $0.outbox.dropped } }

    /// A snapshot of the counters.
    public var statistics: RedisAlertStatistics {
        shared.state.withLockedValue { s in
            var stats = s.statistics
            stats.enqueued = s.outbox.enqueued
            stats.dropped = s.outbox.dropped
            stats.queued = s.outbox.count
            return stats
        }
    }

    /// Stops the writer and waits for it (idempotent). It first keeps delivering what is
    /// buffered for up to `drainSeconds` (0: stop after the round trip in progress, which is
    /// bounded by the Redis connect and read timeouts). Later `send`s count as dropped.
    public func close(drainSeconds: Double = 0) {
        let first = shared.state.withLockedValue { s -> Bool in
            guard !s.stopping else { return false }
            s.stopping = true
            let drain = drainSeconds.isFinite ? UInt64(max(0, min(drainSeconds, 3_600)) * 1e9) : 0
            s.drainDeadline = DispatchTime.now().uptimeNanoseconds &+ drain
            return true
        }
        guard first else { return }
        shared.wake.signal()
        shared.stop.signal()
        shared.finished.wait()
    }

    // MARK: - Writer thread

    private static func run(configuration: RedisAlertConfiguration, shared: Shared) {
        let connection = RedisConnection(configuration: configuration.redis)
        var backoff = configuration.backoff
        while let batch = nextBatch(shared: shared, size: configuration.batchSize) {
            if batch.isEmpty {
                shared.wake.wait()
                continue
            }
            do throws(RedisError) {
                let wasConnected = connection.isConnected
                try connection.connect()
                if !wasConnected { shared.state.withLockedValue { $0.statistics.connects += 1 } }
                let replies = try connection.pipeline(batch.flatMap { commands(for: $0.event, configuration) })
                if let transient = completed(batch, replies: replies, shared: shared) {
                    // Not ready yet (e.g. loading its dataset after a restart): retry the rest.
                    shared.state.withLockedValue { s in
                        s.statistics.failedAttempts += 1
                        s.statistics.lastError = "Redis not ready: \(transient)"
                    }
                    pause(nanoseconds: min(backoff.nextDelayNs(), 60_000_000_000), shared: shared)
                    continue
                }
                backoff.reset()
            } catch {
                connection.close()
                shared.state.withLockedValue { s in
                    s.statistics.failedAttempts += 1
                    s.statistics.lastError = error.description
                }
                pause(nanoseconds: min(backoff.nextDelayNs(), 60_000_000_000), shared: shared)
            }
        }
        connection.close()
        shared.finished.signal()
    }

    /// Sleeps before a retry: until `close()` while running; while draining, at most until the
    /// drain deadline (no early wake, so a dead server is not hammered while draining).
    private static func pause(nanoseconds delay: UInt64, shared: Shared) {
        let (stopping, deadline) = shared.state.withLockedValue { ($0.stopping, $0.drainDeadline) }
        guard stopping else {
            _ = shared.stop.wait(timeout: .now() + .nanoseconds(Int(delay)))
            return
        }
        let now = DispatchTime.now().uptimeNanoseconds
        let wait = min(delay, deadline > now ? deadline - now : 0)
        if wait > 0 { Thread.sleep(forTimeInterval: Double(wait) / 1e9) }
    }

    /// The next events to write (empty: wait for work), or nil when the writer must exit.
    private static func nextBatch(shared: Shared, size: Int) -> [Queued]? {
        shared.state.withLockedValue { s -> [Queued]? in
            if s.stopping && (s.outbox.isEmpty || DispatchTime.now().uptimeNanoseconds >= s.drainDeadline) { return nil }
            return s.outbox.prefix(size)
        }
    }

    /// Removes the written events of a batch from the buffer (events dropped meanwhile are
    /// already gone). Stops at the first event with a transient error reply, which stays
    /// buffered with every later one, and returns that reply's message; nil when the whole
    /// batch is done (delivered or finally refused).
    private static func completed(_ batch: [Queued], replies: [RedisReply], shared: Shared) -> String? {
        var refusal: String?
        var refused = 0
        var done = 0
        var transient: String?
        for index in batch.indices {
            // Two replies per event (PUBLISH, XADD): `pipeline` returns one per command.
            let pair = replies.dropFirst(2 * index).prefix(2)
            if let reply = pair.first(where: \.isTransientError) {
                transient = reply.errorMessage
                break
            }
            if let message = pair.compactMap(\.errorMessage).first {
                refused += 1
                refusal = message
            }
            done += 1
        }
        guard done > 0 else { return transient }
        let last = batch[done - 1].sequence
        shared.state.withLockedValue { s in
            s.outbox.removeThrough(last)
            s.statistics.delivered += done - refused
            s.statistics.rejected += refused
            if let refusal { s.statistics.lastError = "Redis refused an alert event: \(refusal)" }
        }
        return transient
    }

    /// PUBLISH and XADD of one event.
    private static func commands(for event: AlertEvent, _ configuration: RedisAlertConfiguration) -> [[RedisArgument]] {
        let json = RedisAlertMessage(agent: configuration.agent, event: event).jsonBytes()
        return [
            ["PUBLISH", RedisArgument(configuration.channel), RedisArgument(bytes: json)],
            ["XADD", RedisArgument(configuration.stream), "MAXLEN", "~", RedisArgument(configuration.streamMaxLength), "*",
             "agent", RedisArgument(configuration.agent), "kind", RedisArgument(event.kind.rawValue),
             "key", RedisArgument(event.alert.key), "severity", RedisArgument(event.alert.severity.rawValue),
             "event", RedisArgument(bytes: json)],
        ]
    }
}
