import Foundation
import Testing
import Hardware
@testable import Runtime

/// An actor that fails on negative messages and counts the others.
actor Flaky: SupervisedActor {
    struct Failure: Error {}

    nonisolated let executor: any ActorExecutor
    nonisolated var unownedExecutor: UnownedSerialExecutor { executor.asUnownedSerialExecutor() }
    var count = 0

    init(executor: any ActorExecutor) { self.executor = executor }

    func receive(_ message: Int) throws {
        if message < 0 { throw Failure() }
        count += 1
    }

    func snapshot() -> Int { count }
    func restore(from snapshot: Int) { count = snapshot }
}

/// The executor skips a cell whose mailbox is empty (its drain probe), so the work a
/// cell has without a message must still reach it: ending a restart backoff, and a
/// restart requested from another thread.
@Suite(.serialized) struct SupervisionTests {
    /// Polls `condition` (async, wall time) for up to 30 s.
    func eventually(_ condition: () -> Bool) async throws -> Bool {
        for _ in 0..<3000 {
            if condition() { return true }
            try await Task.sleep(nanoseconds: 10_000_000)
        }
        return condition()
    }

    @Test(arguments: [IdleStrategy.spinThenPark, .park])
    func backoffEndsAndRestartRequestsRunWithAnEmptyMailbox(idle: IdleStrategy) async throws {
        let plan = try CorePlan.make([.init(name: "flaky", latencyClass: .background, idleStrategy: idle)],
                                     topology: Topology.current())
        let system = try ActorSystem(plan: plan, configuration: .init(pinThreads: false, nodeLocalMemory: false))
        defer { system.stop() }
        let policy = SupervisionPolicy(intensity: 10, initialBackoffNanos: 2_000_000)
        let flaky = try await system.spawn("flaky", supervision: policy) { Flaky(executor: $0) }

        #expect(flaky.send(-1) == .enqueued)
        #expect(try await eventually { flaky.stats().restarts == 1 })
        // The backoff ends on the executor's own, with no message to deliver.
        #expect(try await eventually { flaky.stats().state == .running })
        #expect(flaky.stats().mailbox.depth == 0)

        flaky.cell.requestRestart(reason: "operator request")
        #expect(try await eventually { flaky.stats().restarts == 2 })
        #expect(try await eventually { flaky.stats().state == .running })

        #expect(flaky.send(7) == .enqueued)
        // `processed` counts the failed message too.
        #expect(try await eventually { flaky.stats().processed == 2 })
        let count = await flaky.actor.count
        #expect(count == 1, "count \(count)")
    }
}
