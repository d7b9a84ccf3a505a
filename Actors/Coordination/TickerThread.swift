// A thread that calls a closure at a fixed interval (drives the Coordination actor's clock).

import Dispatch
import Foundation
import Synchronization

/// Calls `tick` every `intervalNs` on a thread of its own (never on Swift's cooperative
/// pool) until ``stop()``.
final class TickerThread: Sendable {
    private final class State: Sendable {
        let stopping = Atomic<Bool>(false)
        let finished = DispatchSemaphore(value: 0)
    }

    private let state = State()
    private let started = Atomic<Bool>(false)

    init(name: String, intervalNs: UInt64, tick: @escaping @Sendable () -> Void) {
        let state = self.state
        let thread = Thread {
            let interval = max(intervalNs, 1_000_000)
            while !state.stopping.load(ordering: .acquiring) {
                var request = timespec(tv_sec: Int(interval / 1_000_000_000), tv_nsec: Int(interval % 1_000_000_000))
                _ = nanosleep(&request, nil)
                if state.stopping.load(ordering: .acquiring) { break }
                tick()
            }
            state.finished.signal()
        }
        thread.name = name
        thread.start()
        started.store(true, ordering: .releasing)
    }

    /// Stops the thread and waits for it (idempotent).
    func stop() {
        guard started.exchange(false, ordering: .acquiringAndReleasing) else { return }
        state.stopping.store(true, ordering: .releasing)
        state.finished.wait()
    }
}
