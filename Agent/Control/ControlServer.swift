// The HTTP control plane on Hummingbird 2: routes of `ControlRoute.all`, JWT roles, a per-client
// rate limit, a body size limit, strict JSON bodies, TLS when configured.
// Use: `let server = ControlServer(...)`; `let port = try await server.start()`; `await server.stop()`.

import Foundation
import Hummingbird
import HummingbirdCore
import HummingbirdTLS
import NIOSSL
import Logging
import ServiceLifecycle
import Synchronization

/// Listener settings of the control plane.
struct ControlServerConfiguration: Sendable {
    var host = "127.0.0.1"
    /// 0 = any free port (`start()` returns the bound one).
    var port = 8080
    var maxBodyBytes = 65_536
    /// Requests per minute per client address; nil = no limit.
    var rateLimitPerMinute: Int? = 1000
    /// PEM certificate chain and private key; nil = plain HTTP.
    var tls: (certificatePath: String, privateKeyPath: String)?
    /// Shown in /health.
    var environment = "production"

    init() {}

    /// From the agent configuration (`http`, `security`, `environment`).
    init(_ config: AgentConfiguration) {
        host = config.http.host
        port = config.http.port
        maxBodyBytes = config.http.maxBodyBytes
        rateLimitPerMinute = config.security.rateLimiting ? config.security.maxRequestsPerMinute : nil
        tls = config.security.sslEnabled ? (config.security.certificatePath, config.security.privateKeyPath) : nil
        environment = config.environment
    }
}

/// Why the control plane could not start.
enum ControlServerError: Error, Sendable, CustomStringConvertible {
    case tls(String)
    case bind(host: String, port: Int, reason: String)
    case alreadyStarted

    var description: String {
        switch self {
        case .tls(let message): return "TLS: \(message)"
        case .bind(let host, let port, let reason): return "cannot listen on \(host):\(port): \(reason)"
        case .alreadyStarted: return "the control plane is already running"
        }
    }
}

/// The HTTP control plane. `Sendable`; start once, stop once.
final class ControlServer: Sendable {
    let configuration: ControlServerConfiguration
    let plane: any ControlPlane
    /// nil: no JWT key — reads are open, mutating routes are refused.
    let authority: TokenAuthority?
    let limiter: RateLimiter?
    let logger: Logger
    /// The clock tokens are checked against.
    let now: @Sendable () -> Date
    private let running = Mutex<(group: ServiceGroup, task: Task<Void, Never>)?>(nil)

    init(configuration: ControlServerConfiguration, plane: any ControlPlane, authority: TokenAuthority?,
         logger: Logger = Logger(label: "quantum-agent.http"), now: @escaping @Sendable () -> Date = { Date() },
         limiter: RateLimiter? = nil) {
        self.configuration = configuration
        self.plane = plane
        self.authority = authority
        self.limiter = limiter ?? configuration.rateLimitPerMinute.map { RateLimiter(limitPerMinute: $0) }
        self.logger = logger
        self.now = now
    }

    /// Starts listening in the background.
    /// - Returns: the bound port (useful with port 0).
    /// - Throws: `ControlServerError` when TLS files are unusable or the address cannot be bound.
    @discardableResult
    func start() async throws(ControlServerError) -> Int {
        let (stream, continuation) = AsyncStream<Result<Int, ControlServerError>>.makeStream()
        let app = try makeApplication { port in continuation.yield(.success(port)) }
        let group = ServiceGroup(configuration: .init(services: [app], gracefulShutdownSignals: [], logger: logger))
        let configuration = configuration
        let task = Task {
            do {
                try await group.run()
            } catch {
                continuation.yield(.failure(.bind(host: configuration.host, port: configuration.port,
                                                  reason: String(describing: error))))
            }
            continuation.finish()
        }
        let alreadyRunning = running.withLock { state -> Bool in
            if state != nil { return true }
            state = (group, task)
            return false
        }
        if alreadyRunning {
            task.cancel()
            throw .alreadyStarted
        }
        for await result in stream {
            switch result {
            case .success(let port):
                logger.info("control plane listening", metadata: [
                    "host": "\(configuration.host)", "port": "\(port)", "tls": "\(configuration.tls != nil)",
                    "auth": "\(authority == nil ? "no key: mutating routes refused" : "JWT HS256")",
                ])
                return port
            case .failure(let error):
                running.withLock { $0 = nil }
                throw error
            }
        }
        throw .bind(host: configuration.host, port: configuration.port, reason: "server stopped before listening")
    }

    /// Stops accepting connections, lets in-flight requests finish, and returns when stopped.
    func stop() async {
        guard let (group, task) = running.withLock({ state -> (ServiceGroup, Task<Void, Never>)? in
            defer { state = nil }
            return state
        }) else { return }
        await group.triggerGracefulShutdown()
        await task.value
    }

    /// The Hummingbird application (also usable as a `Service` in the agent's own ServiceGroup).
    func makeApplication(onRunning: @escaping @Sendable (Int) -> Void = { _ in })
        throws(ControlServerError) -> some ApplicationProtocol {
        let router = Router(context: ControlRequestContext.self)
        router.add(middleware: ErrorMiddleware())
        if let limiter { router.add(middleware: RateLimitMiddleware(limiter: limiter)) }
        addRoutes(to: router)
        let server: HTTPServerBuilder
        if let tls = configuration.tls {
            server = try Self.tlsServer(certificatePath: tls.certificatePath, privateKeyPath: tls.privateKeyPath)
        } else {
            server = .http1()
        }
        return Application(router: router, server: server,
                           configuration: .init(address: .hostname(configuration.host, port: configuration.port),
                                                serverName: "quantum-agent"),
                           onServerRunning: { channel in onRunning(channel.localAddress?.port ?? 0) },
                           logger: logger)
    }

    private static func tlsServer(certificatePath: String, privateKeyPath: String)
        throws(ControlServerError) -> HTTPServerBuilder {
        do {
            let chain = try NIOSSLCertificate.fromPEMFile(certificatePath).map { NIOSSLCertificateSource.certificate($0) }
            let key = try NIOSSLPrivateKey(file: privateKeyPath, format: .pem)
            var tls = TLSConfiguration.makeServerConfiguration(certificateChain: chain, privateKey: .privateKey(key))
            tls.minimumTLSVersion = TLSVersion.tlsv12
            return try .tls(.http1(), tlsConfiguration: tls)
        } catch {
            throw .tls("cannot load certificate \(certificatePath) or key \(privateKeyPath): \(error)")
        }
    }
}

/// Request context: the client address (for the rate limit).
struct ControlRequestContext: RequestContext {
    var coreContext: CoreRequestContextStorage
    /// `ip` of the peer, or `unknown`.
    let client: String

    init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        client = source.channel.remoteAddress?.ipAddress ?? "unknown"
    }
}

/// Turns thrown errors into JSON error responses (and router 404/405 into JSON too).
struct ErrorMiddleware: RouterMiddleware {
    typealias Context = ControlRequestContext

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as APIError {
            return error.response()
        } catch let error as HTTPError {
            let code = error.status == .notFound ? "not_found" : error.status == .methodNotAllowed ? "method_not_allowed" : "http_error"
            let message = error.status == .notFound ? "no route \(request.method) \(request.uri.path); see GET /openapi.yaml"
                : (error.body ?? error.status.reasonPhrase)
            return APIError(status: error.status, code: code, message: message).response()
        } catch {
            context.logger.error("control request failed", metadata: ["path": "\(request.uri.path)", "error": "\(error)"])
            return APIError(status: .internalServerError, code: "internal", message: "internal error").response()
        }
    }
}

/// The per-client token bucket in front of every route.
struct RateLimitMiddleware: RouterMiddleware {
    typealias Context = ControlRequestContext
    let limiter: RateLimiter

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        switch limiter.acquire(client: context.client) {
        case .allowed:
            return try await next(request, context)
        case .limited(let retryAfter):
            throw APIError(status: .tooManyRequests, code: "rate_limited",
                           message: "more than \(limiter.limitPerMinute) requests per minute from \(context.client); retry in \(retryAfter) s",
                           retryAfter: retryAfter)
        }
    }
}
