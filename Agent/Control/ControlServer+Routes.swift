// Route handlers: authorisation by role, strict bodies, and the calls into `ControlPlane`.

import Foundation
import Hummingbird

extension ControlServer {
    /// Longest snooze accepted, minutes (one week).
    static let maximumSnoozeMinutes = 10_080.0

    func addRoutes(to router: Router<ControlRequestContext>) {
        for route in ControlRoute.all {
            let method: HTTPRequest.Method = route.method == "POST" ? .post : .get
            router.on(RouterPath(route.routerPath), method: method) { [self] request, context -> Response in
                let identity = try await authorize(request, route: route)
                return try await handle(route.action, request: request, context: context, identity: identity)
            }
        }
    }

    /// Checks the bearer token against the route's role.
    /// - Returns: the caller (`anonymous` viewer for public routes, and for reads when no key is configured).
    /// - Throws: `APIError` 401 (missing, forged, expired token) or 403 (role too low, or no key for a mutating route).
    func authorize(_ request: Request, route: ControlRoute) async throws(APIError) -> ControlIdentity {
        let anonymous = ControlIdentity(subject: "anonymous", role: .viewer)
        guard let needed = route.role else { return anonymous }
        guard let authority else {
            if route.isMutating {
                throw APIError(status: .forbidden, code: "auth_not_configured",
                               message: "\(route.method) \(route.path) is refused: no JWT key is configured "
                                   + "(set QUANTUM_AGENT_JWT_SECRET or security.jwt_key_file)")
            }
            return anonymous
        }
        guard let header = request.headers[.authorization] else {
            throw APIError(status: .unauthorized, code: "unauthorized", message: TokenError.missing.description)
        }
        guard header.lowercased().hasPrefix("bearer ") else {
            throw APIError(status: .unauthorized, code: "unauthorized", message: TokenError.missing.description)
        }
        let token = String(header.dropFirst("bearer ".count)).trimmingCharacters(in: .whitespaces)
        let identity: ControlIdentity
        do {
            identity = try await authority.verify(token, now: now())
        } catch {
            throw APIError(status: .unauthorized, code: "unauthorized", message: error.description)
        }
        guard identity.role >= needed else {
            throw APIError(status: .forbidden, code: "forbidden",
                           message: "role \(identity.role.rawValue) may not \(route.method) \(route.path); it needs \(needed.rawValue)")
        }
        return identity
    }

    private func handle(_ action: ControlRoute.Action, request: Request, context: ControlRequestContext,
                        identity: ControlIdentity) async throws -> Response {
        switch action {
        case .health:
            let report = await plane.health()
            return JSONResponse.make(report, status: report.status == .failing ? .serviceUnavailable : .ok)
        case .metrics:
            return JSONResponse.text(await plane.metricsText(), contentType: "text/plain; version=0.0.4; charset=utf-8")
        case .openAPI:
            return JSONResponse.text(OpenAPISpec.yaml, contentType: "application/yaml")
        case .actors:
            let actors = await plane.actors()
            return JSONResponse.make(ActorsDocument(actors: actors, executors: await plane.executors(),
                                                    endToEndLatency: await plane.endToEndLatency()))
        case .alerts:
            return JSONResponse.make(AlertsDocument(alerts: await plane.alerts()))
        case .acknowledge:
            let id = try alertID(context)
            _ = try StrictJSONBody(try await body(request), allowed: [])
            return JSONResponse.make(AlertDocument(alert: try await call { () async throws(ControlPlaneError) in
                try await plane.acknowledge(id: id, by: identity.subject)
            }))
        case .snooze:
            let id = try alertID(context)
            let fields = try StrictJSONBody(try await body(request), allowed: ["minutes"])
            let minutes = try fields.number("minutes", range: 1...Self.maximumSnoozeMinutes, required: true) ?? 0
            return JSONResponse.make(AlertDocument(alert: try await call { () async throws(ControlPlaneError) in
                try await plane.snooze(id: id, minutes: minutes, by: identity.subject)
            }))
        case .pause, .resume:
            _ = try StrictJSONBody(try await body(request), allowed: ["reason"]).string("reason", maxLength: 500, required: false)
            let state = try await call { () async throws(ControlPlaneError) in
                action == .pause ? try await plane.pause(by: identity.subject) : try await plane.resume(by: identity.subject)
            }
            return JSONResponse.make(ControlDocument(state: state))
        case .halt:
            let fields = try StrictJSONBody(try await body(request), allowed: ["reason"])
            let reason = try fields.string("reason", maxLength: 500, required: false) ?? "operator halt"
            return JSONResponse.make(ControlDocument(state: try await call { () async throws(ControlPlaneError) in
                try await plane.halt(reason: reason, by: identity.subject)
            }))
        case .models:
            return JSONResponse.make(ModelsDocument(models: await plane.models()))
        case .rollback:
            _ = try StrictJSONBody(try await body(request), allowed: [])
            return JSONResponse.make(RollbackDocument(rollback: try await call { () async throws(ControlPlaneError) in
                try await plane.rollback(by: identity.subject)
            }))
        }
    }

    /// Runs a control-plane call, mapping its error to HTTP.
    private func call<T>(_ body: () async throws(ControlPlaneError) -> T) async throws(APIError) -> T {
        do {
            return try await body()
        } catch {
            throw APIError(error)
        }
    }

    /// The `{id}` path parameter as an alert id.
    private func alertID(_ context: ControlRequestContext) throws(APIError) -> UInt64 {
        guard let text = context.parameters.get("id"), let id = UInt64(text) else {
            throw .badRequest(field: "id", "alert id must be a non-negative integer, got \(context.parameters.get("id") ?? "nothing")")
        }
        return id
    }

    /// The request body, at most `maxBodyBytes`. - Throws: `APIError` 413 past the limit.
    private func body(_ request: Request) async throws(APIError) -> Data {
        let limit = configuration.maxBodyBytes
        let tooLarge = APIError(status: .contentTooLarge, code: "body_too_large",
                                message: "request body larger than \(limit) bytes (http.max_body_bytes)", field: "body")
        if let length = request.headers[.contentLength].flatMap({ Int($0) }), length > limit { throw tooLarge }
        do {
            let buffer = try await request.body.collect(upTo: limit)
            return Data(buffer.readableBytesView)
        } catch {
            throw tooLarge
        }
    }
}
