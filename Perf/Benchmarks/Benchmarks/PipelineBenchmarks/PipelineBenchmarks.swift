// Pipeline (hot path) benchmarks: time and mallocs per tick through PipelineCore —
// features, regime lookup, prediction by the production model (the ensemble with
// its adaptive random forest, compiled for inference), decision, pre-trade risk and
// the paper venue — plus prediction alone.
//
// Limits: zero mallocs per iteration (each iteration is `scaledIterations` ticks,
// 10^3), as the issue asks ("zero allocations per tick on the hot path"). Setup —
// training the model, building the core — runs before `startMeasurement()`.
import Benchmark
import Execution
import Latency
import Learning
import Market
import Protocols
import Risk
import Runtime
import Synchronization

/// Zero tolerance: any malloc in a measured iteration is a regression.
var zeroMallocs: [BenchmarkMetric: BenchmarkThresholds] {
    [.mallocCountTotal: .init(absolute: [.p0: 0, .p25: 0, .p50: 0, .p75: 0, .p90: 0, .p99: 0, .p100: 0])]
}

func perTick() -> Benchmark.Configuration {
    .init(metrics: [.wallClock, .mallocCountTotal, .throughput], scalingFactor: .kilo, maxDuration: .seconds(3),
          maxIterations: 500, thresholds: zeroMallocs)
}

/// The production model trained on the synthetic market, and a generator positioned after it.
func trainedModel(symbols: SymbolTable) throws -> (ModelManager, SyntheticMarket.Generator) {
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
    return (manager, generator)
}

let benchmarks: @Sendable () -> Void = {
    Benchmark("PipelineCore tick (features → predict → decide → risk → paper venue)", configuration: perTick()) { benchmark in
        let symbols = SymbolTable(["BTC-USD", "ETH-USD", "SPY", "EURUSD"])
        let journalled = Atomic<Int>(0)
        let outputs = PipelineOutputs(journal: { _ in journalled.add(1, ordering: .relaxed) })
        let rule = DecisionRule(buyThreshold: 0.501, sellThreshold: 0.499, baseSize: 5, regimeScale: [1, 1, 1], uncertainScale: 1)
        guard let risk = try? PreTradeRisk(limits: RiskLimits(priceCollarBps: 500, orderRateLimit: 1e9)),
              let venue = try? PaperVenue(configuration: .init(seed: 3, symbols: symbols.count)),
              let trained = try? trainedModel(symbols: symbols) else { return benchmark.error("setup") }
        let (manager, start) = trained
        var core = PipelineCore(configuration: .init(symbols: symbols, rule: rule), risk: risk, venue: venue,
                                initialEquity: 1_000_000, outputs: outputs)
        core.setPredictor(manager)
        var generator = start
        let clock = VirtualClock(start: 1_000)
        var index = 0
        func step() {
            let raw = generator.next()
            clock.advance(by: 10_000)
            core.process(Tick(symbol: Int32(index & 3), price: raw.price, size: raw.size, bid: raw.bid, ask: raw.ask,
                              exchangeTimeNanos: raw.timeNanos, ingressNanos: clock.now(), sequence: UInt64(index)), clock: clock)
            index &+= 1
        }
        // Warm-up outside the measurement: the first orders and fills of a fresh core size its
        // books and windows once (5 mallocs in the first 1,000 ticks); the steady state is measured.
        for _ in 0..<2_000 { step() }
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations { step() }
        benchmark.stopMeasurement()
        blackHole(journalled.load(ordering: .relaxed))
    }

    Benchmark("InferenceModel predict (ensemble: GD + SVM + ARF)", configuration: perTick()) { benchmark in
        let symbols = SymbolTable(["A", "B", "C", "D"])
        guard let manager = (try? trainedModel(symbols: symbols))?.0 else { return benchmark.error("setup") }
        let model = InferenceModel(manager)
        var x = [0.001, 0.002, 0.5, -0.3, 1.5, 0.1]
        // A constant array literal is a static, immutable buffer: the first write copies it
        // (one malloc). Do that write before measuring.
        x[0] = 0
        var sum = 0.0
        benchmark.startMeasurement()
        for index in benchmark.scaledIterations {
            x[0] = Double(index & 63) * 1e-4 - 3e-3
            sum += model.predictProbability(x)
        }
        benchmark.stopMeasurement()
        blackHole(sum)
    }

    Benchmark("ModelManager predict (the learner's own model, for comparison)",
              configuration: .init(metrics: [.wallClock, .mallocCountTotal, .throughput], scalingFactor: .kilo,
                                   maxDuration: .seconds(3), maxIterations: 500)) { benchmark in
        let symbols = SymbolTable(["A", "B", "C", "D"])
        guard let manager = (try? trainedModel(symbols: symbols))?.0 else { return benchmark.error("setup") }
        var x = [0.001, 0.002, 0.5, -0.3, 1.5, 0.1]
        // A constant array literal is a static, immutable buffer: the first write copies it
        // (one malloc). Do that write before measuring.
        x[0] = 0
        var sum = 0.0
        benchmark.startMeasurement()
        for index in benchmark.scaledIterations {
            x[0] = Double(index & 63) * 1e-4 - 3e-3
            sum += manager.predict(x).probability
        }
        benchmark.stopMeasurement()
        blackHole(sum)
    }
}
