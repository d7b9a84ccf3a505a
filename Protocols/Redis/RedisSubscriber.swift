// Pub/sub subscriber on a dedicated thread.

/// Subscribes to channels and patterns on a connection and a pthread of its own, and
/// delivers every message to a handler on that thread.
///
/// Reconnects with ``ReconnectBackoff`` after a lost connection and resubscribes (messages
/// published while disconnected are lost: pub/sub is best-effort). A read that times out
/// (`readTimeoutMs`, 0 = never) is treated as a dead link — keep it above the interval of
/// the traffic the channel carries (e.g. 3 × heartbeat_interval).
///
/// The handler must not block for long and must not call ``stop()``.
public final class RedisSubscriber: Sendable {
    /// Connection settings.
    public let configuration: RedisConfiguration
    /// Channels subscribed with SUBSCRIBE.
    public let channels: [String]
    /// Patterns subscribed with PSUBSCRIBE.
    public let patterns: [String]
    private let handler: @Sendable (RedisSubscriberEvent) -> Void
    private let control = ReaderControl()
    private let thread: ReaderThread

    /// Starts the subscriber thread at once.
    /// - Throws: `RedisError.threadStartFailed`.
    public init(
        configuration: RedisConfiguration, channels: [String], patterns: [String] = [],
        backoff: ReconnectBackoff = ReconnectBackoff(),
        handler: @escaping @Sendable (RedisSubscriberEvent) -> Void
    ) throws(RedisError) {
        self.configuration = configuration
        self.channels = channels
        self.patterns = patterns
        self.handler = handler
        let control = self.control
        thread = try ReaderThread {
            Self.run(configuration: configuration, channels: channels, patterns: patterns,
                     backoff: backoff, control: control, handler: handler)
        }
    }

    deinit { stop() }

    /// Stops the thread and waits for it (idempotent). Do not call from the handler.
    public func stop() {
        control.requestStop()
        thread.join()
    }

    private static func run(
        configuration: RedisConfiguration, channels: [String], patterns: [String], backoff initial: ReconnectBackoff,
        control: ReaderControl, handler: @Sendable (RedisSubscriberEvent) -> Void
    ) {
        let connection = RedisConnection(configuration: configuration)
        connection.willClose = { control.withdraw() }
        var backoff = initial
        var connectedBefore = false
        while !control.isStopping {
            do throws(RedisError) {
                try connection.connect()
                guard control.publish(fd: connection.fileDescriptor) else { break }
                if !channels.isEmpty { try connection.append(["SUBSCRIBE"] + channels.map { RedisArgument($0) }) }
                if !patterns.isEmpty { try connection.append(["PSUBSCRIBE"] + patterns.map { RedisArgument($0) }) }
                handler(.connected(reconnected: connectedBefore))
                connectedBefore = true
                backoff.reset()
                while !control.isStopping {
                    if let event = event(from: try connection.readReply()) { handler(event) }
                }
            } catch {
                connection.close()
                if control.isStopping { break }
                handler(.disconnected(error))
                if case .readTimeout = error, backoff.attempts == 0 {
                    _ = backoff.nextDelayNs()  // an idle timeout after a healthy session: reconnect at once
                } else {
                    control.sleep(ns: backoff.nextDelayNs())
                }
            }
        }
        connection.close()
    }

    private static func event(from reply: RedisReply) -> RedisSubscriberEvent? {
        guard let parts = reply.array, let kind = parts.first?.string else { return nil }
        switch (kind, parts.count) {
        case ("message", 3):
            guard let channel = parts[1].string, case let .bulk(payload) = parts[2] else { return nil }
            return .message(channel: channel, payload: payload)
        case ("pmessage", 4):
            guard let pattern = parts[1].string, let channel = parts[2].string, case let .bulk(payload) = parts[3] else { return nil }
            return .patternMessage(pattern: pattern, channel: channel, payload: payload)
        case ("subscribe", 3), ("psubscribe", 3):
            guard let name = parts[1].string, let count = parts[2].integer else { return nil }
            return .subscribed(name, count: Int(count))
        default:
            return nil
        }
    }
}
