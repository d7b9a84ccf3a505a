// Runtime benchmarks: time, mallocs and context switches per message for the
// rings, channels and executors that carry ticks.
//
// Limits: every benchmark that moves a message through a ring, a channel or an
// actor hop has a static threshold of zero mallocs (Thresholds/RuntimeBenchmarks.
// <name>.p90.json, checked by `make bench`) and a zero-tolerance threshold here.
// Each iteration moves `scaledIterations` messages (10^6 on one thread, 10^3
// across threads), so a zero at the p90 means no malloc in that many messages.
// Setup (rings, executor threads) runs before `startMeasurement()`.
//
// Context switches: package-benchmark's own metric is macOS-only, and its OS
// statistics allocate while they are read (16 mallocs per iteration, which
// would hide the zero), so the cross-thread benchmarks record the process's
// voluntary + involuntary context switches (getrusage, no allocation) as a
// custom metric.
import Benchmark
import Glibc
import Hardware
import Runtime
import Synchronization

struct Tick: Sendable {
    var symbol: Int32
    var price: Double
    var size: Double
    var stamp: UInt64
}

/// Zero tolerance: any malloc in a measured iteration is a regression.
var zeroMallocs: [BenchmarkMetric: BenchmarkThresholds] {
    [.mallocCountTotal: .init(absolute: [.p0: 0, .p25: 0, .p50: 0, .p75: 0, .p90: 0, .p99: 0, .p100: 0])]
}

/// Voluntary + involuntary context switches of the whole process (all threads).
let contextSwitches = BenchmarkMetric.custom("Context switches (process)")

func processContextSwitches() -> Int {
    var usage = rusage()
    guard getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage) == 0 else { return 0 }
    return usage.ru_nvcsw + usage.ru_nivcsw
}

func oneThread() -> Benchmark.Configuration {
    .init(metrics: [.wallClock, .mallocCountTotal, .throughput], scalingFactor: .mega, maxDuration: .seconds(2),
          maxIterations: 50, thresholds: zeroMallocs)
}

func crossThread(mallocThreshold: Bool = true) -> Benchmark.Configuration {
    .init(metrics: [.wallClock, .mallocCountTotal, .throughput, contextSwitches], scalingFactor: .kilo,
          maxDuration: .seconds(2), maxIterations: 200, thresholds: mallocThreshold ? zeroMallocs : nil)
}

/// The CPU for a receiving executor: the last one, so the benchmark thread (unpinned) can use the others.
let receiverCPU = Topology.current().cpuIDs.last

/// The other side of an actor hop: answers on its own pinned executor.
actor PingTarget {
    nonisolated let executor: PinnedExecutor
    nonisolated var unownedExecutor: UnownedSerialExecutor { executor.asUnownedSerialExecutor() }
    var calls = 0
    init(executor: PinnedExecutor) { self.executor = executor }
    func ping(_ value: Int) -> Int {
        calls &+= 1
        return value &+ 1
    }
}

/// The calling side of an actor hop, on another pinned executor.
actor PingDriver {
    nonisolated let executor: PinnedExecutor
    nonisolated var unownedExecutor: UnownedSerialExecutor { executor.asUnownedSerialExecutor() }
    /// Actor state touched after every answer: without it the optimizer drops the
    /// hop back between two calls to the target, and the loop runs on the
    /// target's thread (1,000 "round trips" in ~40 µs, none of them a hop).
    var answers = 0
    init(executor: PinnedExecutor) { self.executor = executor }
    func drive(_ target: PingTarget, times: Int) async -> Int {
        for _ in 0..<times { answers = await target.ping(answers) }
        return answers
    }
}

let benchmarks: @Sendable () -> Void = {
    Benchmark("SPSCRing push+pop", configuration: oneThread()) { benchmark in
        guard let ring = try? SPSCRing<Tick>(capacity: 10_000) else { return benchmark.error("ring") }
        benchmark.startMeasurement()
        for index in benchmark.scaledIterations {
            _ = ring.push(Tick(symbol: 1, price: 100, size: 1, stamp: UInt64(index)))
            blackHole(ring.pop())
        }
        benchmark.stopMeasurement()
    }

    Benchmark("MPSCRing push+pop", configuration: oneThread()) { benchmark in
        guard let ring = try? MPSCRing<Tick>(capacity: 10_000) else { return benchmark.error("ring") }
        benchmark.startMeasurement()
        for index in benchmark.scaledIterations {
            _ = ring.push(Tick(symbol: 1, price: 100, size: 1, stamp: UInt64(index)))
            blackHole(ring.pop())
        }
        benchmark.stopMeasurement()
    }

    Benchmark("MPMCRing push+pop", configuration: oneThread()) { benchmark in
        guard let ring = try? MPMCRing<Tick>(capacity: 10_000) else { return benchmark.error("ring") }
        benchmark.startMeasurement()
        for index in benchmark.scaledIterations {
            _ = ring.push(Tick(symbol: 1, price: 100, size: 1, stamp: UInt64(index)))
            blackHole(ring.pop())
        }
        benchmark.stopMeasurement()
    }

    // Send, then drain to the bound handler in batches of 64, on one thread: the
    // whole per-message path of a mailbox without the cache-line transfer.
    for producers in [ProducerMode.single, .multiple] {
        Benchmark(producers == .single ? "Channel send+drain (single producer)" : "Channel send+drain (multiple producers)", configuration: oneThread()) { benchmark in
            let executor = DeterministicExecutor()
            guard let channel = try? Channel<Tick>(.init(name: "ticks", capacity: 1024, overflow: .reject, producers: producers))
            else { return benchmark.error("channel") }
            var sum: UInt64 = 0
            channel.attach(to: executor) { tick in
                sum &+= tick.stamp
                return true
            }
            benchmark.startMeasurement()
            for index in benchmark.scaledIterations {
                channel.send(Tick(symbol: 1, price: 100, size: 1, stamp: UInt64(index)))
                if index & 63 == 63 { _ = channel.drain(budget: 64) }
            }
            _ = channel.drain(budget: 64)
            benchmark.stopMeasurement()
            blackHole(sum)
        }
    }

    Benchmark("Channel send (dropOldest, full)", configuration: oneThread()) { benchmark in
        guard let channel = try? Channel<Tick>(.init(name: "ticks", capacity: 1024, overflow: .dropOldest))
        else { return benchmark.error("channel") }
        for index in 0..<1024 { channel.send(Tick(symbol: 1, price: 100, size: 1, stamp: UInt64(index))) }
        benchmark.startMeasurement()
        for index in benchmark.scaledIterations {
            blackHole(channel.send(Tick(symbol: 1, price: 100, size: 1, stamp: UInt64(index))))
        }
        benchmark.stopMeasurement()
    }

    // One producer thread (the benchmark's) → a channel drained by a pinned
    // executor thread: mallocs and context switches per message across threads.
    // spinThenPark: the producer is unpinned and may share the executor's CPU.
    Benchmark("Channel cross-thread to PinnedExecutor", configuration: crossThread()) { benchmark in
        guard let executor = try? PinnedExecutor(.init(name: "bench", core: receiverCPU, idleStrategy: .spinThenPark)),
              let channel = try? Channel<Tick>(.init(name: "ticks", capacity: 10_000, overflow: .reject, producers: .single))
        else { return benchmark.error("executor or channel") }
        let delivered = Atomic<Int>(0)
        channel.bind(to: executor) { _ in delivered.add(1, ordering: .relaxed) }
        // Warm-up outside the measurement: the executor thread's first wake-up and first
        // delivery make one-time allocations (thread-local state, metadata caches) that a
        // fresh executor per iteration would otherwise count against the messages.
        var sent = 0
        for index in 0..<100 {
            while !channel.send(Tick(symbol: 1, price: 100, size: 1, stamp: UInt64(index))).isAccepted {}
            sent += 1
        }
        while delivered.load(ordering: .relaxed) < sent {}
        let switches = processContextSwitches()
        benchmark.startMeasurement()
        for index in benchmark.scaledIterations {
            while !channel.send(Tick(symbol: 1, price: 100, size: 1, stamp: UInt64(index))).isAccepted {}
            sent += 1
        }
        while delivered.load(ordering: .relaxed) < sent {}
        benchmark.stopMeasurement()
        benchmark.measurement(contextSwitches, processContextSwitches() - switches)
        channel.close()
        executor.shutdown()
    }

    // `await` round trips between actors on two pinned executors: what a call
    // across executors costs in mallocs and context switches. No malloc
    // threshold: the hops themselves allocate nothing (the runtime takes frames
    // from the task's allocator), but the benchmark task's call into the driver
    // costs ~2 mallocs per iteration of 1,000 round trips at the p90.
    Benchmark("Actor await round trip across PinnedExecutors", configuration: crossThread(mallocThreshold: false)) { benchmark in
        let cpus = Topology.current().cpuIDs
        guard let first = try? PinnedExecutor(.init(name: "driver", core: cpus.first, idleStrategy: .spinThenPark)),
              let second = try? PinnedExecutor(.init(name: "target", core: cpus.last, idleStrategy: .spinThenPark))
        else { return benchmark.error("executors") }
        let driver = PingDriver(executor: first)
        let target = PingTarget(executor: second)
        _ = await driver.drive(target, times: 1)
        let switches = processContextSwitches()
        benchmark.startMeasurement()
        blackHole(await driver.drive(target, times: benchmark.scaledIterations.count))
        benchmark.stopMeasurement()
        benchmark.measurement(contextSwitches, processContextSwitches() - switches)
        first.shutdown()
        second.shutdown()
    }
}
