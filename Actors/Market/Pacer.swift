import CLinuxShim
import Foundation

/// Holds a loop to a target rate: busy-waits for gaps under 50 µs (a sleep costs
/// 20–45 µs to wake on this VM) and sleeps for longer ones. The schedule itself
/// (`dueNanos`, `take(now:)`) also serves a source polled from another loop.
struct Pacer {
    private let intervalNanos: UInt64
    /// When the last event was due (the start, before the first).
    private var lastDue: UInt64

    /// - Parameter ratePerSecond: events per second; nil or ≤ 0 means as fast as possible.
    init(ratePerSecond: Double?) {
        if let rate = ratePerSecond, rate > 0, rate.isFinite {
            intervalNanos = UInt64(max(1, 1e9 / rate))
        } else {
            intervalNanos = 0
        }
        lastDue = qa_monotonic_ns()
    }

    /// Monotonic ns at which the next event is due; 0 when events are not paced.
    var dueNanos: UInt64 { intervalNanos == 0 ? 0 : lastDue &+ intervalNanos }

    /// The due event was taken at `now`: the schedule moves one interval on, or restarts
    /// from `now` when it is more than 10 ms behind (no burst to catch up).
    mutating func take(now: UInt64) {
        guard intervalNanos > 0 else { return }
        lastDue &+= intervalNanos
        if now > lastDue &+ 10_000_000 { lastDue = now }
    }

    /// Waits until the next event is due, or `until` (absolute monotonic ns) for replays.
    mutating func wait(until due: UInt64? = nil) {
        if let due {
            _ = Self.wait(until: due)
            return
        }
        guard intervalNanos > 0 else { return }
        take(now: Self.wait(until: dueNanos))
    }

    /// Sleeps, then spins, until `target`; returns the time it got there.
    private static func wait(until target: UInt64) -> UInt64 {
        var now = qa_monotonic_ns()
        while now < target {
            let gap = target - now
            if gap > 60_000 {
                usleep(useconds_t(min((gap - 50_000) / 1000, 100_000)))
            } else {
                qa_cpu_relax()
            }
            now = qa_monotonic_ns()
        }
        return now
    }
}
