import ArgumentParser
import Foundation
import Latency
import Logging
import Market
import Protocols
import Runtime

/// `quantum-agent perf e2e`: drives the full pipeline at a fixed tick rate and
/// reports end-to-end latency (ingress stamp → order handed to the venue), the
/// per-stage breakdown, ticks/s and orders/s, and drops.
struct PerfE2ECommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "e2e",
        abstract: "End-to-end latency of the full pipeline at a fixed tick rate."
    )

    @Option(help: "Ticks per second over all symbols, or 'max'.")
    var rate: String = "100000"

    @Option(help: "Seconds per run (0.5...600).")
    var seconds: Double = 5

    @Option(help: "pinned (the agent's executors), default (Swift's default executor), or both.")
    var executor: String = "pinned"

    @Flag(help: "Print one JSON document.")
    var json = false

    func validate() throws {
        guard seconds.isFinite, seconds >= 0.5, seconds <= 600 else {
            throw ValidationError("--seconds \(seconds) is out of range: expected 0.5...600")
        }
        guard rate == "max" || (Double(rate).map { $0 > 0 && $0.isFinite } ?? false) else {
            throw ValidationError("--rate '\(rate)' is invalid: expected a positive number of ticks per second or 'max'")
        }
        guard ["pinned", "default", "both"].contains(executor) else {
            throw ValidationError("--executor '\(executor)' is invalid: expected pinned, default or both")
        }
    }

    func run() async throws {
        AgentLogging.bootstrap(level: .error)
        let ratePerSecond = rate == "max" ? nil : Double(rate)
        var runs: [E2ERun] = []
        if executor == "pinned" || executor == "both" { runs.append(try await runPinned(rate: ratePerSecond)) }
        if executor == "default" || executor == "both" { runs.append(try await runDefault(rate: ratePerSecond)) }
        if json {
            EvalExit.printJSON(E2EReport(runs: runs))
        } else {
            for run in runs { print(run.text) }
        }
    }

    private func configuration(journalPath: String) throws -> AgentConfiguration {
        var configuration = try RunCommand.loadConfiguration(path: nil)
        configuration.journal.path = journalPath
        return configuration
    }

    private func source(_ configuration: AgentConfiguration, rate: Double?) throws -> SyntheticMarket {
        try SyntheticMarket(.init(symbols: configuration.feeds.symbols, seed: UInt64(max(0, configuration.feeds.seed)),
                                  ratePerSecond: rate))
    }

    /// The agent as `run` builds it: every module live, the engine on its pinned executor.
    private func runPinned(rate: Double?) async throws -> E2ERun {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("qa-e2e-\(getpid())")
        try? FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let configuration = try configuration(journalPath: directory.appendingPathComponent("journal.sqlite").path)
        let agent = try await AgentAssembly.build(configuration: configuration, source: try source(configuration, rate: rate),
                                                  logger: Logger(label: "perf-e2e"))
        agent.startFeed()
        try? await Task.sleep(nanoseconds: UInt64(seconds * 1e9))
        _ = await agent.quiesce()
        _ = await agent.engine.actor.status()
        let metrics = agent.engine.actor.metrics.snapshot()
        let stats = agent.system.stats()
        agent.stop()
        let dropped = stats.reduce(0) { $0 + $1.mailbox.dropped } + agent.feed.stats.sinkRefused
        return E2ERun(executor: "pinned", rate: rate, seconds: seconds, metrics: metrics, dropped: dropped)
    }

    /// The same hot path on Swift's default executor: ticks through an AsyncStream into a default actor.
    private func runDefault(rate: Double?) async throws -> E2ERun {
        let configuration = try configuration(journalPath: "")
        let market = try source(configuration, rate: rate)
        let core = try AgentAssembly.makeCore(configuration: configuration, symbols: SymbolTable(configuration.feeds.symbols),
                                              outputs: PipelineOutputs())
        let engine = DefaultExecutorEngine(core: core)
        let (stream, continuation) = AsyncStream.makeStream(of: Tick.self, bufferingPolicy: .bufferingNewest(configuration.modules.ultraLatency.maxQueueSize))
        let feed = FeedDriver(source: market, symbols: SymbolTable(configuration.feeds.symbols))
        let consumer = Task { await engine.consume(stream) }
        feed.start { tick in
            if case .enqueued = continuation.yield(tick) { return true }
            return false
        }
        try? await Task.sleep(nanoseconds: UInt64(seconds * 1e9))
        feed.stop()
        continuation.finish()
        await consumer.value
        let metrics = await engine.finish()
        return E2ERun(executor: "default", rate: rate, seconds: seconds, metrics: metrics, dropped: feed.stats.sinkRefused)
    }
}

/// The pipeline core on Swift's default executor (the comparison baseline).
actor DefaultExecutorEngine {
    private var core: PipelineCore
    private let clock = MonotonicClock()
    init(core: PipelineCore) { self.core = core }

    func consume(_ stream: AsyncStream<Tick>) async {
        for await tick in stream { core.process(tick, clock: clock) }
    }

    func finish() -> PipelineMetrics.Snapshot {
        core.metrics.publish()
        return core.metrics.snapshot()
    }
}

/// One run of `perf e2e`.
struct E2ERun: Encodable {
    struct Percentiles: Encodable {
        var p50_ns: UInt64
        var p99_ns: UInt64
        var p999_ns: UInt64?
        var max_ns: UInt64?
    }

    var executor: String
    var rate: String
    var e2e: Percentiles
    var tick: Percentiles
    var stages: [String: Percentiles]
    var ticks_per_s: Double
    var orders_per_s: Double
    var orders: UInt64
    var deadline_misses: UInt64
    var dropped: Int

    init(executor: String, rate: Double?, seconds: Double, metrics: PipelineMetrics.Snapshot, dropped: Int) {
        self.executor = executor
        self.rate = rate.map { String(format: "%.0f", $0) } ?? "max"
        e2e = Percentiles(p50_ns: metrics.endToEnd.p50, p99_ns: metrics.endToEnd.p99, p999_ns: metrics.endToEnd.p999, max_ns: metrics.endToEnd.max)
        tick = Percentiles(p50_ns: metrics.tick.p50, p99_ns: metrics.tick.p99, p999_ns: metrics.tick.p999, max_ns: metrics.tick.max)
        stages = metrics.stages.mapValues { Percentiles(p50_ns: $0.p50, p99_ns: $0.p99, p999_ns: nil, max_ns: nil) }
        ticks_per_s = (Double(metrics.ticks) / seconds).rounded()
        orders_per_s = (Double(metrics.orders) / seconds).rounded()
        orders = metrics.orders
        deadline_misses = metrics.deadlineMisses
        self.dropped = dropped
    }

    var text: String {
        func us(_ n: UInt64?) -> String { String(format: "%.1f", Double(n ?? 0) / 1000) }
        var lines = ["\(executor) @ \(rate) ticks/s: ticks/s \(Int(ticks_per_s)), orders/s \(Int(orders_per_s)), dropped \(dropped)",
                     "  e2e µs: p50 \(us(e2e.p50_ns)) p99 \(us(e2e.p99_ns)) p99.9 \(us(e2e.p999_ns)) max \(us(e2e.max_ns))",
                     "  tick µs: p50 \(us(tick.p50_ns)) p99 \(us(tick.p99_ns)) p99.9 \(us(tick.p999_ns))"]
        for stage in PipelineStage.allCases {
            if let value = stages[stage.description] { lines.append("  \(stage): p50 \(value.p50_ns) ns, p99 \(value.p99_ns) ns") }
        }
        return lines.joined(separator: "\n")
    }
}

/// The document `perf e2e --json` prints.
struct E2EReport: Encodable {
    var benchmark = "e2e"
    var runs: [E2ERun]
}
