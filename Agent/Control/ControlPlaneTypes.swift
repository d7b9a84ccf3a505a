// The documents the control plane serves (JSON; the OpenAPI spec describes each).

import Foundation
import Hardware
import Runtime

/// Status of one subsystem or of the whole agent.
enum HealthStatus: String, Sendable, Codable, Comparable {
    /// Working as configured.
    case ok
    /// Working, but outside a limit (memory, CPU, latency, stale feed, actor in backoff).
    case degraded
    /// Not working (stopped or failed actor, Redis or journal unreachable): /health answers 503.
    case failing

    private var rank: Int { self == .ok ? 0 : self == .degraded ? 1 : 2 }
    static func < (lhs: HealthStatus, rhs: HealthStatus) -> Bool { lhs.rank < rhs.rank }
}

/// One line of /health.
struct SubsystemHealth: Sendable, Codable, Equatable {
    /// `executor:<name>`, `actor:<name>`, `feed`, `redis`, `journal`, `models`, `memory`, `cpu`, `latency`.
    var name: String
    var status: HealthStatus
    /// What was measured and against which limit.
    var detail: String
}

/// The /health document. `status` is the worst subsystem status.
struct HealthReport: Sendable, Codable, Equatable {
    var status: HealthStatus
    var environment: String
    /// Seconds since the agent started.
    var uptimeSeconds: Double
    var subsystems: [SubsystemHealth]

    /// A report whose status is the worst of `subsystems`.
    init(environment: String, uptimeSeconds: Double, subsystems: [SubsystemHealth]) {
        self.environment = environment
        self.uptimeSeconds = uptimeSeconds
        self.subsystems = subsystems
        self.status = subsystems.map(\.status).max() ?? .ok
    }

    /// One line per actor: running → ok, backoff → degraded, failed or stopped → failing.
    static func actorChecks(_ actors: [ActorStats]) -> [SubsystemHealth] {
        actors.map { actor in
            let status: HealthStatus
            switch actor.state {
            case .running: status = .ok
            case .backoff: status = .degraded
            case .failed, .stopped: status = .failing
            }
            var detail = "\(actor.state.rawValue), mailbox \(actor.mailbox.depth)/\(actor.mailbox.capacity), restarts \(actor.restarts)"
            if let error = actor.lastError { detail += ", last error: \(error)" }
            return SubsystemHealth(name: "actor:\(actor.name)", status: status, detail: detail)
        }
    }

    /// One line per executor: failing when every actor on it is stopped or failed.
    static func executorChecks(_ executors: [ExecutorView], actors: [ActorStats]) -> [SubsystemHealth] {
        executors.map { executor in
            let mine = actors.filter { $0.executor == executor.name }
            let dead = !mine.isEmpty && mine.allSatisfy { $0.state == .stopped || $0.state == .failed }
            let core = executor.core.map { "core \($0)" } ?? "unpinned"
            return SubsystemHealth(name: "executor:\(executor.name)", status: dead ? .failing : .ok,
                                   detail: "\(core), \(executor.idleStrategy.rawValue), \(mine.count) actors")
        }
    }

    /// Memory and CPU of this process against the seed's limits (memory < 80 %, CPU < 70 %).
    static func resourceChecks(_ usage: ProcessUsage, maxMemory: Double, maxCPU: Double) -> [SubsystemHealth] {
        var checks: [SubsystemHealth] = []
        if let fraction = usage.memoryFraction {
            checks.append(SubsystemHealth(
                name: "memory", status: fraction <= maxMemory ? .ok : .degraded,
                detail: String(format: "%.1f %% of %.0f MiB (limit %.0f %%)", fraction * 100,
                               Double(usage.memoryLimitBytes ?? 0) / 1_048_576, maxMemory * 100)))
        }
        if let cpu = usage.cpuFraction {
            checks.append(SubsystemHealth(
                name: "cpu", status: cpu <= maxCPU ? .ok : .degraded,
                detail: String(format: "%.1f %% of %d cores (limit %.0f %%)", cpu * 100, usage.cores, maxCPU * 100)))
        }
        return checks
    }
}

/// An executor as the inspector shows it.
struct ExecutorView: Sendable, Codable, Equatable {
    var name: String
    var core: Int?
    var idleStrategy: IdleStrategy
    /// Fraction of wall time running jobs since the previous sample (nil: not measured).
    var busyFraction: Double?
    var actors: [String]

    /// Groups actors by executor (busy unknown).
    static func derived(from actors: [ActorStats]) -> [ExecutorView] {
        var order: [String] = []
        var views: [String: ExecutorView] = [:]
        for actor in actors {
            if views[actor.executor] == nil {
                order.append(actor.executor)
                views[actor.executor] = ExecutorView(name: actor.executor, core: actor.core,
                                                     idleStrategy: actor.idleStrategy, busyFraction: nil, actors: [])
            }
            views[actor.executor]?.actors.append(actor.name)
        }
        return order.compactMap { views[$0] }
    }
}

/// Trading state as changed by pause / resume / halt.
struct ControlState: Sendable, Codable, Equatable {
    var trading: TradingMode
    var reason: String?
    /// Subject of the token that made the last change.
    var changedBy: String?
    /// Unix time of the last change, seconds.
    var changedAt: Double?

    /// Whether new orders may be sent.
    enum TradingMode: String, Sendable, Codable {
        case active, paused, halted
    }
}

/// One model of the learning module.
struct ModelInfo: Sendable, Codable, Equatable {
    var name: String
    /// `ONLINE_GD`, `INCREMENTAL_SVM`, `STREAM_RF`, `ENSEMBLE`.
    var kind: String
    var version: Int
    /// The version a rollback would restore (nil: none kept).
    var previousVersion: Int?
    /// Recent prequential accuracy, fraction.
    var accuracy: Double?
    /// `champion`, `challenger`, `retired`.
    var role: String
}

/// The result of POST /api/models/rollback.
struct ModelRollback: Sendable, Codable, Equatable {
    var model: String
    var fromVersion: Int
    var toVersion: Int
}
