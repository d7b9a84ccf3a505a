// Events delivered by RedisStreamConsumer.

/// What a ``RedisStreamConsumer`` delivers to its handler, on its own thread.
public enum RedisStreamConsumerEvent: Sendable, Equatable {
    /// Connected and the group exists (first time `reconnected == false`).
    case connected(reconnected: Bool)
    /// Entries read. `pending == true` for entries re-read from this consumer's pending
    /// list after a (re)connect: they may have been delivered before — apply idempotently by ID.
    case entries([StreamEntry], pending: Bool)
    /// The connection died; the consumer reconnects with backoff.
    case disconnected(RedisError)
}
