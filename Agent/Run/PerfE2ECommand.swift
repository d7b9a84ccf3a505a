import ArgumentParser
import Foundation
import Hardware
import Journal
import Latency
import Logging
import Market
import Protocols
import Runtime

/// `quantum-agent perf e2e`: drives the full pipeline at a fixed tick rate and
/// reports end-to-end latency (ingress stamp → order handed to the venue), the
/// per-stage breakdown, ticks/s and orders/s, drops and conflated ticks.
///
/// `pinned` is the agent as `run` builds it. `default` is the same pipeline — same
/// configuration, same live regime and learning actors publishing to the engine,
/// same journal — with only the engine moved: a default actor on Swift's global
/// executor fed through an AsyncStream, so `both` compares the executors like for like.
/// `floor` is the agent as `pinned` builds it with the pipeline taken out: the same feed
/// polled at the same pace on the same pinned, spinning engine thread, each tick only
/// timed — the latency this machine adds to a pipeline that does no work, and so the
/// lowest the pinned run can reach here. `all` runs floor, pinned and default.
struct PerfE2ECommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "e2e",
        abstract: "End-to-end latency of the full pipeline at a fixed tick rate."
    )

    @Option(help: "Ticks per second over all symbols, or 'max'.")
    var rate: String = "100000"

    @Option(help: "Seconds per run (0.5...600).")
    var seconds: Double = 5

    @Option(help: "pinned (the agent's executors), default (Swift's default executor), both, floor (the pinned agent's feed and engine thread with no pipeline: the machine's own latency), or all (floor, pinned, default).")
    var executor: String = "pinned"

    @Flag(help: "Print one JSON document.")
    var json = false

    @Option(help: "Write an SVG chart of the latency percentiles of each run to this file.")
    var plot: String?

    // `.unconditional`: the value may be negative (`--critical-nice -5`), which the default
    // parsing would take for a flag.
    @Option(parsing: .unconditional,
            help: "Nice value of the critical (engine) executor thread, -20...19 (below the process's own needs CAP_SYS_NICE); default: the process's. Normal executors run 10 above the process, background ones 15 above.")
    var criticalNice: Int32?

    func validate() throws {
        guard seconds.isFinite, seconds >= 0.5, seconds <= 600 else {
            throw ValidationError("--seconds \(seconds) is out of range: expected 0.5...600")
        }
        guard rate == "max" || (Double(rate).map { $0 > 0 && $0.isFinite } ?? false) else {
            throw ValidationError("--rate '\(rate)' is invalid: expected a positive number of ticks per second or 'max'")
        }
        guard ["pinned", "default", "both", "floor", "all"].contains(executor) else {
            throw ValidationError("--executor '\(executor)' is invalid: expected pinned, default, both, floor or all")
        }
        if let plot, plot.isEmpty { throw ValidationError("--plot needs a file name, e.g. --plot e2e.svg") }
        if let criticalNice, !(-20...19).contains(criticalNice) {
            throw ValidationError("--critical-nice \(criticalNice) is out of range: expected -20...19")
        }
    }

    func run() async throws {
        AgentLogging.bootstrap(level: .error)
        let ratePerSecond = rate == "max" ? nil : Double(rate)
        var runs: [E2ERun] = []
        if executor == "floor" || executor == "all" { runs.append(try await runFloor(rate: ratePerSecond)) }
        if ["pinned", "both", "all"].contains(executor) { runs.append(try await runPinned(rate: ratePerSecond)) }
        if ["default", "both", "all"].contains(executor) { runs.append(try await runDefault(rate: ratePerSecond)) }
        if let plot { try Self.writePlot(runs, to: plot) }
        if json {
            EvalExit.printJSON(E2EReport(runs: runs))
        } else {
            for run in runs { print(run.text) }
            if let plot { print("plot: \(plot)") }
        }
    }

    /// Writes the percentile chart of `runs`.
    /// - Throws: `ValidationError` naming the file when it cannot be written.
    static func writePlot(_ runs: [E2ERun], to path: String) throws {
        do {
            try E2ERun.chart(runs).svg.write(toFile: path, atomically: true, encoding: .utf8)
        } catch {
            throw ValidationError("--plot \(path): cannot write the chart: \(error.localizedDescription)")
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

    private static func scratchDirectory(_ name: String) -> URL {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("qa-e2e-\(name)-\(getpid())")
        try? FileManager.default.removeItem(at: directory)
        try? FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        return directory
    }

    /// The agent as `run` builds it, its journal in `directory`; the feed not started.
    private func buildAgent(rate: Double?, directory: URL) async throws -> AgentAssembly {
        let configuration = try configuration(journalPath: directory.appendingPathComponent("journal.sqlite").path)
        return try await AgentAssembly.build(configuration: configuration, source: try source(configuration, rate: rate),
                                             priorities: ThreadPriorities.relativeToProcess(critical: criticalNice),
                                             logger: Logger(label: "perf-e2e"))
    }

    /// The agent as `run` builds it: every module live, the engine on its pinned executor.
    private func runPinned(rate: Double?) async throws -> E2ERun {
        let directory = Self.scratchDirectory("pinned")
        defer { try? FileManager.default.removeItem(at: directory) }
        let agent = try await buildAgent(rate: rate, directory: directory)
        agent.startFeed()
        try? await Task.sleep(nanoseconds: UInt64(seconds * 1e9))
        _ = await agent.quiesce()
        _ = await agent.engine.actor.status()
        let metrics = agent.engine.actor.metrics.snapshot()
        let stats = agent.system.stats()
        agent.stop()
        let engine = stats.filter { $0.name == AgentAssembly.ActorName.engine }
        let modules = stats.filter { $0.name != AgentAssembly.ActorName.engine }
        let dropped = engine.reduce(0) { $0 + $1.mailbox.dropped + $1.mailbox.rejected } + agent.feed.stats.sinkRefused
        return E2ERun(executor: "pinned", rate: rate, seconds: seconds, metrics: metrics, dropped: dropped,
                      moduleDropped: modules.reduce(0) { $0 + $1.mailbox.dropped }, offered: agent.feed.stats.accepted)
    }

    /// The machine's floor: the agent built as in `runPinned` (same plan, pinning, CPU
    /// reservation, wake-latency hold, thread priorities), its feed polled on the engine's
    /// thread at the same pace, but each tick only timed from the moment it was due to the
    /// moment the thread took it up. Whatever that costs (the feed's own work, the executor's
    /// loop, the CPU taken by the kernel or the hypervisor) is in every pipeline run too.
    private func runFloor(rate: Double?) async throws -> E2ERun {
        let directory = Self.scratchDirectory("floor")
        defer { try? FileManager.default.removeItem(at: directory) }
        let agent = try await buildAgent(rate: rate, directory: directory)
        // The floor polls the feed on the engine's thread; compared with a pinned run that
        // feeds the engine from a feed thread instead, it would measure another setup.
        let floor = PipelineMetrics()
        guard agent.pollsFeed, agent.startFloorFeed(into: floor) else {
            agent.stop()
            throw RunError("--executor floor needs the feed polled on the engine's thread, as the pinned agent does with modules.ultra_latency.enable_hardware_optimization and feeds.poll_on_engine true")
        }
        try? await Task.sleep(nanoseconds: UInt64(seconds * 1e9))
        let stopped = agent.feed.stop(timeoutSeconds: 2)
        _ = await agent.quiesce()
        agent.stop()
        // The feed has ended on the engine's thread (the stop waited for it), so nothing records
        // any more and this thread may publish what it recorded.
        guard stopped else { throw RunError("--executor floor: the feed did not stop within 2 s") }
        floor.publish()
        var run = E2ERun(executor: "floor", rate: rate, seconds: seconds, metrics: floor.snapshot(), dropped: 0,
                         offered: agent.feed.stats.accepted)
        // Nothing runs but the wait for the thread: no stage, no tap.
        run.stages = run.stages.filter { $0.key == PipelineStage.queue.description }
        run.shed = [:]
        return run
    }

    /// The same pipeline with the engine on Swift's default executor: the regime and
    /// learning actors run as in the agent (spawned by the same code, publishing
    /// regimes and compiled models to the engine's control channel), the journal
    /// records everything; ticks reach the default actor through an AsyncStream.
    private func runDefault(rate: Double?) async throws -> E2ERun {
        let directory = Self.scratchDirectory("default")
        defer { try? FileManager.default.removeItem(at: directory) }
        let configuration = try configuration(journalPath: directory.appendingPathComponent("journal.sqlite").path)
        let logger = Logger(label: "perf-e2e")
        let market = try source(configuration, rate: rate)
        let symbols = SymbolTable(market.symbols.isEmpty ? configuration.feeds.symbols : market.symbols)
        let latency = configuration.modules.ultraLatency
        let hardware = latency.enableHardwareOptimization
        let idle = configuration.runtime.idleStrategy
        let plan = try CorePlan.make([
            .init(name: AgentAssembly.ActorName.regime, latencyClass: .normal, idleStrategy: idle),
            .init(name: AgentAssembly.ActorName.learning, latencyClass: .normal, idleStrategy: idle),
        ], topology: Topology.current(logger: logger))
        let system = try ActorSystem(plan: plan, configuration: .init(pinThreads: hardware, nodeLocalMemory: hardware),
                                     logger: logger)
        AgentAssembly.applyPriorities(ThreadPriorities.relativeToProcess(critical: criticalNice), system: system, logger: logger)
        let control = try Channel<LatencyEngine.Message>(ChannelConfiguration(
            name: "default-engine", capacity: latency.maxQueueSize, overflow: .reject, producers: .multiple))
        let taps = try await AgentAssembly.spawnModules(configuration: configuration, system: system, symbols: symbols,
                                                        engineMailbox: control, logger: logger)
        let journal = configuration.journal.enabled ? try Journal(
            path: configuration.journal.path,
            configuration: .init(synchronous: Journal.Synchronous(rawValue: configuration.journal.synchronous.rawValue) ?? .normal,
                                 batchSize: configuration.journal.batchSize,
                                 flushIntervalMs: configuration.journal.flushIntervalMs, symbols: symbols)) : nil
        let metrics = PipelineMetrics()
        let moduleTaps = ModuleTaps(regime: taps.regime, learner: taps.learner, symbols: symbols, metrics: metrics)
        let outputs = PipelineOutputs(
            regimeTap: { symbol, value in moduleTaps.regime(symbol: symbol, value: value) },
            learnTap: { sample in moduleTaps.learn(sample) },
            journal: { record in _ = journal?.append(record) },
            journalHealthy: { journal?.acceptsOrders ?? true })
        let core = try AgentAssembly.makeCore(configuration: configuration, symbols: symbols, outputs: outputs,
                                              metrics: metrics)
        let engine = DefaultExecutorEngine(core: core, control: control)
        let (stream, continuation) = AsyncStream.makeStream(of: Tick.self, bufferingPolicy: .bufferingNewest(latency.maxQueueSize))
        let feed = FeedDriver(source: market, symbols: symbols)
        let consumer = Task { await engine.consume(stream) }
        feed.start { tick in
            if case .enqueued = continuation.yield(tick) { return true }
            return false
        }
        try? await Task.sleep(nanoseconds: UInt64(seconds * 1e9))
        feed.stop()
        continuation.finish()
        await consumer.value
        let snapshot = await engine.finish()
        _ = system.drain(timeoutNanos: 500_000_000)
        let moduleDropped = system.stats().reduce(0) { $0 + $1.mailbox.dropped }
        let dropped = feed.stats.sinkRefused + control.stats.dropped + control.stats.rejected
        system.stop()
        try? journal?.close()
        return E2ERun(executor: "default", rate: rate, seconds: seconds, metrics: snapshot, dropped: dropped,
                      moduleDropped: moduleDropped, offered: feed.stats.accepted)
    }
}

/// The pipeline core on Swift's default executor (the comparison baseline): before
/// each tick it applies what the regime and learning actors sent (as the pinned
/// engine does between ticks), then runs the tick.
actor DefaultExecutorEngine {
    private var core: PipelineCore
    private let control: Channel<LatencyEngine.Message>
    private let clock = MonotonicClock()

    init(core: PipelineCore, control: Channel<LatencyEngine.Message>) {
        self.core = core
        self.control = control
    }

    func consume(_ stream: AsyncStream<Tick>) async {
        for await tick in stream {
            applyControl()
            core.process(tick, clock: clock)
        }
        applyControl()
    }

    private func applyControl() {
        while let message = control.receive() {
            switch message {
            case .tick(let tick): core.process(tick, clock: clock)
            case .regime(let symbol, let state, let confidence): core.setRegime(symbol: symbol, state: state, confidence: confidence)
            case .model(let model): core.setPredictor(model)
            case .control: break
            }
        }
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
        var p90_ns: UInt64?
        var p99_ns: UInt64
        var p999_ns: UInt64?
        var max_ns: UInt64?

        init(_ summary: LatencySummary, full: Bool) {
            p50_ns = summary.p50
            p99_ns = summary.p99
            p90_ns = full ? summary.p90 : nil
            p999_ns = full ? summary.p999 : nil
            max_ns = full ? summary.max : nil
        }
    }

    var executor: String
    var rate: String
    var e2e: Percentiles
    var tick: Percentiles
    var stages: [String: Percentiles]
    /// Ticks the engine processed per second.
    var ticks_per_s: Double
    /// Ticks the feed handed to the engine per second (processed, conflated or dropped):
    /// below `rate` when the feed thread itself could not keep the pace.
    var offered_per_s: Double
    var orders_per_s: Double
    var orders: UInt64
    var deadline_misses: UInt64
    /// Ticks (and engine control messages) lost: refused by the engine's inbox or evicted.
    var dropped: Int
    /// Messages the regime, learning and monitoring actors' mailboxes shed (drop-oldest)
    /// because those modules fell behind; the engine does not wait for them.
    var module_dropped: Int
    /// Ticks replaced by a newer tick of their symbol above the queue watermark.
    var conflated: UInt64
    /// Samples the engine did not send to a module (regime, learning, monitoring) because
    /// its mailbox was above the tap's watermark.
    var shed: [String: UInt64]

    init(executor: String, rate: Double?, seconds: Double, metrics: PipelineMetrics.Snapshot, dropped: Int,
         moduleDropped: Int = 0, offered: Int = 0) {
        self.executor = executor
        self.rate = rate.map { String(format: "%.0f", $0) } ?? "max"
        e2e = Percentiles(metrics.endToEnd, full: true)
        tick = Percentiles(metrics.tick, full: true)
        // `control` only when the engine applied messages between ticks (the default-executor
        // baseline applies them without timing).
        stages = metrics.stages.filter { $0.key != PipelineStage.control.description || $0.value.count > 0 }
            .mapValues { Percentiles($0, full: false) }
        ticks_per_s = (Double(metrics.ticks) / seconds).rounded()
        offered_per_s = (Double(offered) / seconds).rounded()
        orders_per_s = (Double(metrics.orders) / seconds).rounded()
        orders = metrics.orders
        deadline_misses = metrics.deadlineMisses
        self.dropped = dropped
        module_dropped = moduleDropped
        conflated = metrics.conflated
        shed = metrics.shed
    }

    var text: String {
        func us(_ n: UInt64?) -> String { String(format: "%.1f", Double(n ?? 0) / 1000) }
        var lines = ["\(executor) @ \(rate) ticks/s: offered/s \(Int(offered_per_s)), ticks/s \(Int(ticks_per_s)), orders/s \(Int(orders_per_s)), dropped \(dropped), conflated \(conflated), module drops \(module_dropped)",
                     "  e2e µs: p50 \(us(e2e.p50_ns)) p90 \(us(e2e.p90_ns)) p99 \(us(e2e.p99_ns)) p99.9 \(us(e2e.p999_ns)) max \(us(e2e.max_ns))",
                     "  tick µs: p50 \(us(tick.p50_ns)) p99 \(us(tick.p99_ns)) p99.9 \(us(tick.p999_ns))"]
        if !shed.isEmpty {
            lines.append("  shed by taps: " + PipelineTap.allCases.map { "\($0) \(shed[$0.description] ?? 0)" }.joined(separator: ", "))
        }
        for stage in PipelineStage.allCases {
            if let value = stages[stage.description] { lines.append("  \(stage): p50 \(value.p50_ns) ns, p99 \(value.p99_ns) ns") }
        }
        return lines.joined(separator: "\n")
    }

    /// The end-to-end percentiles of every run, one series per run.
    static func chart(_ runs: [E2ERun]) -> LatencyChart {
        let rates = Set(runs.map(\.rate))
        let title = "perf e2e: end-to-end latency (ingress → order), " + (rates.count == 1 ? "\(rates.first ?? "") ticks/s" : "per run")
        return LatencyChart(title: title, series: runs.map { run in
            LatencyChart.Series(name: "\(run.executor) @ \(run.rate)",
                                nanos: [run.e2e.p50_ns, run.e2e.p90_ns ?? 0, run.e2e.p99_ns, run.e2e.p999_ns ?? 0, run.e2e.max_ns ?? 0])
        })
    }
}

/// The document `perf e2e --json` prints.
struct E2EReport: Encodable {
    var benchmark = "e2e"
    var runs: [E2ERun]
}
