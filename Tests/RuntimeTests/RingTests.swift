import Foundation
import Synchronization
import Testing
import Hardware
@testable import Runtime

/// The three rings behind one interface, so every property is checked on each.
enum RingKind: String, CaseIterable, Sendable, CustomStringConvertible {
    case spsc, mpsc, mpmc
    var description: String { rawValue }

    func make<Element>(_: Element.Type, capacity: Int) throws -> (push: (Element) -> Bool, pop: () -> Element?, count: () -> Int) {
        switch self {
        case .spsc:
            let ring = try SPSCRing<Element>(capacity: capacity)
            return ({ ring.push($0) }, { ring.pop() }, { ring.count })
        case .mpsc:
            let ring = try MPSCRing<Element>(capacity: capacity)
            return ({ ring.push($0) }, { ring.pop() }, { ring.count })
        case .mpmc:
            let ring = try MPMCRing<Element>(capacity: capacity)
            return ({ ring.push($0) }, { ring.pop() }, { ring.count })
        }
    }
}

/// A message larger than a cache-line slot's padding threshold, holding a reference
/// so a lost or doubled element shows up in the live count.
final class Tracked: Sendable {
    static let live = Atomic<Int>(0)
    let value: Int
    init(_ value: Int) {
        self.value = value
        Tracked.live.add(1, ordering: .relaxed)
    }
    deinit { Tracked.live.subtract(1, ordering: .relaxed) }
}

struct WideMessage {
    var tracked: Tracked
    var label: String
    var a: Double, b: Double, c: Double
}

@Suite(.serialized) struct RingTests {
    /// Fill to capacity, refuse one more, drain in order; many laps around a ring
    /// whose capacity is a power of two (masked) and one whose capacity is not (modulo).
    @Test(arguments: RingKind.allCases, [3, 8])
    func everyRingIsExactFIFOAcrossManyLaps(kind: RingKind, capacity: Int) throws {
        let ring = try kind.make(Int.self, capacity: capacity)
        var next = 0
        var expected = 0
        for lap in 0..<500 {
            let burst = lap % (capacity + 1)
            for _ in 0..<burst {
                #expect(ring.push(next))
                next += 1
            }
            #expect(ring.count() == burst)
            if burst == capacity { #expect(!ring.push(-1)) }
            while let value = ring.pop() {
                #expect(value == expected)
                expected += 1
            }
        }
        #expect(expected == next)
        #expect(ring.count() == 0)
    }

    /// Elements wider than 8 bytes (padded slots), with references: nothing is lost,
    /// doubled or leaked, including elements still queued when the ring goes away.
    @Test(arguments: RingKind.allCases)
    func wideElementsAreMovedAndReleasedExactlyOnce(kind: RingKind) throws {
        let before = Tracked.live.load(ordering: .relaxed)
        do {
            let ring = try kind.make(WideMessage.self, capacity: 10)
            for round in 0..<100 {
                for index in 0..<7 {
                    let value = round * 10 + index
                    #expect(ring.push(WideMessage(tracked: Tracked(value), label: "m\(value)", a: 1, b: 2, c: Double(value))))
                }
                for index in 0..<7 {
                    let message = ring.pop()
                    #expect(message?.tracked.value == round * 10 + index)
                    #expect(message?.label == "m\(round * 10 + index)")
                    #expect(message?.c == Double(round * 10 + index))
                }
            }
            for value in 0..<5 { _ = ring.push(WideMessage(tracked: Tracked(value), label: "", a: 0, b: 0, c: 0)) }
            #expect(Tracked.live.load(ordering: .relaxed) == before + 5)
        }
        #expect(Tracked.live.load(ordering: .relaxed) == before)
    }

    /// A ring that goes away full, after it has wrapped, releases every element it
    /// still holds exactly once: the drain in `SequencedRing.deinit` stops at the
    /// slot it started from, under each ring's sequence convention.
    @Test(arguments: RingKind.allCases, [3, 8])
    func aFullRingReleasesEveryQueuedElementWhenItGoesAway(kind: RingKind, capacity: Int) throws {
        let before = Tracked.live.load(ordering: .relaxed)
        do {
            let ring = try kind.make(Tracked.self, capacity: capacity)
            for value in 0..<(capacity * 5 + 1) {
                #expect(ring.push(Tracked(value)))
                #expect(ring.pop()?.value == value)
            }
            for value in 0..<capacity { #expect(ring.push(Tracked(value))) }
            #expect(!ring.push(Tracked(-1)))
            #expect(ring.count() == capacity)
            #expect(Tracked.live.load(ordering: .relaxed) == before + capacity)
        }
        #expect(Tracked.live.load(ordering: .relaxed) == before)
    }

    /// Four producer threads into a small MPSC ring (so it fills and wraps often):
    /// every message arrives once, in order per producer.
    @Test func mpscRingKeepsEveryMessageOfFourProducersInOrder() throws {
        let ring = try MPSCRing<Int>(capacity: 64)
        let producers = 4
        let perProducer = 100_000
        let threads = (0..<producers).map { producer in
            Thread {
                for sequence in 0..<perProducer {
                    while !ring.push(producer << 32 | sequence) { sched_yield() }
                }
            }
        }
        threads.forEach { $0.start() }
        var last = Array(repeating: -1, count: producers)
        var received = 0
        var outOfOrder = 0
        let deadline = Date().addingTimeInterval(120)
        while received < producers * perProducer && Date() < deadline {
            guard let value = ring.pop() else { continue }
            let producer = value >> 32
            let sequence = value & 0xFFFF_FFFF
            if sequence != last[producer] + 1 { outOfOrder += 1 }
            last[producer] = sequence
            received += 1
        }
        #expect(received == producers * perProducer)
        #expect(outOfOrder == 0)
        #expect(ring.pop() == nil && ring.count == 0)
        #expect(ring.tailPosition == Int64(producers * perProducer))
    }

    /// The high-water mark is the largest backlog a drain found, counted without
    /// reading the producer's index when the drain empties the channel.
    @Test(arguments: [ProducerMode.single, .multiple])
    func drainRecordsTheBacklogItFound(producers: ProducerMode) throws {
        let executor = DeterministicExecutor()
        let channel = try Channel<Int>(.init(name: "t", capacity: 1000, overflow: .reject, producers: producers))
        var received: [Int] = []
        channel.attach(to: executor) { value in
            received.append(value)
            return true
        }
        for value in 0..<10 { channel.send(value) }
        #expect(channel.drain(budget: 64) == 10)
        #expect(channel.stats.highWater == 10)
        for value in 10..<110 { channel.send(value) }
        #expect(channel.drain(budget: 64) == 64)
        #expect(channel.stats.highWater == 100)
        #expect(channel.drain(budget: 64) == 36)
        #expect(channel.drain(budget: 64) == 0)
        #expect(received == Array(0..<110))
        let stats = channel.stats
        #expect(stats.delivered == 110 && stats.enqueued == 110 && stats.depth == 0 && stats.highWater == 100)
    }
}

/// ExecutorThreadCall recognises the executor's thread and no other.
@Suite struct ExecutorThreadCallTests {
    actor Counter {
        nonisolated let executor: any ActorExecutor
        nonisolated var unownedExecutor: UnownedSerialExecutor { executor.asUnownedSerialExecutor() }
        var total = 0
        init(executor: any ActorExecutor) { self.executor = executor }
        func add(_ value: Int) -> Int {
            total += value
            return total
        }
    }

    @Test func isOnItsExecutorThreadOnlyThere() async throws {
        let executor = try PinnedExecutor(.init(name: "call", idleStrategy: .spinThenPark))
        defer { executor.shutdown() }
        let counter = Counter(executor: executor)
        #expect(!counter.isOnItsExecutorThread)
        let add = ExecutorThreadCall<Counter, Int, Int, Never> { counter, value in counter.add(value) }
        let channel = try Channel<Int>(.init(name: "adds", capacity: 16, producers: .single))
        let seenOnThread = Atomic<Int>(0)
        let done = Atomic<Int>(0)
        channel.bind(to: executor) { value in
            if counter.isOnItsExecutorThread { seenOnThread.add(1, ordering: .relaxed) }
            _ = add(counter, value)
            done.add(1, ordering: .releasing)
        }
        for value in 1...10 { channel.send(value) }
        let deadline = Date().addingTimeInterval(30)
        while done.load(ordering: .acquiring) < 10 && Date() < deadline { usleep(100) }
        #expect(seenOnThread.load(ordering: .relaxed) == 10)
        #expect(await counter.total == 55)
        // A default actor's executor is never a thread's executor marker.
        actor Plain {}
        #expect(!Plain().isOnItsExecutorThread)
        channel.close()
    }
}

@Suite("Channel.sendWithoutWaking")
struct QuietSendTests {
    @Test("sends without waking make no wake-up; the park timeout or the next plain send drains them, none lost")
    func quietSendsMakeNoWakeUp() async throws {
        let plan = try CorePlan.make([.init(name: "sink", latencyClass: .background, idleStrategy: .park)],
                                     topology: Topology.current())
        let system = try ActorSystem(plan: plan, configuration: .init(pinThreads: false, nodeLocalMemory: false))
        defer { system.stop() }
        let sink = try await system.spawn("sink") { QuietSink(executor: $0) }
        let executor = try #require(try system.executor(forActor: "sink") as? PinnedExecutor)
        try await Task.sleep(nanoseconds: 50_000_000)
        let before = executor.wakeCount
        for value in 1...1000 { #expect(sink.sendWithoutWaking(value) == .enqueued) }
        #expect(executor.wakeCount == before, "a quiet send woke the executor")
        sink.send(0)
        var total = 0
        for _ in 0..<300 {
            total = await sink.actor.total
            if total == 500_500 { break }
            try await Task.sleep(nanoseconds: 10_000_000)
        }
        #expect(total == 500_500)
    }
}

/// Sums what it receives.
actor QuietSink: SupervisedActor {
    typealias Message = Int
    nonisolated let executor: any ActorExecutor
    nonisolated var unownedExecutor: UnownedSerialExecutor { executor.asUnownedSerialExecutor() }
    var total = 0
    init(executor: any ActorExecutor) { self.executor = executor }
    func receive(_ message: Int) { total += message }
    func snapshot() -> Int { total }
    func restore(from snapshot: Int) { total = snapshot }
}
