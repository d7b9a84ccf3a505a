// A small real agent for the control-plane tests: a deterministic ActorSystem with two actors,
// a real AlertManager with the seed's rules (from AgentConfiguration), trading state and models.

import Alerts
import Foundation
import Hardware
import Runtime
import Synchronization
@testable import Agent

/// Sums the integers it receives.
actor OperationsCounter: SupervisedActor {
    typealias Message = Int
    typealias Snapshot = Int

    nonisolated let executor: any ActorExecutor
    nonisolated var unownedExecutor: UnownedSerialExecutor { executor.asUnownedSerialExecutor() }
    private(set) var total = 0

    init(executor: any ActorExecutor) { self.executor = executor }

    func receive(_ message: Int) throws { total += message }
    func snapshot() -> Int { total }
    func restore(from snapshot: Int) { total = snapshot }
}

/// `ControlPlane` over real runtime and alert components.
final class OperationsTestAgent: ControlPlane {
    let system: ActorSystem
    let clock: VirtualClock
    private struct State {
        var manager: AlertManager
        var control = ControlState(trading: .active)
        var models = [ModelInfo(name: "alpha", kind: "ONLINE_GD", version: 3, previousVersion: 2, accuracy: 0.83,
                                role: "champion")]
    }
    private let state: Mutex<State>

    private init(system: ActorSystem, clock: VirtualClock, manager: AlertManager) {
        self.system = system
        self.clock = clock
        self.state = Mutex(State(manager: manager))
    }

    /// Two actors ("market", "risk") that have handled a few messages, and one firing alert
    /// (drift_score 0.9 > 0.8, the seed's "Model Drift Detected").
    static func make() async throws -> OperationsTestAgent {
        let clock = VirtualClock(start: 1_000_000_000_000)
        let plan = try CorePlan.make([.init(name: "market", latencyClass: .critical),
                                      .init(name: "risk", latencyClass: .normal)], topology: Topology.current())
        let system = try ActorSystem(plan: plan, configuration: .init(deterministic: true), clock: clock)
        let market = try await system.pumping {
            let market = try await system.spawn("market") { OperationsCounter(executor: $0) }
            _ = try await system.spawn("risk") { OperationsCounter(executor: $0) }
            return market
        }
        for value in 1...10 { _ = market.send(value) }
        system.runUntilIdle()
        var manager = try AlertManager(configuration: AlertManagerConfiguration(cooldownMinutes: 15),
                                       rules: AgentConfiguration.default.alertRules)
        _ = manager.observe(metric: "quantum_agent_drift_score_ratio", value: 0.9, now: clock.now())
        return OperationsTestAgent(system: system, clock: clock, manager: manager)
    }

    /// The id of the firing drift alert.
    var driftAlertID: UInt64? { state.withLock { $0.manager.activeAlerts.first?.id } }

    func health() async -> HealthReport {
        let actors = system.stats()
        return HealthReport(environment: "test", uptimeSeconds: 1,
                            subsystems: HealthReport.executorChecks(ExecutorView.derived(from: actors), actors: actors)
                                + HealthReport.actorChecks(actors))
    }

    func actors() async -> [ActorStats] { system.stats() }

    func endToEndLatency() async -> LatencySummary? {
        LatencySummary(count: 10, p50: 12_000, p90: 20_000, p99: 40_000, p999: 45_000, max: 50_000, mean: 15_000)
    }

    func alerts() async -> [Alert] { state.withLock { $0.manager.activeAlerts } }

    func acknowledge(id: UInt64, by operatorName: String) async throws(ControlPlaneError) -> Alert {
        let now = clock.now()
        return try state.withLock { state throws(ControlPlaneError) -> Alert in
            do throws(AlertError) {
                _ = try state.manager.acknowledge(id: id, by: operatorName, now: now)
            } catch {
                throw ControlPlaneError(error)
            }
            guard let alert = state.manager.alert(id: id) else { throw .notFound("alert \(id)") }
            return alert
        }
    }

    func snooze(id: UInt64, minutes: Double, by operatorName: String) async throws(ControlPlaneError) -> Alert {
        let now = clock.now()
        return try state.withLock { state throws(ControlPlaneError) -> Alert in
            do throws(AlertError) {
                _ = try state.manager.snooze(id: id, forNanoseconds: UInt64(minutes * 60e9), now: now)
            } catch {
                throw ControlPlaneError(error)
            }
            guard let alert = state.manager.alert(id: id) else { throw .notFound("alert \(id)") }
            return alert
        }
    }

    func pause(by operatorName: String) async throws(ControlPlaneError) -> ControlState {
        try change(to: .paused, reason: nil, by: operatorName)
    }

    func resume(by operatorName: String) async throws(ControlPlaneError) -> ControlState {
        try change(to: .active, reason: nil, by: operatorName)
    }

    func halt(reason: String, by operatorName: String) async throws(ControlPlaneError) -> ControlState {
        try change(to: .halted, reason: reason, by: operatorName)
    }

    private func change(to mode: ControlState.TradingMode, reason: String?, by name: String) throws(ControlPlaneError) -> ControlState {
        try state.withLock { state throws(ControlPlaneError) -> ControlState in
            if state.control.trading == .halted, mode == .active {
                throw .conflict("trading is halted (\(state.control.reason ?? "no reason")); a halt is not resumed by resume")
            }
            state.control = ControlState(trading: mode, reason: reason, changedBy: name, changedAt: 1)
            return state.control
        }
    }

    func models() async -> [ModelInfo] { state.withLock { $0.models } }

    func rollback(by operatorName: String) async throws(ControlPlaneError) -> ModelRollback {
        try state.withLock { state throws(ControlPlaneError) -> ModelRollback in
            guard let previous = state.models[0].previousVersion else {
                throw .conflict("model alpha has no previous version to roll back to")
            }
            let result = ModelRollback(model: "alpha", fromVersion: state.models[0].version, toVersion: previous)
            state.models[0].version = previous
            state.models[0].previousVersion = nil
            return result
        }
    }

    func metricsText() async -> String {
        var lines = ["# TYPE quantum_agent_actor_restarts_total counter"]
        for actor in system.stats() {
            lines.append("quantum_agent_actor_restarts_total{actor=\"\(actor.name)\"} \(actor.restarts)")
        }
        return lines.joined(separator: "\n") + "\n"
    }
}

