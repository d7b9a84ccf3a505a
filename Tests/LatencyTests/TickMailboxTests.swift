import Foundation
import Learning
import Protocols
import Runtime
import Synchronization
import Testing
@testable import Latency
@testable import Market

/// What a mailbox delivered, in order.
private final class Delivered: @unchecked Sendable {
    // @unchecked: appended only inside the deterministic executor's `run` on the test's thread.
    var ticks: [Tick] = []
}

private func tick(_ index: Int, symbols: Int) -> Tick {
    Tick(symbol: Int32(index % symbols), price: 100 + Double(index), size: 1, exchangeTimeNanos: UInt64(index + 1),
         ingressNanos: UInt64(index + 1), sequence: UInt64(index + 1))
}

/// Every symbol's ticks arrive in sequence order, and each symbol's last delivered
/// tick is the last one sent for it.
private func expectOrderedAndFresh(_ delivered: [Tick], sent: [Tick]) {
    var last: [Int32: UInt64] = [:]
    for tick in delivered {
        #expect(tick.sequence > last[tick.symbol, default: 0], "symbol \(tick.symbol) went back to \(tick.sequence)")
        last[tick.symbol] = tick.sequence
    }
    var newest: [Int32: UInt64] = [:]
    for tick in sent { newest[tick.symbol] = tick.sequence }
    #expect(last == newest)
}

@Suite struct TickMailboxTests {
    @Test func belowTheWatermarkEveryTickIsDeliveredInArrivalOrder() throws {
        let executor = DeterministicExecutor(name: "engine")
        let metrics = PipelineMetrics()
        let mailbox = try TickMailbox(.init(capacity: 100, watermark: 50, symbols: 3), metrics: metrics)
        let delivered = Delivered()
        mailbox.bind(to: executor) { delivered.ticks.append($0) }
        let sent = (0..<40).map { tick($0, symbols: 3) }
        for t in sent { #expect(mailbox.send(t) == .enqueued) }
        executor.run()
        #expect(delivered.ticks.map(\.sequence) == sent.map(\.sequence))
        #expect(metrics.snapshot().conflated == 0)
        #expect(mailbox.stats.queued == 40 && mailbox.stats.delivered == 40 && mailbox.stats.depth == 0)
    }

    @Test func aboveTheWatermarkOnlyTheNewestTickPerSymbolIsKept() throws {
        let executor = DeterministicExecutor(name: "engine")
        let metrics = PipelineMetrics()
        let mailbox = try TickMailbox(.init(capacity: 100, watermark: 10, symbols: 3), metrics: metrics)
        let delivered = Delivered()
        mailbox.bind(to: executor) { delivered.ticks.append($0) }
        let sent = (0..<100).map { tick($0, symbols: 3) }
        var outcomes: [SendOutcome] = []
        for t in sent { outcomes.append(mailbox.send(t)) }
        // 10 queued in order, then one pending per symbol, every later tick conflated.
        #expect(outcomes.prefix(10).allSatisfy { $0 == .enqueued })
        #expect(outcomes.filter { $0 == .conflated }.count == 100 - 10 - 3)
        #expect(mailbox.depth == 13)
        #expect(metrics.snapshot().conflated == 87)
        executor.run()
        #expect(delivered.ticks.count == 13)
        #expect(delivered.ticks.prefix(10).map(\.sequence) == Array(1...10))
        expectOrderedAndFresh(delivered.ticks, sent: sent)
        let stats = mailbox.stats
        #expect(stats.queued == 10 && stats.conflatedNew == 3 && stats.conflated == 87 && stats.delivered == 13)
        // Drained: back to queueing in order.
        #expect(mailbox.send(tick(100, symbols: 3)) == .enqueued)
    }

    @Test func ticksSentWhileTheEngineCatchesUpStayInOrderPerSymbol() throws {
        let metrics = PipelineMetrics()
        let mailbox = try TickMailbox(.init(capacity: 64, watermark: 8, symbols: 4), metrics: metrics)
        let delivered = Delivered()
        mailbox.bind(to: DeterministicExecutor(name: "engine")) { delivered.ticks.append($0) }
        var sent: [Tick] = []
        var next = 0
        // Bursts larger than the watermark, partial drains in between.
        for burst in [5, 20, 3, 40, 9, 1, 30] {
            for _ in 0..<burst {
                let t = tick(next, symbols: 4)
                next += 1
                sent.append(t)
                mailbox.send(t)
            }
            _ = mailbox.drain(budget: 6)
        }
        while mailbox.drain(budget: 64) > 0 {}
        expectOrderedAndFresh(delivered.ticks, sent: sent)
        let stats = mailbox.stats
        #expect(stats.queued + stats.conflatedNew + stats.conflated == sent.count)
        #expect(stats.delivered == delivered.ticks.count)
        #expect(UInt64(stats.conflated) == metrics.snapshot().conflated && stats.conflated > 0)
    }

    @Test func unknownSymbolsAreRefusedAndCounted() throws {
        let mailbox = try TickMailbox(.init(capacity: 8, symbols: 2))
        #expect(mailbox.send(tick(5, symbols: 7)) == .invalidKey)
        #expect(mailbox.stats.rejected == 1 && mailbox.depth == 0)
    }

    @Test func controlRegimeAndModelMessagesAreNeverShedWhileTicksAreConflated() async throws {
        let symbols = SymbolTable(["A", "B", "C"])
        let recorder = Recorder()
        let core = try makeCore(recorder, symbols: symbols)
        let executor = DeterministicExecutor(name: "engine", clock: VirtualClock(start: 1_000_000))
        let mailbox = try TickMailbox(.init(capacity: 256, watermark: 32, symbols: symbols.count), metrics: core.metrics)
        let control = try Channel<LatencyEngine.Message>(ChannelConfiguration(name: "engine", capacity: 64, overflow: .reject))
        let engine = LatencyEngine(executor: executor, core: core, ticks: mailbox, control: control)
        control.bind(to: executor) { message in engine.assumeIsolated { $0.receive(message) } }
        var manager = try LearnEvaluation(model: "online-gd", parameters: [], seed: 3).makeManager(dimension: FeatureVector.count)
        for step in 0..<200 {
            let x = (0..<FeatureVector.count).map { Double(($0 + 1) * (step % 7)) * 1e-3 }
            _ = manager.learn(x, label: step % 3 == 0, time: Double(step))
        }
        let model = InferenceModel(manager)
        var controlSent = 0
        var generator = SyntheticMarket.Generator(.init(symbols: symbols.names, seed: 4, ratePerSecond: nil))
        for index in 0..<5000 {
            let raw = generator.next()
            engine.submit(Tick(symbol: Int32(index % 3), price: raw.price, size: raw.size, bid: raw.bid, ask: raw.ask,
                               exchangeTimeNanos: raw.timeNanos, ingressNanos: 1_000_000, sequence: UInt64(index + 1)))
            if index % 500 == 499 {
                #expect(control.send(.regime(symbol: Int32(index % 3), state: 1, confidence: 0.9)) == .enqueued)
                controlSent += 1
            }
        }
        #expect(control.send(.model(model)) == .enqueued)
        // More ticks: the tick handler applies the model (ahead of them) from the control ring.
        for index in 5000..<5100 {
            let raw = generator.next()
            engine.submit(Tick(symbol: Int32(index % 3), price: raw.price, size: raw.size, bid: raw.bid, ask: raw.ask,
                               exchangeTimeNanos: raw.timeNanos, ingressNanos: 1_000_000, sequence: UInt64(index + 1)))
        }
        #expect(control.send(.control(.pause)) == .enqueued)
        controlSent += 2
        executor.run()
        let status = try await pump(executor) { await engine.status() }
        #expect(status.paused)
        #expect(status.regimes.values.contains(1))
        let metrics = core.metrics.snapshot()
        #expect(metrics.conflated > 4000)
        #expect(Int(metrics.ticks) == mailbox.stats.delivered)
        // What the tick handler applied from the control ring before a tick is timed as one
        // `control` sample per batch (none is recorded for ticks with nothing waiting).
        let applied = metrics.stages["control"]?.count ?? 0
        #expect(applied >= 1 && applied <= UInt64(controlSent), "\(applied)")
        let stats = control.stats
        #expect(stats.enqueued == controlSent && stats.depth == 0 && stats.dropped == 0 && stats.rejected == 0)
    }
}

/// Runs `body` while a thread runs `executor` (so awaits on its actors complete).
func pump<T: Sendable>(_ executor: DeterministicExecutor, _ body: @Sendable () async throws -> T) async throws -> T {
    let stop = Atomic<Bool>(false)
    let done = AsyncStream<Void>.makeStream()
    let thread = Thread {
        while !stop.load(ordering: .acquiring) {
            if executor.run() == 0 { usleep(50) }
        }
        done.continuation.finish()
    }
    thread.start()
    let result: Result<T, any Error>
    do { result = .success(try await body()) } catch { result = .failure(error) }
    stop.store(true, ordering: .releasing)
    for await _ in done.stream {}
    return try result.get()
}
