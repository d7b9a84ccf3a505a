/// Something an executor thread drains between jobs: a channel bound to an
/// actor. The executor calls `drain` only from its own thread.
public protocol Drainable: AnyObject, Sendable {
    /// Delivers up to `budget` pending messages; returns how many were handled.
    /// Called on the owning executor's thread only, on every pass of its loop, so
    /// an empty drain must be cheap: it reads no clock (a drainable that needs the
    /// time, for a backoff say, reads its executor's clock itself).
    func drain(budget: Int) -> Int
    /// Whether there is work now, later (a backoff deadline, in clock ns), or none.
    /// Called by the owning executor before it parks.
    func pendingWork(now: UInt64) -> PendingWork
    /// A cheap, non-generic test the executor makes on every pass before calling
    /// `drain` (read once, at registration). The default always calls `drain`.
    var drainProbe: DrainProbe { get }
}

extension Drainable {
    public var drainProbe: DrainProbe { .always }
}

/// The answer of `Drainable.pendingWork`.
public enum PendingWork: Sendable, Equatable {
    case none
    case ready
    /// Work that may run at this clock reading (ns), e.g. after a restart backoff.
    case at(UInt64)
}

/// An executor that runs actors' jobs and drains their channels: the real
/// `PinnedExecutor` and the `DeterministicExecutor` for tests and replay share it.
public protocol ActorExecutor: SerialExecutor, TaskExecutor, AnyObject, Sendable {
    /// Stable name (from the core plan).
    var name: String { get }
    /// The CPU it is pinned to, if any.
    var core: Int? { get }
    /// How it idles.
    var idleStrategy: IdleStrategyKind { get }
    /// The clock it stamps handler latency and backoff with.
    var clock: any NanoClock { get }
    /// Adds a channel to drain. Thread-safe; takes effect on the executor's next loop.
    func register(_ drainable: any Drainable)
    /// Removes a channel. Thread-safe.
    func unregister(_ drainable: any Drainable)
    /// Producers call this after enqueuing into a registered channel: wakes the
    /// thread if it is parked (one atomic load when it is not).
    func wakeIfParked()
    /// Stops the executor after the jobs already queued; idempotent.
    func shutdown()
}

import Hardware
/// The idle strategies, re-exported for runtime users.
public typealias IdleStrategyKind = Hardware.IdleStrategy
