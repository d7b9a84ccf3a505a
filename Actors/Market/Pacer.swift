import CLinuxShim
import Foundation

/// Holds a loop to a target rate: busy-waits for gaps under 50 µs (a sleep costs
/// 20–45 µs to wake on this VM) and sleeps for longer ones.
struct Pacer {
    private let intervalNanos: UInt64
    private var nextDue: UInt64

    /// - Parameter ratePerSecond: events per second; nil or ≤ 0 means as fast as possible.
    init(ratePerSecond: Double?) {
        if let rate = ratePerSecond, rate > 0, rate.isFinite {
            intervalNanos = UInt64(max(1, 1e9 / rate))
        } else {
            intervalNanos = 0
        }
        nextDue = qa_monotonic_ns()
    }

    /// Waits until the next event is due, or `until` (absolute monotonic ns) for replays.
    mutating func wait(until due: UInt64? = nil) {
        let target: UInt64
        if let due {
            target = due
        } else {
            if intervalNanos == 0 { return }
            nextDue &+= intervalNanos
            target = nextDue
        }
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
        // Behind schedule by more than 10 ms: do not burst to catch up.
        if due == nil, now > nextDue &+ 10_000_000 { nextDue = now }
    }
}
