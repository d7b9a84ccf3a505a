// Runtime benchmarks: time, mallocs and context switches per message for the
// rings and channels that carry ticks. Thresholds: zero mallocs per message.
import Benchmark
import Hardware
import Runtime
import Synchronization

struct Tick: Sendable {
    var symbol: Int32
    var price: Double
    var size: Double
    var stamp: UInt64
}

let zeroMallocs: [BenchmarkMetric: BenchmarkThresholds] = [
    .mallocCountTotal: .init(absolute: [.p0: 0, .p25: 0, .p50: 0, .p75: 0, .p90: 0, .p99: 0, .p100: 0]),
]

let benchmarks: @Sendable () -> Void = {
    let metrics: [BenchmarkMetric] = [.wallClock, .cpuTotal, .mallocCountTotal, .contextSwitches, .throughput]

    Benchmark("SPSCRing push+pop", configuration: .init(metrics: metrics, scalingFactor: .mega, thresholds: zeroMallocs)) { benchmark in
        guard let ring = try? SPSCRing<Tick>(capacity: 10_000) else { return }
        for index in benchmark.scaledIterations {
            _ = ring.push(Tick(symbol: 1, price: 100, size: 1, stamp: UInt64(index)))
            blackHole(ring.pop())
        }
    }

    Benchmark("MPMCRing push+pop", configuration: .init(metrics: metrics, scalingFactor: .mega, thresholds: zeroMallocs)) { benchmark in
        guard let ring = try? MPMCRing<Tick>(capacity: 10_000) else { return }
        for index in benchmark.scaledIterations {
            _ = ring.push(Tick(symbol: 1, price: 100, size: 1, stamp: UInt64(index)))
            blackHole(ring.pop())
        }
    }

    Benchmark("Channel send (dropOldest, full)", configuration: .init(metrics: metrics, scalingFactor: .mega, thresholds: zeroMallocs)) { benchmark in
        guard let channel = try? Channel<Tick>(.init(name: "ticks", capacity: 1024, overflow: .dropOldest)) else { return }
        for index in benchmark.scaledIterations {
            blackHole(channel.send(Tick(symbol: 1, price: 100, size: 1, stamp: UInt64(index))))
        }
    }

    // One producer thread (the benchmark) → a channel drained by a pinned executor
    // thread: mallocs and context switches per message across threads.
    Benchmark("Channel cross-thread to PinnedExecutor", configuration: .init(metrics: metrics, scalingFactor: .kilo, thresholds: zeroMallocs)) { benchmark in
        let cpus = Topology.current().cpuIDs
        guard let executor = try? PinnedExecutor(.init(name: "bench", core: cpus.last, idleStrategy: .spinThenPark)),
              let channel = try? Channel<Tick>(.init(name: "ticks", capacity: 10_000, overflow: .reject, producers: .single))
        else { return }
        let delivered = Atomic<Int>(0)
        channel.bind(to: executor) { _ in delivered.add(1, ordering: .relaxed) }
        benchmark.startMeasurement()
        var sent = 0
        for index in benchmark.scaledIterations {
            while !channel.send(Tick(symbol: 1, price: 100, size: 1, stamp: UInt64(index))).isAccepted {}
            sent += 1
        }
        while delivered.load(ordering: .relaxed) < sent {}
        benchmark.stopMeasurement()
        channel.close()
        executor.shutdown()
    }
}
