/// An actor the `ActorSystem` runs on a pinned executor and supervises.
///
/// `receive` handles one message from the actor's channel; when it throws, the
/// message goes to the dead-letter queue and the actor is restarted from its last
/// `snapshot()` (taken every `SupervisionPolicy.snapshotInterval` messages).
/// Conforming actors return their executor from `unownedExecutor`:
///
/// ```swift
/// actor Features: SupervisedActor {
///     nonisolated let executor: any ActorExecutor
///     nonisolated var unownedExecutor: UnownedSerialExecutor { executor.asUnownedSerialExecutor() }
///     func receive(_ tick: Tick) throws { … }
///     func snapshot() -> State { state }
///     func restore(from snapshot: State) { state = snapshot }
/// }
/// ```
public protocol SupervisedActor: Actor {
    associatedtype Message: Sendable
    associatedtype Snapshot: Sendable
    /// Handles one message on the actor's executor. Throwing restarts the actor.
    func receive(_ message: Message) throws
    /// The state to restart from.
    func snapshot() -> Snapshot
    /// Replaces the state with a snapshot (a restart).
    func restore(from snapshot: Snapshot)
}

/// Restart rules, Erlang style.
public struct SupervisionPolicy: Sendable, Equatable {
    /// Restarts allowed within `periodNanos`; one more escalates to the parent.
    public var intensity: Int
    /// The window for `intensity`, in ns.
    public var periodNanos: UInt64
    /// First restart delay, in ns; doubles with each restart in the window.
    public var initialBackoffNanos: UInt64
    /// Longest restart delay, in ns.
    public var maxBackoffNanos: UInt64
    /// Messages between snapshots.
    public var snapshotInterval: Int

    public init(intensity: Int = 3, periodNanos: UInt64 = 5_000_000_000, initialBackoffNanos: UInt64 = 1_000_000,
                maxBackoffNanos: UInt64 = 1_000_000_000, snapshotInterval: Int = 1000) {
        self.intensity = intensity
        self.periodNanos = periodNanos
        self.initialBackoffNanos = initialBackoffNanos
        self.maxBackoffNanos = maxBackoffNanos
        self.snapshotInterval = max(1, snapshotInterval)
    }

    /// The delay before the `n`th restart within the window (n ≥ 1).
    public func backoff(forRestart n: Int) -> UInt64 {
        let shift = UInt64(min(max(n - 1, 0), 40))
        let (value, overflow) = initialBackoffNanos.multipliedReportingOverflow(by: 1 << shift)
        return overflow ? maxBackoffNanos : min(value, maxBackoffNanos)
    }
}

/// Life stage of a supervised actor.
public enum ActorState: String, Sendable, Codable {
    case running
    /// Restarted; waiting out its backoff before taking messages again.
    case backoff
    /// Escalated to its parent (or the system) after too many restarts.
    case failed
    case stopped
}
