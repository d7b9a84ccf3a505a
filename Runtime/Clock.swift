import CLinuxShim
import Synchronization

/// A source of monotonic time in nanoseconds. The runtime stamps ticks, measures
/// handler latency and schedules backoff through it, so tests and deterministic
/// replay can swap in a `VirtualClock`.
public protocol NanoClock: Sendable {
    /// Nanoseconds since an arbitrary fixed origin; never decreases.
    func now() -> UInt64
}

/// `CLOCK_MONOTONIC` (about 24 ns a read here).
public struct MonotonicClock: NanoClock {
    public init() {}
    @inlinable public func now() -> UInt64 { qa_monotonic_ns() }
}

/// Wall-clock time in nanoseconds since the Unix epoch (for journals and logs, not latency).
public enum WallClock {
    public static func nowNanos() -> UInt64 { qa_realtime_ns() }
}

/// A clock that moves only when told to: for tests, the deterministic executor and replay.
public final class VirtualClock: NanoClock {
    private let nanos: Atomic<UInt64>

    /// - Parameter start: initial reading in nanoseconds.
    public init(start: UInt64 = 0) { nanos = Atomic(start) }

    public func now() -> UInt64 { nanos.load(ordering: .acquiring) }

    /// Moves time forward by `delta` nanoseconds.
    public func advance(by delta: UInt64) { nanos.add(delta, ordering: .releasing) }

    /// Sets the time; a value below the current reading is ignored (time never goes back).
    public func set(to value: UInt64) {
        var current = nanos.load(ordering: .relaxed)
        while value > current {
            let (exchanged, original) = nanos.compareExchange(expected: current, desired: value, ordering: .acquiringAndReleasing)
            if exchanged { return }
            current = original
        }
    }
}
