import Dispatch
import Foundation
import Hardware

/// A plain OS thread for benchmarks, optionally pinned, joined with `join()`.
final class PerfThread: @unchecked Sendable {
    // @unchecked: `done` is a semaphore; the body owns whatever it captures.
    private let done = DispatchSemaphore(value: 0)

    init(name: String, core: Int?, body: @escaping @Sendable () -> Void) {
        let thread = Thread { [done] in
            if let core { _ = try? Affinity.pinCurrentThread(to: core) }
            body()
            done.signal()
        }
        thread.name = name
        thread.start()
    }

    func join() { done.wait() }
}
