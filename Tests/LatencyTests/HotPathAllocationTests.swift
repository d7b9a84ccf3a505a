import Execution
import Foundation
import Learning
import Protocols
import Risk
import Runtime
import Synchronization
import Testing
@testable import Latency
@testable import Market

/// The hot path in steady state: `PipelineCore.process` over `QA_HOTPATH_TICKS` ticks
/// (default 20,000) with the production model (the ensemble, ARF included), journal and
/// taps that only count. It allocates nothing per tick; this test checks the run, and
/// counting its heap allocations at two tick counts under valgrind shows the per-tick
/// figure (README, latency section):
///   QA_HOTPATH_TICKS=10000 valgrind PackageTests.xctest --filter steadyState…  (and 30000)
@Suite struct HotPathAllocationTests {
    @Test func steadyStateTicksRunThroughEveryStageWithCountingOutputs() throws {
        let count = ProcessInfo.processInfo.environment["QA_HOTPATH_TICKS"].flatMap(Int.init) ?? 20_000
        let symbols = SymbolTable(["A", "B", "C", "D"])
        let journalled = Atomic<Int>(0)
        let outputs = PipelineOutputs(regimeTap: { _, _ in }, learnTap: { _ in },
                                      journal: { _ in journalled.add(1, ordering: .relaxed) })
        let rule = DecisionRule(buyThreshold: 0.501, sellThreshold: 0.499, baseSize: 5, regimeScale: [1, 1, 1], uncertainScale: 1)
        var core = PipelineCore(
            configuration: .init(symbols: symbols, rule: rule),
            risk: try PreTradeRisk(limits: RiskLimits(priceCollarBps: 500, orderRateLimit: 1e9)),
            venue: try PaperVenue(configuration: .init(seed: 3, symbols: symbols.count)), initialEquity: 1_000_000,
            outputs: outputs, metrics: PipelineMetrics(publishEvery: 1 << 30))
        // Train the production model on the same market, then hand the engine its compiled form.
        var manager = try LearnEvaluation(model: "ensemble", parameters: [], seed: 1).makeManager(dimension: FeatureVector.count)
        var features = FeatureEngine(symbols: symbols.count)
        var generator = SyntheticMarket.Generator(.init(symbols: symbols.names, seed: 9, ratePerSecond: nil))
        var buffer = [Double](repeating: 0, count: FeatureVector.count)
        for index in 0..<3000 {
            let raw = generator.next()
            let vector = features.update(Tick(symbol: Int32(index % symbols.count), price: raw.price, size: raw.size,
                                              bid: raw.bid, ask: raw.ask, exchangeTimeNanos: raw.timeNanos))
            vector.write(into: &buffer)
            _ = manager.learn(buffer, label: vector.momentum > 0, time: Double(index))
        }
        core.setPredictor(manager)
        let clock = VirtualClock(start: 1_000)
        // Ticks are generated inside the loop (no array proportional to the count).
        for index in 0..<count {
            let raw = generator.next()
            clock.advance(by: 10_000)
            core.process(Tick(symbol: Int32(index % symbols.count), price: raw.price, size: raw.size, bid: raw.bid,
                              ask: raw.ask, exchangeTimeNanos: raw.timeNanos, ingressNanos: clock.now(),
                              sequence: UInt64(index + 1)), clock: clock)
        }
        core.metrics.publish()
        let snapshot = core.metrics.snapshot()
        #expect(snapshot.ticks == UInt64(count))
        #expect(snapshot.orders > 0 && snapshot.fills > 0)
        #expect(journalled.load(ordering: .relaxed) > Int(snapshot.orders))
    }
}
