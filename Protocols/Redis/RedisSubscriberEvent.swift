// Events delivered by RedisSubscriber.

/// What a ``RedisSubscriber`` delivers to its handler, on its own thread.
public enum RedisSubscriberEvent: Sendable, Equatable {
    /// Connected and subscribing (first time `reconnected == false`).
    case connected(reconnected: Bool)
    /// Subscription confirmed: channel or pattern, and the connection's subscription count.
    case subscribed(String, count: Int)
    /// A message on `channel`.
    case message(channel: String, payload: [UInt8])
    /// A message matched by `pattern` on `channel`.
    case patternMessage(pattern: String, channel: String, payload: [UInt8])
    /// The connection died or timed out; the subscriber reconnects with backoff.
    case disconnected(RedisError)
}
