import Foundation
import Testing
@testable import Runtime

/// Calls between actors on different pinned executors really cross threads.
@Suite struct ActorHopTests {
    actor Target {
        nonisolated let executor: PinnedExecutor
        nonisolated var unownedExecutor: UnownedSerialExecutor { executor.asUnownedSerialExecutor() }
        var onOwnThread = 0
        var calls = 0
        init(executor: PinnedExecutor) { self.executor = executor }
        func ping() {
            calls += 1
            if executor.isOnExecutorThread { onOwnThread += 1 }
        }
        func counts() -> (calls: Int, onOwnThread: Int) { (calls, onOwnThread) }
    }

    actor Driver {
        nonisolated let executor: PinnedExecutor
        nonisolated var unownedExecutor: UnownedSerialExecutor { executor.asUnownedSerialExecutor() }
        init(executor: PinnedExecutor) { self.executor = executor }
        var back = 0
        /// Pings `times` times; returns how many times it was back on its own thread
        /// after a ping (it writes its own state there, so the hop back must happen).
        func drive(_ target: Target, times: Int) async -> Int {
            for _ in 0..<times {
                await target.ping()
                if executor.isOnExecutorThread { back += 1 }
            }
            return back
        }
    }

    @Test func awaitBetweenPinnedExecutorsRunsEachSideOnItsOwnThread() async throws {
        let first = try PinnedExecutor(.init(name: "driver", idleStrategy: .spinThenPark))
        let second = try PinnedExecutor(.init(name: "target", idleStrategy: .spinThenPark))
        defer {
            first.shutdown()
            second.shutdown()
        }
        let target = Target(executor: second)
        let driver = Driver(executor: first)
        let jobsBefore = second.jobsExecuted
        let back = await driver.drive(target, times: 1000)
        let counts = await target.counts()
        #expect(back == 1000)
        #expect(counts.calls == 1000 && counts.onOwnThread == 1000)
        #expect(second.jobsExecuted - jobsBefore >= 1000)
    }
}
