import Foundation
import Synchronization
import Testing
import Hardware
@testable import Runtime

@Suite(.serialized) struct PinnedExecutorTests {
    @Test func jobRunsOnItsPinnedCore() async throws {
        let core = try #require(Topology.current().cpuIDs.last)
        let executor = try PinnedExecutor(.init(name: "pinned", core: core, idleStrategy: .park))
        defer { executor.shutdown() }
        #expect(executor.pinnedTo == core)
        let recorder = Recorder(executor: executor, producers: 1)
        for _ in 0..<20 {
            let cpu = await recorder.currentCPU()
            #expect(cpu == core)
        }
        // As a TaskExecutor too.
        let cpu = await Task(executorPreference: executor) { Affinity.currentCPU }.value
        #expect(cpu == core)
    }

    @Test(arguments: [IdleStrategy.spin, .spinThenPark, .park])
    func everyIdleStrategyDeliversAndWakes(idle: IdleStrategy) async throws {
        let executor = try PinnedExecutor(.init(name: "idle-\(idle)", core: nil, idleStrategy: idle, spinIterations: 100))
        defer { executor.shutdown() }
        let channel = try Channel<Int>(.init(name: "c", capacity: 16, producers: .single))
        let received = Atomic<Int>(0)
        channel.bind(to: executor) { value in received.add(value, ordering: .relaxed) }
        for round in 1...20 {
            channel.send(1)
            // Wait (bounded) for the delivery, then let the executor go idle (and park) again.
            var waited = 0
            while received.load(ordering: .relaxed) < round && waited < 10_000 {
                try await Task.sleep(nanoseconds: 1_000_000)
                waited += 1
            }
            #expect(received.load(ordering: .relaxed) == round)
            try await Task.sleep(nanoseconds: 2_000_000)
        }
        if idle == .park { #expect(executor.parkCount > 0 && executor.wakeCount > 0) }
    }

    @Test func checkIsolatedKnowsItsThread() async throws {
        let executor = try PinnedExecutor(.init(name: "iso", idleStrategy: .park))
        defer { executor.shutdown() }
        #expect(executor.isIsolatingCurrentContext() == false)
        let inside = await Task(executorPreference: executor) { executor.isOnExecutorThread }.value
        #expect(inside)
    }

    @Test func fullJobRingOverflowsInsteadOfDeadlocking() async throws {
        let executor = try PinnedExecutor(.init(name: "tiny", idleStrategy: .park, jobCapacity: 2))
        defer { executor.shutdown() }
        let recorder = Recorder(executor: executor, producers: 1)
        await withTaskGroup(of: Int?.self) { group in
            for _ in 0..<64 { group.addTask { await recorder.currentCPU() } }
            var count = 0
            for await _ in group { count += 1 }
            #expect(count == 64)
        }
    }

    @Test func badBatchSizeIsNamed() {
        let error = #expect(throws: RuntimeError.self) { try PinnedExecutor(.init(name: "x", batchSize: 0)) }
        #expect(error?.description == "batch size 0 is invalid: it must be between 1 and 65536")
    }
}

@Suite(.serialized) struct SerialOrderTests {
    /// 4 producer threads, 1M messages in all, into one MPSC channel: every sequence
    /// number arrives, in order per producer.
    @Test(arguments: ExecutorKind.allCases)
    func serialOrderHoldsWithFourProducersAndAMillionMessages(kind: ExecutorKind) async throws {
        let producers = 4
        let perProducer = 250_000
        let executor = try kind.make(name: "order-\(kind)", core: Topology.current().cpuIDs.last)
        defer { executor.shutdown() }
        let recorder = Recorder(executor: executor, producers: producers)
        let channel = try Channel<SequencedMessage>(.init(name: "order", capacity: 10_000, overflow: .reject))
        let delivered = Atomic<Int>(0)
        // Delivered through an ExecutorThreadCall: its thread check must accept the
        // pinned thread and DeterministicExecutor.run(), and keep the order.
        let receive = ExecutorThreadCall<Recorder, SequencedMessage, Void, Never> { recorder, message in recorder.receive(message) }
        channel.bind(to: executor) { message in
            receive(recorder, message)
            delivered.add(1, ordering: .relaxed)
        }
        let rejected = Atomic<Int>(0)
        let threads = (0..<producers).map { producer in
            Thread {
                for sequence in 0..<perProducer {
                    while channel.send(SequencedMessage(producer: producer, sequence: sequence)) == .rejected {
                        rejected.add(1, ordering: .relaxed)
                        sched_yield()
                    }
                }
            }
        }
        threads.forEach { $0.start() }
        pump([executor], until: { delivered.load(ordering: .relaxed) == producers * perProducer }, timeoutSeconds: 120)
        let summary = await awaitPumping([executor]) { await recorder.summary() }
        #expect(summary.count == producers * perProducer)
        #expect(summary.outOfOrder == 0)
        #expect(summary.last == Array(repeating: perProducer - 1, count: producers))
        let stats = channel.stats
        #expect(stats.enqueued == producers * perProducer)
        #expect(stats.delivered == producers * perProducer)
        #expect(stats.rejected == rejected.load(ordering: .relaxed))
        #expect(stats.highWater <= 10_000)
    }
}
