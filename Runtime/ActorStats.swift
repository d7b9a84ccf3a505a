import Hardware

/// A point-in-time view of one actor, safe to send anywhere (the inspector,
/// `/api/actors`, `/metrics`).
public struct ActorStats: Sendable, Equatable, Codable {
    public var name: String
    public var parent: String?
    public var executor: String
    /// Planned CPU of its executor (nil: unpinned or deterministic).
    public var core: Int?
    public var idleStrategy: IdleStrategy
    public var latencyClass: LatencyClass
    public var state: ActorState
    /// The mailbox: depth, high-water mark, drops.
    public var mailbox: ChannelStats
    /// Messages handled (successfully or not).
    public var processed: UInt64
    /// Messages per second since the previous stats call (0 on the first).
    public var ratePerSecond: Double
    /// Handler latency in ns.
    public var handlerLatency: LatencySummary
    public var restarts: Int
    public var lastError: String?
}
