// The control plane over real HTTP on a loopback port: every route, 401/403/429/400/413,
// /health turning 503, no key → mutating routes refused, and the OpenAPI spec.

import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Testing
@testable import Agent

let operationsSecret = "test-secret-0123456789abcdef-0123456789"

/// A started server with its agent and token authority.
struct OperationsServer {
    let agent: OperationsTestAgent
    let server: ControlServer
    let authority: TokenAuthority
    let port: Int

    static func start(limitPerMinute: Int? = 10_000, withKey: Bool = true, maxBodyBytes: Int = 65_536)
        async throws -> OperationsServer {
        let agent = try await OperationsTestAgent.make()
        var configuration = ControlServerConfiguration()
        configuration.port = 0
        configuration.rateLimitPerMinute = limitPerMinute
        configuration.maxBodyBytes = maxBodyBytes
        let authority = await TokenAuthority(secret: operationsSecret, issuer: "quantum-agent")
        let server = ControlServer(configuration: configuration, plane: agent, authority: withKey ? authority : nil)
        let port = try await server.start()
        return OperationsServer(agent: agent, server: server, authority: authority, port: port)
    }

    func token(_ role: ControlRole, now: Date = Date(), ttl: TimeInterval = 86_400) async throws -> String {
        try await authority.issue(subject: "tester-\(role.rawValue)", role: role, ttl: ttl, now: now)
    }

    /// One request; returns status, headers and body.
    func call(_ method: String, _ path: String, token: String? = nil, body: String? = nil)
        async throws -> (status: Int, headers: [String: String], body: Data) {
        guard let url = URL(string: "http://127.0.0.1:\(port)\(path)") else { throw OperationsTestError.binaryMissing(path) }
        var request = URLRequest(url: url)
        request.httpMethod = method
        if let token { request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization") }
        if let body {
            request.httpBody = Data(body.utf8)
            request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        }
        let (data, response) = try await URLSession.shared.data(for: request)
        let http = response as? HTTPURLResponse
        var headers: [String: String] = [:]
        for (key, value) in http?.allHeaderFields ?? [:] {
            headers[String(describing: key).lowercased()] = String(describing: value)
        }
        return (http?.statusCode ?? 0, headers, data)
    }

    func error(_ data: Data) -> APIError.Body.Detail? { try? JSONDecoder().decode(APIError.Body.self, from: data).error }
}

@Suite("Operations: HTTP control plane")
struct OperationsHTTPTests {
    @Test func everyRouteAnswersForItsRole() async throws {
        let s = try await OperationsServer.start()
        defer { Task { await s.server.stop() } }
        let viewer = try await s.token(.viewer), op = try await s.token(.operator), admin = try await s.token(.admin)

        let health = try await s.call("GET", "/health")
        #expect(health.status == 200)
        let report = try JSONDecoder().decode(HealthReport.self, from: health.body)
        #expect(report.status == .ok)
        #expect(report.subsystems.map(\.name).contains("actor:market"))

        let metrics = try await s.call("GET", "/metrics")
        #expect(metrics.status == 200)
        #expect(String(decoding: metrics.body, as: UTF8.self).contains("quantum_agent_actor_restarts_total{actor=\"market\"} 0"))

        let actors = try await s.call("GET", "/api/actors", token: viewer)
        #expect(actors.status == 200)
        let document = try JSONDecoder().decode(ActorsDocument.self, from: actors.body)
        #expect(document.actors.map(\.name) == ["market", "risk"])
        #expect(document.actors.first?.processed == 10)
        #expect(document.endToEndLatency?.p99 == 40_000)

        let alerts = try await s.call("GET", "/api/alerts", token: viewer)
        let open = try JSONDecoder().decode(AlertsDocument.self, from: alerts.body).alerts
        #expect(open.map(\.rule) == ["model_drift_detected"])
        let id = try #require(open.first?.id)

        let ack = try await s.call("POST", "/api/alerts/\(id)/acknowledge", token: op)
        #expect(ack.status == 200)
        #expect(try JSONDecoder().decode(AlertDocument.self, from: ack.body).alert.acknowledgedBy == "tester-operator")

        let snooze = try await s.call("POST", "/api/alerts/\(id)/snooze", token: op, body: #"{"minutes":30}"#)
        #expect(snooze.status == 200)
        #expect(try JSONDecoder().decode(AlertDocument.self, from: snooze.body).alert.state == .snoozed)

        let pause = try await s.call("POST", "/api/control/pause", token: op)
        #expect(try JSONDecoder().decode(ControlDocument.self, from: pause.body).state.trading == .paused)
        let resume = try await s.call("POST", "/api/control/resume", token: op, body: #"{"reason":"checked"}"#)
        #expect(try JSONDecoder().decode(ControlDocument.self, from: resume.body).state.trading == .active)
        let halt = try await s.call("POST", "/api/control/halt", token: admin, body: #"{"reason":"drill"}"#)
        let halted = try JSONDecoder().decode(ControlDocument.self, from: halt.body).state
        #expect(halted.trading == .halted && halted.reason == "drill" && halted.changedBy == "tester-admin")
        let resumeHalted = try await s.call("POST", "/api/control/resume", token: op)
        #expect(resumeHalted.status == 409)

        let models = try await s.call("GET", "/api/models", token: viewer)
        #expect(try JSONDecoder().decode(ModelsDocument.self, from: models.body).models.first?.version == 3)
        let rollback = try await s.call("POST", "/api/models/rollback", token: admin)
        #expect(try JSONDecoder().decode(RollbackDocument.self, from: rollback.body).rollback
            == ModelRollback(model: "alpha", fromVersion: 3, toVersion: 2))
        #expect(try await s.call("POST", "/api/models/rollback", token: admin).status == 409)

        let spec = try await s.call("GET", "/openapi.yaml")
        #expect(spec.status == 200)
        #expect(spec.headers["content-type"] == "application/yaml")
    }

    @Test func missingForgedAndExpiredTokensAre401() async throws {
        let s = try await OperationsServer.start()
        defer { Task { await s.server.stop() } }
        let missing = try await s.call("GET", "/api/actors")
        #expect(missing.status == 401)
        #expect(s.error(missing.body)?.message.contains("missing bearer token") == true)

        let other = await TokenAuthority(secret: "another-secret-0123456789abcdef-xyz", issuer: "quantum-agent")
        let forged = try await other.issue(subject: "mallory", role: .admin, ttl: 600)
        let forgedCall = try await s.call("GET", "/api/actors", token: forged)
        #expect(forgedCall.status == 401)
        #expect(s.error(forgedCall.body)?.message.contains("signature") == true)

        let expired = try await s.token(.admin, now: Date().addingTimeInterval(-7200), ttl: 60)
        let expiredCall = try await s.call("POST", "/api/control/halt", token: expired)
        #expect(expiredCall.status == 401)
        #expect(s.error(expiredCall.body)?.message.contains("expired") == true)

        let garbage = try await s.call("GET", "/api/alerts", token: "not.a.jwt")
        #expect(garbage.status == 401)
    }

    @Test func aRoleBelowTheRouteIs403() async throws {
        let s = try await OperationsServer.start()
        defer { Task { await s.server.stop() } }
        let viewerPause = try await s.call("POST", "/api/control/pause", token: try await s.token(.viewer))
        #expect(viewerPause.status == 403)
        #expect(s.error(viewerPause.body)?.message == "role viewer may not POST /api/control/pause; it needs operator")
        #expect(try await s.call("POST", "/api/control/halt", token: try await s.token(.operator)).status == 403)
        #expect(try await s.call("POST", "/api/models/rollback", token: try await s.token(.operator)).status == 403)
    }

    @Test func pastTheRateLimitRequestsAre429WithRetryAfter() async throws {
        let s = try await OperationsServer.start(limitPerMinute: 3)
        defer { Task { await s.server.stop() } }
        for _ in 0..<3 { #expect(try await s.call("GET", "/health").status == 200) }
        let limited = try await s.call("GET", "/health")
        #expect(limited.status == 429)
        #expect(Int(limited.headers["retry-after"] ?? "") ?? 0 >= 1)
        #expect(s.error(limited.body)?.code == "rate_limited")
    }

    @Test func malformedBodiesAre400NamingTheField() async throws {
        let s = try await OperationsServer.start(maxBodyBytes: 256)
        defer { Task { await s.server.stop() } }
        let op = try await s.token(.operator)
        let id = try #require(s.agent.driftAlertID)
        let cases: [(String, String, String)] = [
            ("/api/alerts/\(id)/snooze", #"{"minutes":"ten"}"#, "minutes"),
            ("/api/alerts/\(id)/snooze", #"{"minutes":5,"hours":1}"#, "hours"),
            ("/api/alerts/\(id)/snooze", #"{}"#, "minutes"),
            ("/api/alerts/\(id)/snooze", #"{"minutes":0}"#, "minutes"),
            ("/api/alerts/\(id)/snooze", #"[1,2]"#, "body"),
            ("/api/alerts/\(id)/snooze", #"{"minutes":"#, "body"),
            ("/api/alerts/abc/acknowledge", "", "id"),
            ("/api/control/halt", #"{"reason":42}"#, "reason"),
            ("/api/alerts/\(id)/acknowledge", #"{"by":"me"}"#, "by"),
        ]
        for (path, body, field) in cases {
            let response = try await s.call("POST", path, token: try await s.token(.admin), body: body)
            #expect(response.status == 400, "\(path) \(body)")
            #expect(s.error(response.body)?.field == field, "\(path) \(body)")
        }
        let unknown = try await s.call("POST", "/api/alerts/999/acknowledge", token: op)
        #expect(unknown.status == 404)
        let large = try await s.call("POST", "/api/control/pause", token: op,
                                     body: #"{"reason":""# + String(repeating: "x", count: 1000) + #""}"#)
        #expect(large.status == 413)
        #expect(try await s.call("GET", "/api/nothing").status == 404)
    }

    @Test func healthIs503WhenAnActorIsStopped() async throws {
        let s = try await OperationsServer.start()
        defer { Task { await s.server.stop() } }
        #expect(try await s.call("GET", "/health").status == 200)
        try #require(s.agent.system.lookup("risk")).stop()
        let response = try await s.call("GET", "/health")
        #expect(response.status == 503)
        let report = try JSONDecoder().decode(HealthReport.self, from: response.body)
        #expect(report.status == .failing)
        #expect(report.subsystems.first { $0.name == "actor:risk" }?.status == .failing)
        #expect(report.subsystems.first { $0.name == "actor:market" }?.status == .ok)
    }

    @Test func withoutAKeyReadsAreOpenAndMutatingRoutesRefused() async throws {
        let s = try await OperationsServer.start(withKey: false)
        defer { Task { await s.server.stop() } }
        #expect(try await s.call("GET", "/api/actors").status == 200)
        let halt = try await s.call("POST", "/api/control/halt", token: try await s.token(.admin))
        #expect(halt.status == 403)
        #expect(s.error(halt.body)?.code == "auth_not_configured")
        #expect(s.error(halt.body)?.message.contains("QUANTUM_AGENT_JWT_SECRET") == true)
    }

    @Test func openAPISpecCoversEveryRouteWithItsRoleAndNothingElse() async throws {
        let tree = try ConfigValue.parse(yaml: OpenAPISpec.yaml, source: "openapi.yaml")
        guard case .map(let top) = tree.kind, case .map(let paths)? = top.first(where: { $0.key == "paths" })?.value.kind else {
            Issue.record("openapi.yaml has no paths mapping")
            return
        }
        var documented: Set<String> = []
        for path in paths {
            guard case .map(let methods) = path.value.kind else { continue }
            for method in methods {
                var role = "?"
                if case .map(let fields) = method.value.kind,
                   case .scalar(let text)? = fields.first(where: { $0.key == "x-required-role" })?.value.kind { role = text }
                documented.insert("\(method.key.uppercased()) \(path.key) \(role)")
            }
        }
        let routes = Set(ControlRoute.all.map { "\($0.method) \($0.path) \($0.role?.rawValue ?? "none")" })
        #expect(documented == routes)
    }
}
