import ArgumentParser
import Coordination
import Foundation
import Latency
import Logging
import Market
import Monitoring
import Protocols
import ServiceLifecycle
import Synchronization

/// `quantum-agent run`: the whole agent. With no flags: the embedded defaults (synthetic feed,
/// paper venue, local mode, no Redis needed), the HTTP control plane on 127.0.0.1:8080.
struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run the agent (synthetic feed and paper venue by default)."
    )

    @Option(help: "YAML configuration file (default: embedded defaults; env QUANTUM_AGENT_CONFIG).")
    var config: String?

    @Option(help: "Stop after this many seconds (default: until SIGINT/SIGTERM).")
    var duration: Double?

    @Option(help: "Market feed: synthetic, csv:PATH, tcp:HOST:PORT or redis:STREAM[?group=G&consumer=C&start=$|ID] (overrides feeds.kind; Redis from redis.url, $QUANTUM_AGENT_REDIS_URL or multi_agent.redis_host).")
    var feed: String?

    @Option(help: "Seed of the synthetic feed and the paper venue.")
    var seed: UInt64?

    @Option(name: .customLong("http-host"), help: "Control-plane listen address (overrides http.host).")
    var httpHost: String?

    @Option(name: .customLong("http-port"), help: "Control-plane port, 0 = any free port (overrides http.port).")
    var httpPort: Int?

    @Flag(name: .customLong("no-http"), help: "Do not start the HTTP control plane (overrides http.enabled).")
    var noHTTP = false

    @Flag(help: "Join a cluster over Redis (also: modules.multi_agent.enabled: true in the config).")
    var cluster = false

    @Option(help: "Redis URL of the cluster, redis://[user[:password]@]host:port[/db] (overrides redis.url).")
    var redis: String?

    @Option(name: .customLong("agent-id"), help: "This agent's id in the cluster (default: multi_agent.agent_id, else HOST-PID).")
    var agentID: String?

    @Option(help: "Log format on stderr: json (one object per line) or text.")
    var logFormat: LogFormat = .json

    enum LogFormat: String, ExpressibleByArgument, CaseIterable {
        case json, text
    }

    func validate() throws {
        if let duration, !(duration > 0 && duration.isFinite) {
            throw ValidationError("--duration \(duration) must be a positive number of seconds")
        }
        if let httpPort, !(0...65535).contains(httpPort) {
            throw ValidationError("--http-port \(httpPort) must be in 0...65535")
        }
        if let httpHost, httpHost.isEmpty { throw ValidationError("--http-host must not be empty") }
        if let redis, !redis.hasPrefix("redis://") {
            throw ValidationError("--redis '\(redis)' must be a redis://host:port URL")
        }
    }

    func run() async throws {
        let loaded = try RunCommand.loadConfiguration(path: config)
        let configuration = applyFlags(to: loaded)
        var logWriter: JSONLogWriter?
        switch logFormat {
        case .json: logWriter = JSONLogHandler.bootstrap(level: configuration.logLevel)
        case .text: AgentLogging.bootstrap(level: configuration.logLevel)
        }
        defer { logWriter?.flush() }
        let logger = Logger(label: "quantum-agent")
        MetricsExport.bootstrap()
        let source: any MarketSource
        do {
            source = try FeedFactory.make(flag: feed, configuration: configuration, seed: seed)
        } catch {
            throw ValidationError("\(error)")
        }
        let clusterSettings = try clusterSettings(configuration)
        let authority = try await tokenAuthority(configuration)
        let agent = try await AgentAssembly.build(configuration: configuration, source: source, cluster: clusterSettings,
                                                  logger: logger)
        let problems = ProblemBox()
        let server = try await startControlPlane(configuration: configuration, agent: agent, authority: authority,
                                                 logger: logger)
        let services: [ServiceGroupConfiguration.ServiceConfiguration] = [
            .init(service: StatusService(agent: agent, duration: duration, stopping: problems),
                  successTerminationBehavior: .gracefullyShutdownGroup),
        ]
        logger.info("agent started", metadata: [
            "feed": "\(source.name)", "symbols": "\(agent.symbols.names)", "oversubscribed": "\(agent.plan.oversubscribed)",
            "cluster": "\(clusterSettings.map { "\($0.agentID)@\($0.redis.host):\($0.redis.port)" } ?? "local")",
        ])
        agent.startFeed()
        var failed = false
        do {
            try await AgentLifecycle.run(configurations: services, logger: logger) {
                problems.markStopping()
                problems.set(await agent.quiesce())
                await server?.stop()
            }
        } catch {
            logger.error("agent stopped on an error", metadata: ["error": "\(error)"])
            problems.append("\(error)")
            failed = true
        }
        let status = await agent.engine.actor.status()
        let final = agent.engine.actor.metrics.snapshot()
        agent.stop()
        print(RunSummary.render(metrics: final, status: status, feed: agent.feed.stats, journal: agent.journal?.counters,
                                problems: problems.value))
        if failed { throw ExitCode(1) }
    }

    /// Starts the HTTP control plane unless disabled and prints `control plane: URL` on stdout. A bind
    /// failure stops the agent: an operator must not believe a control plane is there when it is not.
    func startControlPlane(configuration: AgentConfiguration, agent: AgentAssembly, authority: TokenAuthority?,
                           logger: Logger) async throws -> ControlServer? {
        guard configuration.http.enabled else {
            logger.notice("HTTP control plane disabled (http.enabled false or --no-http)")
            return nil
        }
        let server = ControlServer(configuration: ControlServerConfiguration(configuration),
                                   plane: LiveControlPlane(agent: agent), authority: authority,
                                   logger: Logger(label: "quantum-agent.http"))
        do {
            let port = try await server.start()
            // One plain line on stdout: scripts and tests read the bound port from it.
            let scheme = configuration.security.sslEnabled ? "https" : "http"
            try? FileHandle.standardOutput.write(contentsOf: Data("control plane: \(scheme)://\(configuration.http.host):\(port)\n".utf8))
            return server
        } catch {
            _ = await agent.quiesce()
            agent.stop()
            throw RunError("HTTP control plane: \(error) (choose another --http-port, or --no-http)")
        }
    }

    /// The JWT authority from `QUANTUM_AGENT_JWT_SECRET` or `security.jwt_key_file`; nil without a key.
    func tokenAuthority(_ configuration: AgentConfiguration) async throws -> TokenAuthority? {
        guard configuration.http.enabled else { return nil }
        let secret: String?
        do {
            secret = try TokenAuthority.loadSecret(security: configuration.security)
        } catch {
            throw RunError("JWT key: \(error)")
        }
        guard let secret else { return nil }
        return await TokenAuthority(secret: secret, issuer: configuration.security.jwtIssuer)
    }

    /// The configuration with the command line's overrides applied.
    func applyFlags(to loaded: AgentConfiguration) -> AgentConfiguration {
        var configuration = loaded
        if let httpHost { configuration.http.host = httpHost }
        if let httpPort { configuration.http.port = httpPort }
        if noHTTP { configuration.http.enabled = false }
        if let redis { configuration.redis.url = redis }
        if let agentID { configuration.modules.multiAgent.agentID = agentID }
        return configuration
    }

    /// Cluster mode: `--cluster`, or `modules.multi_agent.enabled: true` (the embedded defaults run
    /// locally). The HMAC key comes from the environment or the key file.
    func clusterSettings(_ configuration: AgentConfiguration) throws -> CoordinationSettings? {
        guard cluster || configuration.modules.multiAgent.enabled else { return nil }
        let multi = configuration.modules.multiAgent
        var redisConfiguration: Protocols.RedisConfiguration
        do {
            redisConfiguration = try FeedFactory.redisEndpoint(configuration, environment: ProcessInfo.processInfo.environment)
        } catch {
            throw ValidationError("\(error)")
        }
        redisConfiguration.readTimeoutMs = max(configuration.redis.commandTimeoutMs, 2 * multi.heartbeatIntervalMs)
        let key: WireKey
        do {
            key = try WireKey.load()
        } catch {
            throw RunError("cluster mode needs the shared key: \(error)")
        }
        let id = multi.agentID.isEmpty
            ? "\(ProcessInfo.processInfo.hostName.split(separator: ".").first.map(String.init) ?? "agent")-\(getpid())"
            : multi.agentID
        let protocolConfiguration = CoordinationConfiguration(
            heartbeatIntervalMs: multi.heartbeatIntervalMs, heartbeatTimeoutMs: multi.heartbeatTimeoutMs,
            consensusThreshold: multi.consensusThreshold, agentTimeoutMs: multi.agentTimeoutMs,
            emergencyCoordinationEnabled: multi.emergencyCoordinationEnabled,
            leaseTTLMs: max(3 * multi.heartbeatIntervalMs, 300))
        let settings = CoordinationSettings(agentID: id, redis: redisConfiguration, key: key,
                                            protocolConfiguration: protocolConfiguration, namespace: multi.cluster,
                                            sharedBook: multi.sharedBook)
        do {
            try settings.validate()
        } catch {
            throw ValidationError("modules.multi_agent: \(error)")
        }
        return settings
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

/// A failure to start that is not a bad flag (exit 1, one line, no usage text).
struct RunError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// Problems met while stopping, set by the shutdown hook and read after the group ends; and
/// whether the shutdown has begun.
final class ProblemBox: Sendable {
    private let problems = Mutex<[String]>([])
    private let stopping = Atomic<Bool>(false)
    func markStopping() { stopping.store(true, ordering: .releasing) }
    var isStopping: Bool { stopping.load(ordering: .acquiring) }
    func set(_ values: [String]) { problems.withLock { $0 += values } }
    func append(_ value: String) { problems.withLock { $0.append(value) } }
    var value: [String] { problems.withLock { $0 } }
}

/// The status line as a service: once a second until `--duration` passes, the feed ends or
/// a graceful shutdown starts (SIGTERM / SIGINT); returning shuts the whole agent down.
struct StatusService: Service {
    let agent: AgentAssembly
    let duration: Double?
    let stopping: ProblemBox

    func run() async throws {
        var line = StatusLine()
        defer { line.finish() }
        try await report(&line)
        // The feed also ends because the shutdown hook stopped it: then wait for our turn to stop,
        // since a service returning in the middle of a graceful shutdown counts as a failure.
        if stopping.isStopping { try? await gracefulShutdown() }
    }

    private func report(_ line: inout StatusLine) async throws {
        let deadline = duration.map { Date().addingTimeInterval($0) }
        var lastEmit = Date()
        while !Task.isShuttingDownGracefully, !Task.isCancelled {
            try? await Task.sleep(nanoseconds: 100_000_000)
            if Task.isShuttingDownGracefully || Task.isCancelled { return }
            if let deadline, Date() >= deadline { return }
            if Date().timeIntervalSince(lastEmit) >= 1 {
                lastEmit = Date()
                let status = await agent.engine.actor.status()
                let openAlerts = await agent.modules.alerts.actor.activeAlerts().count
                let gate = agent.modules.cluster.map { (halted: $0.gate.isClusterHalted, selfHalted: $0.gate.isSelfHalted) }
                line.emit(line.render(metrics: agent.engine.actor.metrics.snapshot(), status: status, feed: agent.feed.stats,
                                      openAlerts: openAlerts, clusterGate: gate, operatorMode: agent.modules.operatorGate.mode))
            }
            if agent.feed.stats.finished { return }
        }
    }
}
