// The operational modules of the running agent: the alert center, the model monitor with its
// taps and ticker, and the cluster node. `AgentAssembly.build` calls these; the control plane
// (`LiveControlPlane`) reads them.

import Alerts
import Coordination
import Foundation
import Journal
import Latency
import Logging
import Market
import Monitoring
import Protocols
import Risk
import Runtime
import Synchronization

extension AgentAssembly {
    /// The alert center: the config's rules (the seed's `alerts:` list) plus the built-in rules
    /// it does not name, on the log channel and the configured webhook channels.
    static func spawnAlerts(configuration: AgentConfiguration, system: ActorSystem, extraChannels: [any AlertChannel],
                            logger: Logger) async throws -> ActorRef<AlertCenter> {
        let monitoring = configuration.modules.modelMonitoring
        var manager = try AlertManager(configuration: AlertManagerConfiguration(cooldownMinutes: monitoring.alertCooldownMinutes),
                                       rules: configuration.alertRules)
        let named = Set(configuration.alertRules.map(\.name))
        let covered = Set(configuration.alertRules.map { "\($0.metric)|\($0.series ?? "")" })
        for rule in AlertRule.builtIn(targetLatencyMilliseconds: configuration.modules.ultraLatency.targetLatencyMs,
                                      dataQualityThreshold: monitoring.dataQualityThreshold,
                                      performanceDegradationThreshold: monitoring.performanceDegradationThreshold)
            where !named.contains(rule.name) && !covered.contains("\(rule.metric)|\(rule.series ?? "")") {
            try manager.addRule(rule)
        }
        var channels: [any AlertChannel] = [LogAlertChannel(logger: Logger(label: "quantum-agent.alerts"))]
        for name in Set(monitoring.alertChannels).sorted() {
            let url: String
            switch name {
            case "slack": url = monitoring.slackWebhookURL
            case "email": url = monitoring.emailWebhookURL
            default: continue  // log is always on; redis comes with the cluster (extraChannels)
            }
            if url.isEmpty {
                logger.notice("alert channel has no URL: alerts go to the log only",
                              metadata: ["channel": "\(name)", "key": "modules.model_monitoring.\(name)_webhook_url"])
                continue
            }
            do {
                channels.append(WebhookAlertChannel(name: name, configuration: try WebhookConfiguration(url: url)))
            } catch {
                logger.error("alert channel disabled", metadata: ["channel": "\(name)", "error": "\(error)"])
            }
        }
        channels += extraChannels
        let alertManager = manager
        let sendChannels = channels
        return try await system.spawn(
            ActorName.alerts,
            mailbox: ChannelConfiguration(name: ActorName.alerts, capacity: 4096, overflow: .dropOldest, producers: .multiple)
        ) { executor in
            AlertCenter(executor: executor, manager: alertManager, channels: sendChannels)
        }
    }

    /// The model monitor: one model (the learner's), the engine's symbols and features; a
    /// confirmed degradation sends the learner a rollback.
    static func spawnMonitor(configuration: AgentConfiguration, system: ActorSystem, symbols: SymbolTable,
                             alerts: ActorRef<AlertCenter>, learner: ActorRef<PipelineLearner>?,
                             modelName: String) async throws -> ActorRef<ModelMonitor> {
        let monitoring = configuration.modules.modelMonitoring
        let latency = configuration.modules.ultraLatency
        let settings = ModelMonitorConfiguration(
            monitoring: MonitoringConfiguration(
                dataQualityThreshold: monitoring.dataQualityThreshold,
                driftDetectionSensitivity: try DriftSensitivity(configValue: monitoring.driftDetectionSensitivity),
                performanceDegradationThreshold: monitoring.performanceDegradationThreshold,
                autoRollbackEnabled: monitoring.autoRollbackEnabled,
                alertCooldownMinutes: monitoring.alertCooldownMinutes,
                metricsIntervalMilliseconds: monitoring.metricsIntervalMs, alertChannels: monitoring.alertChannels),
            models: [modelName], symbols: symbols.names, features: FeatureVector.names,
            targetLatencyMilliseconds: latency.targetLatencyMs, maxQueueSize: latency.maxQueueSize)
        let core = try MonitorCore(configuration: settings, now: system.clock.now())
        return try await system.spawn(ActorName.monitoring, mailbox: ModelMonitor.mailbox(name: ActorName.monitoring)) { executor in
            ModelMonitor(executor: executor, core: core, alerts: alerts) { _ in
                learner?.send(.rollback)
            }
        }
    }
}

extension AgentAssembly {
    /// Cluster events → log and alerts: a halt or self-halt raises a critical alert that
    /// resolves on resume or rejoin; evictions are logged.
    static func clusterHooks(alerts: ActorRef<AlertCenter>, logger: Logger) -> CoordinationHooks {
        CoordinationHooks(onEvent: { event, _ in
            switch event {
            case .halted(let record):
                logger.critical("cluster emergency halt: orders stopped", metadata: ["reason": "\(record.reason)"])
                alerts.send(.raise(key: "cluster_halt", severity: .critical,
                                   summary: "Cluster emergency halt: \(record.reason)", value: 1))
            case .resumed(let operatorID):
                logger.notice("cluster halt lifted", metadata: ["operator": "\(operatorID)"])
                alerts.send(.clear(key: "cluster_halt"))
            case .selfHalted:
                logger.critical("Redis unreachable for agent_timeout_ms: this agent halted its own trading")
                alerts.send(.raise(key: "cluster_self_halt", severity: .critical,
                                   summary: "Cut off from the cluster's Redis: own trading halted", value: 1))
            case .rejoined:
                logger.notice("Redis reachable again: rejoined the cluster, trading allowed")
                alerts.send(.clear(key: "cluster_self_halt"))
            case .memberEvicted(let member, let silence):
                logger.warning("cluster member evicted", metadata: ["member": "\(member)", "silence_ms": "\(silence / 1_000_000)"])
            case .memberJoined(let member):
                logger.info("cluster member joined", metadata: ["member": "\(member)"])
            default:
                break
            }
        })
    }
}

/// The agent's housekeeping loop, off the pinned cores: every `metrics_interval` it gives the
/// alert center the cumulative counters of the rate rules and the memory use, and the monitor
/// the cluster's view, and moves threads off the reserved CPUs; every `risk.var_interval_ms` it runs the VaR and stress report on the
/// engine's book, raises or clears the breach alerts and scales the pre-trade limits.
struct OperationsLoop: Sendable {
    let system: ActorSystem
    let engine: ActorRef<LatencyEngine>
    let alerts: ActorRef<AlertCenter>
    let monitor: ActorRef<ModelMonitor>?
    let cluster: ClusterNode?
    let feed: FeedDriver
    let heartbeatIntervalMs: Int
    let metricsIntervalMs: Int
    let riskIntervalMs: Int
    let riskLimits: RiskLimits
    /// Swept every pass: a thread a pinned executor started (a Dispatch worker it woke) inherits its CPU.
    let cpuGuard: CriticalCPUGuard?
    let logger: Logger

    /// Starts the loop; cancel the task to stop it.
    func start(risk initial: RiskMonitor?) -> Task<Void, Never> {
        Task.detached { [self] in
            var risk = initial
            var breached: Set<String> = []
            var lastRisk = ContinuousClock.now
            let probe = MemoryUsageProbe()
            while !Task.isCancelled {
                do { try await Task.sleep(nanoseconds: UInt64(max(10, metricsIntervalMs)) * 1_000_000) } catch { return }
                alerts.send(.observe(counters(probe: probe)))
                cpuGuard?.sweep()
                if let cluster, let monitor { await sampleCluster(cluster, into: monitor) }
                if risk != nil, ContinuousClock.now - lastRisk >= .milliseconds(riskIntervalMs) {
                    lastRisk = ContinuousClock.now
                    await evaluateRisk(&risk, breached: &breached)
                }
            }
        }
    }

    /// Cumulative totals for the rate rules: handler errors (each restart or failure follows a
    /// thrown error) and bad feed records over messages handled and records received.
    func counters(probe: MemoryUsageProbe) -> [MetricObservation] {
        let actors = system.stats()
        let feedStats = feed.stats
        let feedErrors = feedStats.rejectedTotal + feedStats.malformed
        let handlerErrors = actors.reduce(0) { $0 + $1.restarts + ($1.state == .failed ? 1 : 0) } + feedErrors
        let handled = actors.reduce(UInt64(0)) { $0 &+ $1.processed } &+ UInt64(feedStats.accepted + feedErrors)
        var out = [MetricObservation(metric: AlertRule.handlerErrorsCounter, value: Double(handlerErrors)),
                   MetricObservation(metric: AlertRule.messagesHandledCounter, value: Double(handled))]
        if let memory = try? probe.observation() { out.append(memory) }
        return out
    }

    func sampleCluster(_ node: ClusterNode, into monitor: ActorRef<ModelMonitor>) async {
        let status = await node.actor.status()
        var ages: [String: Double] = [:]
        for member in status.members { ages[member.id] = Double(member.heartbeatAgeMs) / 1000 }
        monitor.send(.cluster(ClusterSample(
            membersAlive: status.members.count, heartbeatAgeSeconds: ages,
            heartbeatIntervalSeconds: Double(max(1, heartbeatIntervalMs)) / 1000,
            halted: status.halted || node.gate.isSelfHalted)))
    }

    /// One VaR / stress report on the engine's book; breaches raise critical alerts (cleared when
    /// they end) and shrink the pre-trade limits by the report's suggested scale.
    func evaluateRisk(_ risk: inout RiskMonitor?, breached: inout Set<String>) async {
        guard var monitor = risk else { return }
        // Just the figures VaR needs: a copy of the book would make the engine's next fill
        // copy its arrays on write.
        let inputs = await engine.actor.riskInputs()
        _ = monitor.record(equity: inputs.equity)
        let count = monitor.symbols.count
        let positions = (0..<count).map { $0 < inputs.positions.count ? inputs.positions[$0] : 0 }
        let prices = (0..<count).map { $0 < inputs.prices.count ? inputs.prices[$0] : 0 }
        risk = monitor
        guard prices.allSatisfy({ $0 > 0 && $0.isFinite }) else { return }  // no mark yet for some symbol
        let report: RiskReport
        do {
            report = try monitor.evaluate(positions: positions, prices: prices)
        } catch {
            logger.warning("risk report skipped", metadata: ["error": "\(error)"])
            return
        }
        let breaches = report.breachAlerts(limits: riskLimits)
        let now = Set(breaches.map(\.key))
        for breach in breaches where !breached.contains(breach.key) {
            logger.critical("risk limit breached: limits scaled down", metadata: ["breach": "\(breach.summary)"])
        }
        for breach in breaches {
            alerts.send(.raise(key: breach.key, severity: .critical, summary: breach.summary, value: breach.value))
        }
        for key in breached.subtracting(now) { alerts.send(.clear(key: key)) }
        breached = now
        engine.send(.control(.riskScale(report.suggestedRiskScale)))
    }
}

/// Whether an operator lets this agent send orders: pause and halt close it, resume reopens a
/// pause (never a halt). Read on the hot path before every order (one atomic load), written by
/// the control plane; unlike a control message it cannot be dropped or queued behind ticks.
final class OperatorGate: Sendable {
    enum Mode: UInt8 { case active = 0, paused = 1, halted = 2 }
    private let state = Atomic<UInt8>(Mode.active.rawValue)

    var mode: Mode { Mode(rawValue: state.load(ordering: .acquiring)) ?? .halted }
    @inline(__always) var allowsOrders: Bool { state.load(ordering: .acquiring) == Mode.active.rawValue }
    func set(_ mode: Mode) { state.store(mode.rawValue, ordering: .releasing) }
}

/// Alert events into the journal (`alert` records): raised, reminders, acknowledgements,
/// snoozes and resolutions, with the alert's key, severity and summary. Never blocks (the
/// journal's append only enqueues); what the journal refuses is counted.
final class JournalAlertChannel: AlertChannel {
    let name = "journal"
    private let journal: Journal
    private let refused = Atomic<Int>(0)

    init(journal: Journal) { self.journal = journal }

    func send(_ event: AlertEvent) {
        let message = "\(event.kind.rawValue) \(event.alert.key): \(event.alert.summary)"
        if !journal.append(.alert(kind: event.alert.rule, severity: event.alert.severity.rawValue, message: message,
                                  timeNanos: event.at)) {
            refused.add(1, ordering: .relaxed)
        }
    }

    var droppedCount: Int { refused.load(ordering: .relaxed) }
}

/// A reference set once after construction (an actor spawned after the closure that needs it).
final class LateBound<Value: Sendable>: Sendable {
    private let storage = Mutex<Value?>(nil)
    func set(_ value: Value) { storage.withLock { $0 = value } }
    var value: Value? { storage.withLock { $0 } }
}
