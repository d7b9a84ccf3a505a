import Foundation
import Protocols
import Runtime
import Synchronization
import Testing
@testable import Market

/// `FeedDriver.startPolled`: the synthetic market polled on an executor's own thread.
@Suite struct PolledFeedTests {
    static func executor(_ name: String) throws -> PinnedExecutor {
        try PinnedExecutor(.init(name: name, idleStrategy: .spinThenPark))
    }

    @Test func everyTickArrivesInOrderOnTheExecutorThreadAndTheFeedFinishes() throws {
        let configuration = SyntheticMarket.Configuration(symbols: ["A", "B", "C"], seed: 7, ratePerSecond: nil, maxTicks: 5_000)
        let source = try SyntheticMarket(configuration)
        let executor = try Self.executor("polled-feed")
        defer { executor.shutdown() }
        let driver = FeedDriver(source: source, symbols: SymbolTable(configuration.symbols))
        let received = Mutex<[Tick]>([])
        let offThread = Atomic<Int>(0)
        driver.startPolled(source, on: executor) { tick in
            if !executor.isOnExecutorThread { offThread.add(1, ordering: .relaxed) }
            received.withLock { $0.append(tick) }
            return true
        }
        #expect(driver.waitUntilFinished(timeoutSeconds: 60))
        let ticks = received.withLock { $0 }
        #expect(ticks.count == 5_000)
        #expect(ticks.map(\.sequence) == Array(1...5_000).map(UInt64.init))
        #expect(offThread.load(ordering: .relaxed) == 0)
        // The same ticks the generator makes (and `run` emits), in the same order.
        var generator = SyntheticMarket.Generator(configuration)
        let expected = (0..<5_000).map { _ in generator.next() }
        #expect(ticks.map(\.price) == expected.map(\.price))
        let stats = driver.stats
        #expect(stats.accepted == 5_000)
        #expect(stats.finished)
    }

    @Test func pacedTicksAreStampedWithTheirDueTime() throws {
        // 20k ticks/s: one every 50 µs. A tick is stamped when it was due, whenever the poll
        // got to it, so consecutive stamps are exactly 50 µs apart — except where the schedule
        // restarted after falling more than 10 ms behind (a descheduled thread), never closer.
        let configuration = SyntheticMarket.Configuration(symbols: ["A"], seed: 1, ratePerSecond: 20_000, maxTicks: 400)
        let source = try SyntheticMarket(configuration)
        let executor = try Self.executor("paced-feed")
        defer { executor.shutdown() }
        let driver = FeedDriver(source: source, symbols: SymbolTable(["A"]))
        let stamps = Mutex<[UInt64]>([])
        driver.startPolled(source, on: executor) { tick in
            stamps.withLock { $0.append(tick.ingressNanos) }
            return true
        }
        #expect(driver.waitUntilFinished(timeoutSeconds: 60))
        let ingress = stamps.withLock { $0 }
        #expect(ingress.count == 400)
        let gaps = zip(ingress.dropFirst(), ingress).map { $0 &- $1 }
        #expect(gaps.allSatisfy { $0 >= 50_000 }, "\(gaps.filter { $0 < 50_000 })")
        #expect(gaps.filter { $0 == 50_000 }.count > 0)
    }

    @Test func stopEndsAnEndlessPolledFeed() throws {
        let source = try SyntheticMarket(.init(symbols: ["A"], seed: 3, ratePerSecond: 1_000))
        let executor = try PinnedExecutor(.init(name: "stopped-feed", idleStrategy: .park))
        defer { executor.shutdown() }
        let driver = FeedDriver(source: source, symbols: SymbolTable(["A"]))
        let count = Atomic<Int>(0)
        driver.startPolled(source, on: executor) { _ in
            count.add(1, ordering: .relaxed)
            return true
        }
        let deadline = Date().addingTimeInterval(30)
        while count.load(ordering: .relaxed) < 5 && Date() < deadline { usleep(1_000) }
        #expect(count.load(ordering: .relaxed) >= 5)
        #expect(driver.stop(timeoutSeconds: 30))
        let atStop = count.load(ordering: .relaxed)
        usleep(20_000)
        #expect(count.load(ordering: .relaxed) == atStop)
        #expect(driver.stats.finished)
    }
}
