// The HTTP control plane's view of the running agent (`quantum-agent run`): health from the
// actor system, feed, journal, Redis, models and the process; alerts through the AlertCenter;
// pause / resume / halt through the engine's control messages (and the cluster for a halt);
// models and rollback through the learner; /metrics from the Prometheus registry.

import Alerts
import Foundation
import Latency
import Learning
import Logging
import Monitoring
import Runtime
import Synchronization

/// `ControlPlane` over an `AgentAssembly`.
final class LiveControlPlane: ControlPlane {
    let agent: AgentAssembly
    private let usage = ProcessUsageSampler()
    private let state = Mutex(ControlState(trading: .active))
    private let logger: Logger

    init(agent: AgentAssembly, logger: Logger = Logger(label: "quantum-agent.control")) {
        self.agent = agent
        self.logger = logger
    }

    /// The current trading state (paused / halted by an operator).
    var controlState: ControlState { state.withLock { $0 } }

    // MARK: health

    func health() async -> HealthReport {
        let configuration = agent.configuration
        let checks = configuration.healthChecks
        let actors = agent.system.stats()
        var subsystems = HealthReport.executorChecks(ExecutorView.derived(from: actors), actors: actors)
            + HealthReport.actorChecks(actors)
        subsystems.append(feedCheck())
        if checks.redisConnection { subsystems.append(redisCheck()) }
        if checks.databaseConnection { subsystems.append(journalCheck()) }
        if checks.modelPerformance { subsystems.append(await modelCheck(minimumAccuracy: checks.minModelAccuracy)) }
        if checks.latencyMetrics { subsystems.append(latencyCheck()) }
        var resources = HealthReport.resourceChecks(usage.sample(), maxMemory: checks.maxMemoryFraction,
                                                    maxCPU: checks.maxCPUFraction)
        if !checks.memoryUsage { resources.removeAll { $0.name == "memory" } }
        if !checks.cpuUsage { resources.removeAll { $0.name == "cpu" } }
        subsystems += resources
        subsystems.append(await tradingCheck())
        return HealthReport(environment: configuration.environment, uptimeSeconds: Date().timeIntervalSince(agent.startedAt),
                            subsystems: subsystems)
    }

    /// Whether orders can go out, and what stops them: operator pause or halt, the drawdown
    /// kill switch, a journal that cannot write, the cluster's halt or self-halt.
    private func tradingCheck() async -> SubsystemHealth {
        let control = controlState
        let engine = await agent.engine.actor.status()
        var stops: [String] = []
        if control.trading != .active {
            stops.append("\(control.trading.rawValue) by \(control.changedBy ?? "operator")" + (control.reason.map { ": \($0)" } ?? ""))
        }
        if engine.killSwitch { stops.append("drawdown kill switch") }
        if engine.halted { stops.append("engine halted") }
        if let journal = agent.journal, !journal.isHealthy { stops.append("journal cannot write") }
        if let gate = agent.modules.cluster?.gate {
            if gate.isClusterHalted { stops.append("cluster emergency halt") }
            if gate.isSelfHalted { stops.append("self-halted (Redis unreachable)") }
        }
        if stops.isEmpty { return SubsystemHealth(name: "trading", status: .ok, detail: "active") }
        let status: HealthStatus = control.trading == .paused && stops.count == 1 ? .ok : .degraded
        return SubsystemHealth(name: "trading", status: status, detail: "no new orders: " + stops.joined(separator: "; "))
    }

    /// Feed freshness: degraded when the last tick is older than 5 s while the feed runs.
    private func feedCheck() -> SubsystemHealth {
        let stats = agent.feed.stats
        let source = agent.feed.source.name
        if let error = stats.error {
            return SubsystemHealth(name: "feed", status: .failing, detail: "\(source): \(error)")
        }
        if stats.finished {
            return SubsystemHealth(name: "feed", status: .ok, detail: "\(source): finished after \(stats.accepted) ticks")
        }
        guard stats.lastTickNanos > 0 else {
            return SubsystemHealth(name: "feed", status: .degraded, detail: "\(source): no tick received yet")
        }
        let now = MonotonicClock().now()
        let age = Double(now &- stats.lastTickNanos) / 1e9
        let status: HealthStatus = age <= 5 ? .ok : .degraded
        return SubsystemHealth(name: "feed", status: status, detail: "\(source): last tick "
            + String(format: "%.3f", age) + " s ago (limit 5 s), \(stats.accepted) accepted, \(stats.rejectedTotal) rejected")
    }

    private func redisCheck() -> SubsystemHealth {
        guard let cluster = agent.modules.cluster else {
            return SubsystemHealth(name: "redis", status: .ok, detail: "not used (local mode)")
        }
        let gate = cluster.gate
        if gate.isSelfHalted {
            return SubsystemHealth(name: "redis", status: .failing,
                                   detail: "unreachable for more than agent_timeout_ms: own trading halted")
        }
        return SubsystemHealth(name: "redis", status: gate.isClusterHalted ? .degraded : .ok,
                               detail: gate.isClusterHalted ? "reachable; cluster emergency halt in force" : "reachable")
    }

    private func journalCheck() -> SubsystemHealth {
        guard let journal = agent.journal else {
            return SubsystemHealth(name: "journal", status: .ok, detail: "disabled (journal.enabled false)")
        }
        let counters = journal.counters
        if !journal.isHealthy {
            return SubsystemHealth(name: "journal", status: .failing,
                                   detail: "cannot write: \(journal.lastError.map { "\($0)" } ?? "unknown error"); new orders halted")
        }
        return SubsystemHealth(name: "journal", status: .ok, detail: "\(counters.appended) records appended")
    }

    private func modelCheck(minimumAccuracy: Double) async -> SubsystemHealth {
        guard let learner = agent.modules.learner else {
            return SubsystemHealth(name: "models", status: .ok, detail: "online learning disabled")
        }
        let model = await learner.actor.summary()
        var detail = "\(agent.modules.modelName) version \(model.version), \(model.samples) samples learned"
        var status = HealthStatus.ok
        if let monitor = agent.modules.monitor {
            let values = await monitor.actor.latestValues()
            if let accuracy = values.first(where: { $0.key.hasPrefix("quantum_agent_model_accuracy_ratio") })?.value,
               accuracy.isFinite {
                detail += String(format: ", accuracy %.3f (floor %.2f)", accuracy, minimumAccuracy)
                if accuracy < minimumAccuracy { status = .degraded }
            }
        }
        return SubsystemHealth(name: "models", status: status, detail: detail)
    }

    private func latencyCheck() -> SubsystemHealth {
        let target = agent.configuration.modules.ultraLatency.targetLatencyMs * 1_000_000
        let endToEnd = agent.engine.actor.metrics.snapshot().endToEnd
        guard endToEnd.count > 0 else {
            return SubsystemHealth(name: "latency", status: .ok, detail: "no order yet")
        }
        return SubsystemHealth(
            name: "latency", status: Double(endToEnd.p99) <= target ? .ok : .degraded,
            detail: String(format: "end-to-end p50 %.1f µs, p99 %.1f µs (target %.0f ms)", Double(endToEnd.p50) / 1000,
                           Double(endToEnd.p99) / 1000, target / 1e6))
    }

    // MARK: actors

    func actors() async -> [ActorStats] { agent.system.stats() }

    func endToEndLatency() async -> LatencySummary? {
        let summary = agent.engine.actor.metrics.snapshot().endToEnd
        return summary.count > 0 ? summary : nil
    }

    // MARK: alerts

    func alerts() async -> [Alert] { await agent.modules.alerts.actor.activeAlerts() }

    func acknowledge(id: UInt64, by operatorName: String) async throws(ControlPlaneError) -> Alert {
        do throws(AlertError) {
            return try await agent.modules.alerts.actor.acknowledge(id: id, by: operatorName)
        } catch {
            throw ControlPlaneError(error)
        }
    }

    func snooze(id: UInt64, minutes: Double, by operatorName: String) async throws(ControlPlaneError) -> Alert {
        guard minutes.isFinite, minutes > 0, minutes <= 10_080 else {
            throw .invalid(field: "minutes", message: "must be a number of minutes in (0, 10080], got \(minutes)")
        }
        do throws(AlertError) {
            let alert = try await agent.modules.alerts.actor.snooze(id: id, seconds: minutes * 60)
            logger.notice("alert snoozed", metadata: ["id": "\(id)", "minutes": "\(minutes)", "by": "\(operatorName)"])
            return alert
        } catch {
            throw ControlPlaneError(error)
        }
    }

    // MARK: trading control

    func pause(by operatorName: String) async throws(ControlPlaneError) -> ControlState {
        try change(to: .paused, reason: nil, by: operatorName)
    }

    func resume(by operatorName: String) async throws(ControlPlaneError) -> ControlState {
        try change(to: .active, reason: nil, by: operatorName)
    }

    func halt(reason: String, by operatorName: String) async throws(ControlPlaneError) -> ControlState {
        let next = try change(to: .halted, reason: reason, by: operatorName)
        if let cluster = agent.modules.cluster { await cluster.actor.halt(reason: "\(reason) (by \(operatorName))") }
        agent.modules.alerts.send(.raise(key: "operator_halt", severity: .critical,
                                         summary: "Trading halted by \(operatorName): \(reason)", value: 1))
        return next
    }

    /// Changes the operator state and the order gate together, under one lock, so a resume
    /// racing a halt can never leave the gate open while the state says halted.
    private func change(to mode: ControlState.TradingMode, reason: String?, by name: String) throws(ControlPlaneError) -> ControlState {
        let gate = agent.modules.operatorGate
        let next = try state.withLock { state throws(ControlPlaneError) -> ControlState in
            if state.trading == .halted, mode != .halted {
                throw .conflict("trading is halted (\(state.reason ?? "no reason")); an operator halt lasts until "
                    + "this agent restarts")
            }
            state = ControlState(trading: mode, reason: reason, changedBy: name, changedAt: Date().timeIntervalSince1970)
            switch mode {
            case .active: gate.set(.active)
            case .paused: gate.set(.paused)
            case .halted: gate.set(.halted)
            }
            return state
        }
        logger.notice("trading state changed", metadata: ["trading": "\(mode.rawValue)", "by": "\(name)",
                                                          "reason": "\(reason ?? "")"])
        return next
    }

    // MARK: models

    func models() async -> [ModelInfo] {
        guard let learner = agent.modules.learner else { return [] }
        let model = await learner.actor.summary()
        var accuracy: Double?
        if let monitor = agent.modules.monitor {
            accuracy = await monitor.actor.latestValues()
                .first(where: { $0.key.hasPrefix("quantum_agent_model_accuracy_ratio") })?.value
        }
        if let value = accuracy, !value.isFinite { accuracy = nil }
        return [ModelInfo(name: agent.modules.modelName, kind: Self.kind(agent.modules.modelName),
                          version: model.version, previousVersion: model.previousVersion, accuracy: accuracy,
                          role: "champion")]
    }

    func rollback(by operatorName: String) async throws(ControlPlaneError) -> ModelRollback {
        guard let learner = agent.modules.learner else { throw .conflict("online learning is disabled: no model to roll back") }
        guard let result = await learner.actor.rollbackNow() else {
            throw .conflict("model \(agent.modules.modelName) has no previous version to roll back to")
        }
        logger.notice("model rolled back", metadata: ["from": "\(result.from)", "to": "\(result.to.id)", "by": "\(operatorName)"])
        return ModelRollback(model: agent.modules.modelName, fromVersion: result.from, toVersion: result.to.id)
    }

    static func kind(_ model: String) -> String {
        switch model {
        case "online-gd": return "ONLINE_GD"
        case "incremental-svm": return "INCREMENTAL_SVM"
        case "stream-rf": return "STREAM_RF"
        default: return "ENSEMBLE"
        }
    }

    // MARK: metrics

    func metricsText() async -> String { MetricsExport.render() }
}
