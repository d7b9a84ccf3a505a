import ArgumentParser
import Foundation
import Latency
import Logging
import Market

/// `quantum-agent run`: the whole agent. With no flags: the embedded defaults
/// (synthetic feed, paper venue, local mode, no Redis needed).
struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run the agent (synthetic feed and paper venue by default)."
    )

    @Option(help: "YAML configuration file (default: embedded defaults; env QUANTUM_AGENT_CONFIG).")
    var config: String?

    @Option(help: "Stop after this many seconds (default: until SIGINT/SIGTERM).")
    var duration: Double?

    @Option(help: "Market feed: synthetic, csv:PATH or tcp:HOST:PORT (overrides feeds.kind).")
    var feed: String?

    @Option(help: "Seed of the synthetic feed and the paper venue.")
    var seed: UInt64?

    func validate() throws {
        if let duration, !(duration > 0 && duration.isFinite) {
            throw ValidationError("--duration \(duration) must be a positive number of seconds")
        }
    }

    func run() async throws {
        let configuration = try RunCommand.loadConfiguration(path: config)
        AgentLogging.bootstrap(level: configuration.logLevel)
        let logger = Logger(label: "quantum-agent")
        let source: any MarketSource
        do {
            source = try FeedFactory.make(flag: feed, configuration: configuration, seed: seed)
        } catch {
            throw ValidationError("\(error)")
        }
        let stop = StopSignal()
        stop.install()
        let agent = try await AgentAssembly.build(configuration: configuration, source: source, logger: logger)
        logger.info("agent started", metadata: [
            "feed": "\(source.name)", "symbols": "\(agent.symbols.names)", "oversubscribed": "\(agent.plan.oversubscribed)",
        ])
        agent.startFeed()
        var line = StatusLine()
        let deadline = duration.map { Date().addingTimeInterval($0) }
        while !stop.isRequested {
            try? await Task.sleep(nanoseconds: 1_000_000_000)
            if let deadline, Date() >= deadline { break }
            let status = await agent.engine.actor.status()
            line.emit(line.render(metrics: agent.engine.actor.metrics.snapshot(), status: status, feed: agent.feed.stats, openAlerts: 0))
            if agent.feed.stats.finished { break }
        }
        line.finish()
        let problems = await agent.quiesce()
        let status = await agent.engine.actor.status()
        let final = agent.engine.actor.metrics.snapshot()
        agent.stop()
        print(RunSummary.render(metrics: final, status: status, feed: agent.feed.stats, journal: agent.journal?.counters,
                                problems: problems))
    }

    /// Loads the config file (flag, then QUANTUM_AGENT_CONFIG) or the embedded defaults, with env overrides.
    static func loadConfiguration(path: String?) throws -> AgentConfiguration {
        let environment = ProcessInfo.processInfo.environment
        if let file = path ?? environment["QUANTUM_AGENT_CONFIG"] {
            return try AgentConfiguration.load(file: file, environment: environment)
        }
        return try AgentConfiguration.load(yamlText: "{}", source: "<defaults>", environment: environment)
    }
}
