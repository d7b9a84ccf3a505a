import Execution
import Foundation
import Journal
import Learning
import Protocols
import Risk
import Runtime
import Synchronization
import Testing
@testable import Latency
@testable import Market

/// Collects what the pipeline journals.
final class Recorder: Sendable {
    let records = Mutex<[JournalRecord]>([])
    var outputs: PipelineOutputs { PipelineOutputs(journal: { record in self.records.withLock { $0.append(record) } }) }
}

/// A pipeline core with a model trained on the synthetic market, thresholds near 0.5 so it trades.
func makeCore(_ recorder: Recorder, symbols: SymbolTable, cooldownTicks: Int = 0,
              retryAfterRejectionNanos: UInt64 = 10_000_000) throws -> PipelineCore {
    let rule = DecisionRule(buyThreshold: 0.505, sellThreshold: 0.495, baseSize: 5, regimeScale: [1, 1, 1], uncertainScale: 1)
    var core = PipelineCore(
        configuration: .init(symbols: symbols, rule: rule, cooldownTicks: cooldownTicks,
                             retryAfterRejectionNanos: retryAfterRejectionNanos),
        risk: try PreTradeRisk(limits: RiskLimits(priceCollarBps: 500, orderRateLimit: 1e9)),
        venue: try PaperVenue(configuration: .init(seed: 3, symbols: symbols.count)), initialEquity: 1_000_000,
        outputs: recorder.outputs)
    var manager = try LearnEvaluation(model: "online-gd", parameters: [], seed: 1).makeManager(dimension: FeatureVector.count)
    var features = FeatureEngine(symbols: symbols.count)
    var generator = SyntheticMarket.Generator(.init(symbols: symbols.names, seed: 99, ratePerSecond: nil))
    var previous: [Double] = []
    var buffer = [Double](repeating: 0, count: FeatureVector.count)
    for index in 0..<4000 {
        let raw = generator.next()
        let tick = Tick(symbol: Int32(index % symbols.count), price: raw.price, size: raw.size, bid: raw.bid, ask: raw.ask,
                        exchangeTimeNanos: raw.timeNanos)
        let vector = features.update(tick)
        if !previous.isEmpty { _ = manager.learn(previous, label: vector.logReturn > 0, time: Double(index)) }
        vector.write(into: &buffer)
        previous = buffer
    }
    core.setPredictor(manager)
    return core
}

func ticks(_ count: Int, symbols: SymbolTable, seed: UInt64, clock: VirtualClock) -> [Tick] {
    var generator = SyntheticMarket.Generator(.init(symbols: symbols.names, seed: seed, ratePerSecond: nil))
    return (0..<count).map { index in
        let raw = generator.next()
        clock.advance(by: 10_000)
        return Tick(symbol: Int32(index % symbols.count), price: raw.price, size: raw.size, bid: raw.bid, ask: raw.ask,
                    exchangeTimeNanos: raw.timeNanos, ingressNanos: clock.now(), sequence: UInt64(index + 1))
    }
}

@Suite struct PipelineTests {
    @Test func shortSyntheticRunPlacesOrdersWhosePnLAddsUpAgainstFillsAndJournalsThemAll() throws {
        let symbols = SymbolTable(["A", "B"])
        let recorder = Recorder()
        var core = try makeCore(recorder, symbols: symbols)
        let clock = VirtualClock(start: 1_000_000)
        for tick in ticks(5000, symbols: symbols, seed: 5, clock: clock) {
            core.process(tick, clock: clock)
            clock.advance(by: 50_000)
        }
        core.metrics.publish()
        let snapshot = core.metrics.snapshot()
        let records = recorder.records.withLock { $0 }
        let orders = records.filter { if case .order = $0 { return true } else { return false } }
        #expect(snapshot.orders > 10)
        #expect(orders.count == Int(snapshot.orders))
        // Cash and positions from the journalled fills alone.
        var cash = 0.0
        var position = [0.0, 0.0]
        var fills = 0
        for case .execution(let report) in records where report.lastQuantity > 0 {
            cash -= report.side.sign * report.lastQuantity * report.lastPrice
            position[Int(report.symbol)] += report.side.sign * report.lastQuantity
            fills += 1
        }
        #expect(fills > 0)
        let book = core.book
        let markToMarket = cash + position[0] * book.lastPrice(0) + position[1] * book.lastPrice(1)
        #expect(abs((book.realisedPnL + book.unrealisedPnL) - markToMarket) < 1e-6)
        #expect(position == [book.position(0), book.position(1)])
    }

    @Test func replayingTheSameTicksWithTheSameSeedGivesIdenticalDecisionsAndOrders() throws {
        let symbols = SymbolTable(["A", "B", "C"])
        func run() throws -> [JournalRecord] {
            let recorder = Recorder()
            var core = try makeCore(recorder, symbols: symbols)
            let clock = VirtualClock(start: 5_000)
            for tick in ticks(3000, symbols: symbols, seed: 11, clock: clock) { core.process(tick, clock: clock) }
            return recorder.records.withLock { $0 }
        }
        let first = try run()
        let second = try run()
        #expect(!first.isEmpty)
        #expect(first == second)
    }

    /// Halted, or closing (shutdown stops orders before the journal closes).
    @Test(arguments: [false, true])
    func haltedOrClosingPipelineRefusesNewOrders(closing: Bool) throws {
        let symbols = SymbolTable(["A", "B"])
        let recorder = Recorder()
        var core = try makeCore(recorder, symbols: symbols)
        if closing { core.closing = true } else { core.halted = true }
        let clock = VirtualClock(start: 1)
        for tick in ticks(2000, symbols: symbols, seed: 5, clock: clock) { core.process(tick, clock: clock) }
        core.metrics.publish()
        #expect(core.metrics.snapshot().orders == 0)
        #expect(core.metrics.snapshot().rejectedByRisk > 0)
        let halted = recorder.records.withLock { $0 }.filter {
            if case .execution(let report) = $0 { return report.reason == .halted } else { return false }
        }
        #expect(!halted.isEmpty)
    }

    /// A refused symbol is not tried again on every tick: one decision and one refusal per
    /// symbol per `retryAfterRejectionNanos`, each journalled, instead of two records a tick.
    @Test func aRefusedSymbolIsTriedAgainOnlyAfterItsRetryTime() throws {
        let symbols = SymbolTable(["A", "B"])
        func refusals(retryAfter: UInt64) throws -> (records: [JournalRecord], counted: UInt64) {
            let recorder = Recorder()
            var core = try makeCore(recorder, symbols: symbols, retryAfterRejectionNanos: retryAfter)
            core.halted = true
            let clock = VirtualClock(start: 1)
            for tick in ticks(2000, symbols: symbols, seed: 5, clock: clock) {  // 20 ms of processing
                clock.advance(by: 10_000)
                core.process(tick, clock: clock)
            }
            core.metrics.publish()
            return (recorder.records.withLock { $0 }, core.metrics.snapshot().rejectedByRisk)
        }
        let everyTick = try refusals(retryAfter: 0)
        let spaced = try refusals(retryAfter: 1_000_000)
        var times: [Int32: [UInt64]] = [:]
        for case .execution(let report) in spaced.records {
            #expect(report.status == .rejected && report.reason == .halted)
            times[report.symbol, default: []].append(report.timeNanos)
        }
        #expect(times.count == symbols.count && spaced.counted >= 20, "\(times.mapValues(\.count))")
        for (symbol, stamps) in times {
            // At most one refusal per millisecond of the 20 ms run (and the first at once).
            #expect(stamps.count >= 10 && stamps.count <= 21, "symbol \(symbol): \(stamps.count) refusals")
            for (earlier, later) in zip(stamps, stamps.dropFirst()) { #expect(later - earlier >= 1_000_000) }
        }
        let decisions = spaced.records.filter { if case .decision = $0 { return true } else { return false } }
        #expect(decisions.count == times.values.reduce(0) { $0 + $1.count } && UInt64(decisions.count) == spaced.counted)
        // Without the retry time every tick that wants to trade is refused and journalled twice.
        #expect(everyTick.counted > 20 * spaced.counted, "\(everyTick.counted) vs \(spaced.counted)")
    }

    /// A venue that refuses at once (here: full after one open order) is waited for like a risk refusal.
    @Test func anOrderTheVenueRefusesAtOnceWaitsTheRetryTimeToo() throws {
        let symbols = SymbolTable(["A"])
        let model = try #require(try makeCore(Recorder(), symbols: symbols).predictor)
        func refusals(retryAfter: UInt64) throws -> [UInt64] {
            let recorder = Recorder()
            let rule = DecisionRule(buyThreshold: 0.505, sellThreshold: 0.495, baseSize: 5, regimeScale: [1, 1, 1], uncertainScale: 1)
            var core = PipelineCore(
                configuration: .init(symbols: symbols, rule: rule, retryAfterRejectionNanos: retryAfter),
                risk: try PreTradeRisk(limits: RiskLimits(priceCollarBps: 500, orderRateLimit: 1e9)),
                // Never acknowledged nor filled within the run: the one slot stays taken.
                venue: try PaperVenue(configuration: .init(ackLatencyNanos: 1_000_000_000_000, fillLatencyNanos: 1_000_000_000_000,
                                                           rejectProbability: 0, capacity: 1, symbols: 1)),
                initialEquity: 1_000_000, outputs: recorder.outputs)
            core.setPredictor(model)
            let clock = VirtualClock(start: 1)
            for tick in ticks(2000, symbols: symbols, seed: 5, clock: clock) {  // 20 ms
                clock.advance(by: 10_000)
                core.process(tick, clock: clock)
            }
            var times: [UInt64] = []
            for case .execution(let report) in recorder.records.withLock({ $0 }) where report.status == .rejected {
                #expect(report.reason == .venueReject)
                times.append(report.timeNanos)
            }
            return times
        }
        let spaced = try refusals(retryAfter: 1_000_000)
        #expect(spaced.count >= 3 && spaced.count <= 21, "\(spaced.count) refusals")
        for (earlier, later) in zip(spaced, spaced.dropFirst()) { #expect(later - earlier >= 1_000_000) }
        // Without the retry time the full venue is tried on every tick that wants to trade.
        let everyTick = try refusals(retryAfter: 0)
        #expect(everyTick.count > 10 * spaced.count, "\(everyTick.count) vs \(spaced.count)")
    }

    /// `decision.cooldown_ticks`: after an order goes out on a symbol, its next N ticks do not trade.
    @Test func cooldownTicksSpaceTheOrdersOfASymbol() throws {
        let symbols = SymbolTable(["A", "B"])
        // The smallest gap, in ticks of the symbol, between two orders on one symbol.
        func smallestGap(cooldown: Int) throws -> (gap: UInt64, orders: Int) {
            let recorder = Recorder()
            var core = try makeCore(recorder, symbols: symbols, cooldownTicks: cooldown)
            let clock = VirtualClock(start: 1)
            // Ticks alternate between the two symbols, 10 µs apart: 20 µs between two of one symbol.
            for tick in ticks(4000, symbols: symbols, seed: 7, clock: clock) { core.process(tick, clock: clock) }
            var last: [Int32: UInt64] = [:]
            var gap = UInt64.max
            var orders = 0
            for case .order(let order) in recorder.records.withLock({ $0 }) {
                if let previous = last[order.symbol] { gap = min(gap, (order.ingressNanos - previous) / 20_000) }
                last[order.symbol] = order.ingressNanos
                orders += 1
            }
            return (gap, orders)
        }
        let free = try smallestGap(cooldown: 0)
        let cooled = try smallestGap(cooldown: 5)
        #expect(free.orders > 20 && free.gap < 6, "\(free)")
        #expect(cooled.orders > 20 && cooled.gap >= 6, "\(cooled)")
    }
}

@Suite struct FeatureAndRuleTests {
    @Test func featuresFollowTheirDefinitions() {
        var engine = FeatureEngine(symbols: 1)
        _ = engine.update(Tick(symbol: 0, price: 100, size: 1, bid: 99.95, ask: 100.05, exchangeTimeNanos: 1))
        let second = engine.update(Tick(symbol: 0, price: 101, size: 2, exchangeTimeNanos: 2))
        #expect(abs(second.logReturn - log(101.0 / 100.0)) < 1e-12)
        #expect(abs(second.volatility - abs(log(101.0 / 100.0))) < 1e-12)
        #expect(second.imbalance == 1)
        let first = FeatureEngine(symbols: 1)
        var copy = first
        let quoted = copy.update(Tick(symbol: 0, price: 100, size: 1, bid: 99.95, ask: 100.05, exchangeTimeNanos: 1))
        #expect(abs(quoted.spreadBps - 10) < 1e-9)
        #expect(copy.update(Tick(symbol: 5, price: 1, size: 1, exchangeTimeNanos: 1)) == FeatureVector())
    }

    @Test func decisionRuleScalesByRegimeAndHoldsWithHysteresis() {
        let rule = DecisionRule(buyThreshold: 0.55, sellThreshold: 0.45, minRegimeConfidence: 0.6, baseSize: 10,
                                regimeScale: [1, 0.5, 0], uncertainScale: 0.3)
        #expect(rule.target(probabilityUp: 0.6, regime: 0, current: 0) == 10)
        #expect(rule.target(probabilityUp: 0.6, regime: 1, current: 0) == 5)
        #expect(rule.target(probabilityUp: 0.6, regime: 2, current: 0) == 0)
        #expect(rule.target(probabilityUp: 0.4, regime: 0, current: 0) == -10)
        #expect(rule.target(probabilityUp: 0.6, regime: 0, confidence: 0.5, current: 0) == 3)
        #expect(rule.target(probabilityUp: 0.52, regime: 0, current: 10) == 10)
        #expect(rule.target(probabilityUp: 0.48, regime: 0, current: 10) == 0)
        #expect(rule.validationErrors().isEmpty)
        #expect(DecisionRule(buyThreshold: 0.4).validationErrors().first?.contains("decision.buy_threshold") == true)
    }
}
