// Sleeps for the tests' polling loops that do not depend on Dispatch timers.

import Foundation
import Synchronization

/// Suspends the calling task for a while; one background thread resumes sleepers when due.
///
/// The polling helpers (`eventually`, `waitFor`) sleep between checks. Under the full
/// suite's load, fresh-clone CI runs saw every task sleeping in `Task.sleep` resume only
/// minutes later, all at once (tests that polled for a few seconds "passed after 864 s",
/// and one run never woke at all). This sleeper does not use Dispatch's timers: a plain
/// thread checks the deadlines every millisecond and resumes the due continuations.
public enum TestSleep {
    public static func milliseconds(_ milliseconds: Int) async {
        await nanoseconds(UInt64(max(0, milliseconds)) * 1_000_000)
    }

    public static func nanoseconds(_ nanoseconds: UInt64) async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            Sleeper.shared.add(deadline: DispatchTime.now().uptimeNanoseconds &+ nanoseconds, continuation)
        }
    }
}

private final class Sleeper: Sendable {
    static let shared = Sleeper()

    private let sleepers = Mutex<[(deadline: UInt64, continuation: CheckedContinuation<Void, Never>)]>([])

    private init() {
        let thread = Thread { [self] in run() }
        thread.name = "test-sleeper"
        thread.start()
    }

    func add(deadline: UInt64, _ continuation: CheckedContinuation<Void, Never>) {
        sleepers.withLock { $0.append((deadline, continuation)) }
    }

    private func run() {
        while true {
            usleep(1_000)
            let now = DispatchTime.now().uptimeNanoseconds
            let due = sleepers.withLock { sleepers -> [CheckedContinuation<Void, Never>] in
                var due: [CheckedContinuation<Void, Never>] = []
                sleepers.removeAll { sleeper in
                    guard sleeper.deadline <= now else { return false }
                    due.append(sleeper.continuation)
                    return true
                }
                return due
            }
            for continuation in due { continuation.resume() }
        }
    }
}
