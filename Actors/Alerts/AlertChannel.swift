// Where alert events go: log, webhook, and (with cluster mode) Redis.

/// A destination for alert events.
///
/// `send` is called on the pipeline's side (the monitor actor): it must return at once and
/// never block — enqueue into a bounded buffer, deliver elsewhere, count what is dropped.
/// A Redis channel for cluster mode conforms to this same protocol.
public protocol AlertChannel: Sendable {
    /// Channel name used in metrics labels (`quantum_agent_alerts_dropped_total{channel=…}`).
    var name: String { get }
    /// Hands one event to the channel without blocking.
    func send(_ event: AlertEvent)
    /// Events dropped so far because the channel's buffer was full (0 for channels without one).
    var droppedCount: Int { get }
}
