// Webhook channel: Slack-compatible HTTP POST, bounded buffer, retries with exponential
// backoff, delivery on its own NIO event loop so the caller never waits.

import Foundation
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix

/// Counters of the webhook channel.
public struct WebhookStatistics: Sendable, Equatable {
    /// Events accepted by `send`.
    public var enqueued = 0
    /// Events the receiver acknowledged with a 2xx status.
    public var delivered = 0
    /// Events dropped because the buffer was full (oldest first) or the channel was closed.
    public var dropped = 0
    /// Failed delivery attempts (non-2xx, refused, closed, timed out); each is retried.
    public var failedAttempts = 0
    /// Events waiting in the buffer (the one in flight included).
    public var queued = 0
    /// Description of the last failure, if any.
    public var lastError: String?
}

/// Posts each alert event as a `SlackMessage` to an HTTP endpoint.
///
/// `send` takes a lock for a few instructions, appends to a preallocated ring (O(1)) and,
/// if no delivery is running, schedules one on `eventLoop`; it never waits for the network.
/// Delivery is sequential and in order: the head of the buffer is posted until a 2xx answer,
/// with exponential backoff between attempts (`WebhookConfiguration.backoff`), so nothing is
/// lost while the receiver is down unless the buffer overflows — then the oldest event is
/// dropped, counted, and the next delivered message says how many were dropped.
/// Delivery is at least once (an event whose answer was lost is posted again).
public final class WebhookAlertChannel: AlertChannel {
    public let name: String
    public let configuration: WebhookConfiguration
    private let eventLoop: any EventLoop
    private let state: NIOLockedValueBox<State>

    private typealias Queued = AlertOutbox.Entry

    private struct State: Sendable {
        var outbox: AlertOutbox
        var delivering = false
        var closed = false
        var attempt = 0
        var unreportedDrops = 0
        var statistics = WebhookStatistics()
    }

    /// - Parameters:
    ///   - eventLoopGroup: where deliveries run (one loop of it is used); the caller owns it
    ///     and shuts it down after `close()`.
    public init(name: String = "webhook", configuration: WebhookConfiguration,
                eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton) {
        self.name = name
        self.configuration = configuration
        eventLoop = eventLoopGroup.next()
        state = NIOLockedValueBox(State(outbox: AlertOutbox(capacity: configuration.bufferCapacity)))
    }

    /// Enqueues the event; O(1), never blocks on I/O.
    public func send(_ event: AlertEvent) {
        let startDelivery = state.withLockedValue { s -> Bool in
            guard !s.closed else {
                s.outbox.refuse()
                return false
            }
            if s.outbox.append(event) { s.unreportedDrops += 1 }
            guard !s.delivering else { return false }
            s.delivering = true
            return true
        }
        if startDelivery {
            eventLoop.execute { self.deliverNext() }
        }
    }

    public var droppedCount: Int { state.withLockedValue { $0.outbox.dropped } }

    /// A snapshot of the counters.
    public var statistics: WebhookStatistics {
        state.withLockedValue { s in
            var stats = s.statistics
            stats.enqueued = s.outbox.enqueued
            stats.dropped = s.outbox.dropped
            stats.queued = s.outbox.count
            return stats
        }
    }

    /// Stops delivering; later `send`s count as dropped. Queued events are abandoned.
    public func close() {
        state.withLockedValue { $0.closed = true }
    }

    /// Posts the head of the buffer (runs on `eventLoop`).
    private func deliverNext() {
        let next = state.withLockedValue { s -> (Queued, Int)? in
            guard !s.closed, let first = s.outbox.first else {
                s.delivering = false
                return nil
            }
            return (first, s.unreportedDrops)
        }
        guard let (item, drops) = next else { return }
        var body = ByteBuffer()
        body.writeBytes(SlackMessage(event: item.event, droppedBefore: drops).jsonData())
        WebhookHTTPClient.post(body: body, configuration: configuration, on: eventLoop).whenComplete { result in
            var failure: (any Error)?
            switch result {
            case let .success(code) where (200..<300).contains(code): failure = nil
            case let .success(code): failure = WebhookDeliveryError.status(code)
            case let .failure(error): failure = error
            }
            self.finish(item: item, reportedDrops: drops, failure: failure)
        }
    }

    private func finish(item: Queued, reportedDrops: Int, failure: (any Error)?) {
        guard let failure else {
            state.withLockedValue { s in
                s.outbox.removeThrough(item.sequence)
                s.statistics.delivered += 1
                s.attempt = 0
                s.unreportedDrops = max(0, s.unreportedDrops - reportedDrops)
            }
            deliverNext()
            return
        }
        let attempt = state.withLockedValue { s -> Int in
            s.statistics.failedAttempts += 1
            s.statistics.lastError = String(describing: failure)
            s.attempt += 1
            return s.attempt
        }
        eventLoop.scheduleTask(in: configuration.backoff(attempt: attempt)) { self.deliverNext() }
    }
}
