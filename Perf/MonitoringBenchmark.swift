import CLinuxShim
import Foundation
import Hardware
import Monitoring
import Runtime
import Synchronization

/// `quantum-agent perf monitor`: what recording costs on the monitoring core, and how many
/// sampled taps per second the `ModelMonitor` actor keeps up with.
///
/// - Record: `MonitorCore.record` in batches of `batch` taps, p50 of ns per tap over
///   `repeats` batches, per tap kind (`tick` alone and `tick+clock` with the clock read the
///   actor shell adds).
/// - Throughput: a producer thread sends a tap mix (5 ticks, 1 prediction, 1 feature,
///   1 latency in every 8) into the monitor's `dropOldest` mailbox, the monitor running on
///   a pinned executor: once as fast as it can (`max`), once paced at `targetRate` (`paced`);
///   each reports taps offered, processed and dropped.
public struct MonitoringBenchmark: Sendable {
    public var batch: Int
    public var repeats: Int
    public var seconds: Double
    public var targetRate: Double

    public init(batch: Int = 1_000_000, repeats: Int = 15, seconds: Double = 2, targetRate: Double = 1_000_000) {
        self.batch = batch
        self.repeats = repeats
        self.seconds = seconds
        self.targetRate = targetRate
    }

    /// Runs both parts.
    /// - Throws: `MonitoringError` / `RuntimeError` / `HardwareError` when the monitor cannot be built.
    public func run() async throws -> MonitoringBenchmarkReport {
        let record = try recordCosts()
        let topology = Topology.current()
        let drain = try await drainRate()
        let maxRun = try await throughput(topology: topology, paced: false)
        let pacedRun = try await throughput(topology: topology, paced: true)
        return MonitoringBenchmarkReport(
            batch: batch, repeats: repeats, recordNanosecondsP50: record,
            drainTapsPerSecond: drain, max: maxRun, paced: pacedRun, targetRecordNanoseconds: 200,
            targetTapsPerSecond: targetRate)
    }

    static func configuration() -> ModelMonitorConfiguration {
        ModelMonitorConfiguration(models: ["bench"], symbols: (0..<64).map { "S\($0)" }, features: ["f0", "f1"])
    }

    static func taps(count: Int) -> [MonitorTap] {
        (0..<count).map { i in
            switch i % 8 {
            case 5: return .prediction(PredictionSample(model: 0, probability: Double(i % 100) / 100, label: i % 3 == 0))
            case 6: return .feature(FeatureSample(feature: i % 2, value: Double(i % 97)))
            case 7: return .latency(LatencySample(stage: .endToEnd, nanoseconds: UInt64(10_000 + i % 5_000)))
            default:
                return .tick(TickSample(symbol: i % 64, sequence: UInt64(i), timestampNanoseconds: UInt64(i),
                                        price: 100 + Double(i % 10), size: 1))
            }
        }
    }

    /// p50 ns per `record` by tap kind.
    func recordCosts() throws -> [String: Double] {
        var core = try MonitorCore(configuration: Self.configuration(), now: 0)
        let ring = 4096
        let ticks = (0..<ring).map { i in
            TickSample(symbol: i % 64, sequence: UInt64(i), timestampNanoseconds: UInt64(i), price: 100 + Double(i % 10), size: 1)
        }
        var sequence: UInt64 = 0
        let kinds: [(String, (inout MonitorCore, Int) -> Void)] = [
            ("tick", { core, i in
                var t = ticks[i & (ring - 1)]
                sequence &+= 1
                t.sequence = sequence
                core.record(.tick(t), now: sequence)
            }),
            ("tick+clock", { core, i in
                var t = ticks[i & (ring - 1)]
                sequence &+= 1
                t.sequence = sequence
                core.record(.tick(t), now: qa_monotonic_ns())
            }),
            ("prediction", { core, i in
                core.record(.prediction(PredictionSample(model: 0, probability: Double(i & 127) / 128, label: i & 1 == 0)), now: 0)
            }),
            ("feature", { core, i in core.record(.feature(FeatureSample(feature: i & 1, value: Double(i & 255))), now: 0) }),
            ("latency", { core, i in
                core.record(.latency(LatencySample(stage: .endToEnd, nanoseconds: UInt64(10_000 + (i & 4095)))), now: 0)
            }),
            ("decision", { core, i in core.record(.decision(DecisionSample(model: 0, symbol: i & 63, pnl: Double(i & 7) - 3)), now: 0) }),
        ]
        var result: [String: Double] = [:]
        for (name, body) in kinds {
            var perBatch: [Double] = []
            for _ in 0..<repeats {
                let start = qa_monotonic_ns()
                for i in 0..<batch { body(&core, i) }
                perBatch.append(Double(qa_monotonic_ns() - start) / Double(batch))
            }
            perBatch.sort()
            result[name] = perBatch[perBatch.count / 2]
        }
        // Keep the work observable.
        if core.rejectedTaps < 0 { result["unreachable"] = 0 }
        return result
    }

    /// The monitor's own capacity, free of cross-core effects: 1M taps are queued in its
    /// mailbox, then one thread delivers them all (deterministic executor, real clock);
    /// taps per second of that delivery (median of 5).
    func drainRate() async throws -> Double {
        let plan = try CorePlan.make([.init(name: "monitor", latencyClass: .background)], topology: Topology.current())
        let system = try ActorSystem(plan: plan, configuration: .init(deterministic: true), clock: MonotonicClock())
        defer { system.stop() }
        let core = try MonitorCore(configuration: Self.configuration(), now: system.clock.now())
        let spawning = Task { try await system.spawn("monitor", mailbox: ModelMonitor.mailbox(capacity: 1 << 20)) {
            ModelMonitor(executor: $0, core: core)
        } }
        while system.runUntilIdle() == 0 { await Task.yield() }
        let monitor = try await spawning.value
        let taps = Self.taps(count: 8192)
        var rates: [Double] = []
        for _ in 0..<5 {
            let count = 1 << 20 - 1024
            for i in 0..<count { monitor.send(taps[i & 8191]) }
            let start = qa_monotonic_ns()
            let delivered = system.runUntilIdle()
            rates.append(Double(delivered) / (Double(qa_monotonic_ns() - start) / 1e9))
        }
        rates.sort()
        return rates[rates.count / 2]
    }

    /// One throughput run against a real monitor actor on a pinned executor.
    func throughput(topology: Topology, paced: Bool) async throws -> ThroughputRun {
        let plan = try CorePlan.make([.init(name: "monitor", latencyClass: .critical, idleStrategy: .spinThenPark)],
                                     topology: topology)
        let system = try ActorSystem(plan: plan, configuration: .init(pinThreads: true))
        defer { system.stop() }
        let core = try MonitorCore(configuration: Self.configuration(), now: system.clock.now())
        let monitor = try await system.spawn("monitor", mailbox: ModelMonitor.mailbox(capacity: 65_536)) {
            ModelMonitor(executor: $0, core: core)
        }
        let executorCPU = plan.executor(for: "monitor")?.core
        let producerCPU = topology.cpuIDs.last { $0 != executorCPU } ?? topology.cpuIDs.first
        let taps = Self.taps(count: 8192)
        let duration = UInt64(seconds * 1e9)
        let interval = paced ? 1e9 / targetRate : 0
        let offered = Mutex<(sent: Int, elapsed: UInt64)>((0, 0))
        let producer = PerfThread(name: "monitor-producer", core: producerCPU) {
            let start = qa_monotonic_ns()
            var sent = 0
            var now = start
            while now - start < duration {
                for k in 0..<1024 { monitor.send(taps[(sent + k) & 8191]) }
                sent += 1024
                now = qa_monotonic_ns()
                if paced {
                    let due = start + UInt64(Double(sent) * interval)
                    while now < due { qa_cpu_relax(); now = qa_monotonic_ns() }
                }
            }
            offered.withLock { $0 = (sent, now - start) }
        }
        producer.join()
        _ = system.drain(timeoutNanos: 10_000_000_000)
        let stats = monitor.stats()
        let (sent, elapsed) = offered.withLock { $0 }
        return ThroughputRun(paced: paced, seconds: Double(elapsed) / 1e9, offered: sent,
                             offeredPerSecond: Double(sent) / (Double(elapsed) / 1e9),
                             processed: Int(stats.processed),
                             processedPerSecond: Double(stats.processed) / (Double(elapsed) / 1e9),
                             dropped: stats.mailbox.dropped, highWater: stats.mailbox.highWater,
                             executorCPU: executorCPU, producerCPU: producerCPU)
    }
}

/// One throughput run.
public struct ThroughputRun: Sendable, Codable {
    public var paced: Bool
    /// Producer run time, s.
    public var seconds: Double
    public var offered: Int
    public var offeredPerSecond: Double
    /// Taps the monitor handled (all of them once drained, unless dropped).
    public var processed: Int
    /// processed / producer run time.
    public var processedPerSecond: Double
    /// Taps evicted by the dropOldest mailbox.
    public var dropped: Int
    public var highWater: Int
    public var executorCPU: Int?
    public var producerCPU: Int?
}

/// The JSON document of `quantum-agent perf monitor --json`.
public struct MonitoringBenchmarkReport: Sendable, Codable {
    public var batch: Int
    public var repeats: Int
    /// p50 ns per `MonitorCore.record`, by tap kind.
    public var recordNanosecondsP50: [String: Double]
    /// Taps/s one thread delivers to the monitor from a full mailbox (its capacity on one core).
    public var drainTapsPerSecond: Double
    public var max: ThroughputRun
    public var paced: ThroughputRun
    public var targetRecordNanoseconds: Double
    public var targetTapsPerSecond: Double

    /// Tick recording within its budget (core only, as the issue states it).
    public var meetsRecordTarget: Bool { (recordNanosecondsP50["tick"] ?? .infinity) <= targetRecordNanoseconds }
    /// The paced run kept up: nothing dropped and every tap processed.
    public var meetsThroughputTarget: Bool {
        paced.dropped == 0 && paced.processed == paced.offered && paced.offeredPerSecond >= 0.99 * targetTapsPerSecond
    }

    enum CodingKeys: String, CodingKey {
        case batch, repeats, recordNanosecondsP50, drainTapsPerSecond, max, paced, targetRecordNanoseconds, targetTapsPerSecond
        case meetsRecordTarget, meetsThroughputTarget
    }

    public init(batch: Int, repeats: Int, recordNanosecondsP50: [String: Double], drainTapsPerSecond: Double, max: ThroughputRun,
                paced: ThroughputRun, targetRecordNanoseconds: Double, targetTapsPerSecond: Double) {
        self.batch = batch
        self.repeats = repeats
        self.recordNanosecondsP50 = recordNanosecondsP50
        self.drainTapsPerSecond = drainTapsPerSecond
        self.max = max
        self.paced = paced
        self.targetRecordNanoseconds = targetRecordNanoseconds
        self.targetTapsPerSecond = targetTapsPerSecond
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(batch: try c.decode(Int.self, forKey: .batch), repeats: try c.decode(Int.self, forKey: .repeats),
                  recordNanosecondsP50: try c.decode([String: Double].self, forKey: .recordNanosecondsP50),
                  drainTapsPerSecond: try c.decode(Double.self, forKey: .drainTapsPerSecond),
                  max: try c.decode(ThroughputRun.self, forKey: .max), paced: try c.decode(ThroughputRun.self, forKey: .paced),
                  targetRecordNanoseconds: try c.decode(Double.self, forKey: .targetRecordNanoseconds),
                  targetTapsPerSecond: try c.decode(Double.self, forKey: .targetTapsPerSecond))
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(batch, forKey: .batch)
        try c.encode(repeats, forKey: .repeats)
        try c.encode(recordNanosecondsP50, forKey: .recordNanosecondsP50)
        try c.encode(drainTapsPerSecond, forKey: .drainTapsPerSecond)
        try c.encode(max, forKey: .max)
        try c.encode(paced, forKey: .paced)
        try c.encode(targetRecordNanoseconds, forKey: .targetRecordNanoseconds)
        try c.encode(targetTapsPerSecond, forKey: .targetTapsPerSecond)
        try c.encode(meetsRecordTarget, forKey: .meetsRecordTarget)
        try c.encode(meetsThroughputTarget, forKey: .meetsThroughputTarget)
    }
}
