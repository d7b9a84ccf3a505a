// The control plane's routes, listed once: the router registers them, /openapi.yaml documents
// them, and a test checks both agree.

import Alerts
import Runtime

/// One route and the role it needs.
struct ControlRoute: Sendable, Equatable {
    /// What a route does (dispatch key).
    enum Action: Sendable, Equatable {
        case health, metrics, openAPI, actors, alerts, acknowledge, snooze, pause, resume, halt, models, rollback
    }

    /// `GET` or `POST`.
    var method: String
    /// OpenAPI form: `/api/alerts/{id}/acknowledge`.
    var path: String
    /// nil: public (probes, Prometheus scrape, the spec).
    var role: ControlRole?
    var action: Action

    /// Whether the route changes state (refused when no JWT key is configured).
    var isMutating: Bool { method == "POST" }

    /// Hummingbird form: `/api/alerts/:id/acknowledge`.
    var routerPath: String {
        path.split(separator: "/", omittingEmptySubsequences: false).map { segment in
            segment.hasPrefix("{") && segment.hasSuffix("}") ? ":" + segment.dropFirst().dropLast() : String(segment)
        }.joined(separator: "/")
    }

    /// Every route of the control plane.
    static let all: [ControlRoute] = [
        ControlRoute(method: "GET", path: "/health", role: nil, action: .health),
        ControlRoute(method: "GET", path: "/metrics", role: nil, action: .metrics),
        ControlRoute(method: "GET", path: "/openapi.yaml", role: nil, action: .openAPI),
        ControlRoute(method: "GET", path: "/api/actors", role: .viewer, action: .actors),
        ControlRoute(method: "GET", path: "/api/alerts", role: .viewer, action: .alerts),
        ControlRoute(method: "POST", path: "/api/alerts/{id}/acknowledge", role: .operator, action: .acknowledge),
        ControlRoute(method: "POST", path: "/api/alerts/{id}/snooze", role: .operator, action: .snooze),
        ControlRoute(method: "POST", path: "/api/control/pause", role: .operator, action: .pause),
        ControlRoute(method: "POST", path: "/api/control/resume", role: .operator, action: .resume),
        ControlRoute(method: "POST", path: "/api/control/halt", role: .admin, action: .halt),
        ControlRoute(method: "GET", path: "/api/models", role: .viewer, action: .models),
        ControlRoute(method: "POST", path: "/api/models/rollback", role: .admin, action: .rollback),
    ]
}

/// The /api/actors document (what `quantum-agent inspect` shows).
struct ActorsDocument: Codable, Equatable, Sendable {
    var actors: [ActorStats]
    var executors: [ExecutorView]
    /// End-to-end tick-to-order latency, ns.
    var endToEndLatency: LatencySummary?
}

/// The /api/alerts document.
struct AlertsDocument: Codable, Equatable, Sendable {
    var alerts: [Alert]
}

/// The /api/models document.
struct ModelsDocument: Codable, Equatable, Sendable {
    var models: [ModelInfo]
}

/// The document of acknowledge and snooze.
struct AlertDocument: Codable, Equatable, Sendable {
    var alert: Alert
}

/// The document of pause, resume and halt.
struct ControlDocument: Codable, Equatable, Sendable {
    var state: ControlState
}

/// The document of a model rollback.
struct RollbackDocument: Codable, Equatable, Sendable {
    var rollback: ModelRollback
}
