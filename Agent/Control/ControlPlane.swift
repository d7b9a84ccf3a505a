// What the HTTP control plane asks of the running agent. The server depends only on this
// protocol; `quantum-agent run` plugs the live agent in, tests plug in a small real agent.

import Alerts
import Runtime

/// The running agent as the control plane sees it. Every method is called from HTTP handler
/// tasks (never on a pinned executor's hot path); implementations reach actors with
/// `await actor.method()` or read `ActorSystem.stats()`.
protocol ControlPlane: Sendable {
    /// Status of every subsystem (executors, actors, feed, Redis, journal, models, memory, CPU).
    func health() async -> HealthReport
    /// Every actor's stats (`ActorSystem.stats()`).
    func actors() async -> [ActorStats]
    /// Executors with their core and busy fraction. Default: derived from `actors()`, busy unknown.
    func executors() async -> [ExecutorView]
    /// End-to-end tick-to-order latency, ns; nil when not measured yet. Default: nil.
    func endToEndLatency() async -> LatencySummary?
    /// Open alerts (firing, acknowledged, snoozed).
    func alerts() async -> [Alert]
    /// Acknowledges alert `id` on behalf of `operatorName` (the token's subject).
    /// - Throws: `ControlPlaneError.notFound` for an unknown id, `.conflict` for a resolved alert.
    func acknowledge(id: UInt64, by operatorName: String) async throws(ControlPlaneError) -> Alert
    /// Silences alert `id` for `minutes`. - Throws: as `acknowledge`, `.invalid` for a bad duration.
    func snooze(id: UInt64, minutes: Double, by operatorName: String) async throws(ControlPlaneError) -> Alert
    /// Stops sending new orders (ticks are still processed). Idempotent.
    func pause(by operatorName: String) async throws(ControlPlaneError) -> ControlState
    /// Resumes trading after a pause. - Throws: `.conflict` when halted (a halt is not resumed here).
    func resume(by operatorName: String) async throws(ControlPlaneError) -> ControlState
    /// Emergency halt: cancels open orders, stops trading, tells the cluster.
    func halt(reason: String, by operatorName: String) async throws(ControlPlaneError) -> ControlState
    /// Model versions (champion, previous kept for rollback).
    func models() async -> [ModelInfo]
    /// Rolls the champion back to its previous version. - Throws: `.conflict` when there is none.
    func rollback(by operatorName: String) async throws(ControlPlaneError) -> ModelRollback
    /// Prometheus text exposition (`quantum_agent_…`).
    func metricsText() async -> String
}

extension ControlPlane {
    func executors() async -> [ExecutorView] { ExecutorView.derived(from: await actors()) }
    func endToEndLatency() async -> LatencySummary? { nil }
}

/// Why a control request failed; the server maps each case to an HTTP status.
enum ControlPlaneError: Error, Sendable, Equatable, CustomStringConvertible {
    /// 404: `what` does not exist (e.g. `alert 42`).
    case notFound(String)
    /// 409: the request is valid but the state forbids it.
    case conflict(String)
    /// 400: `field` has a bad value.
    case invalid(field: String, message: String)
    /// 503: the subsystem cannot answer now.
    case unavailable(String)

    var description: String {
        switch self {
        case .notFound(let what): return "\(what) not found"
        case .conflict(let message), .unavailable(let message): return message
        case .invalid(let field, let message): return "\(field): \(message)"
        }
    }
}

extension ControlPlaneError {
    /// Maps an alert-engine refusal: unknown id → 404, resolved → 409, bad snooze → 400 (`minutes`).
    init(_ error: AlertError) {
        switch error {
        case .unknownAlert(let id): self = .notFound("alert \(id)")
        case .alreadyResolved: self = .conflict(error.description)
        case .invalidSnoozeDuration: self = .invalid(field: "minutes", message: error.description)
        case .duplicateRule, .invalidParameter: self = .invalid(field: "body", message: error.description)
        }
    }
}
