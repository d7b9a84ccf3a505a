// Process lifecycle on swift-service-lifecycle: SIGTERM or SIGINT → graceful shutdown of every
// service (the HTTP control plane stops accepting, in-flight requests finish) and one shutdown
// callback (stop feeds, drain mailboxes, flush the journal, close Redis), bounded by a deadline
// after which the group cancels what is left. `quantum-agent run` then exits 0.

import Logging
import ServiceLifecycle
import UnixSignals

/// Runs the agent's services until a signal, then shuts down in order.
enum AgentLifecycle {
    /// Blocks until SIGTERM/SIGINT (or `services` all end), then runs `shutdown`.
    /// - Parameters:
    ///   - services: long-running services (e.g. `ControlServer.makeApplication()`), shut down gracefully.
    ///   - deadlineSeconds: the whole shutdown must finish within this (seed/issue: 5 s); past it
    ///     the remaining services are cancelled.
    ///   - shutdown: stop feeds, drain, flush the journal, close Redis. Called once.
    /// - Throws: what a service throws (a bind failure at start, for example).
    static func run(services: [any Service], logger: Logger, deadlineSeconds: Int = 5,
                    signals: [UnixSignal] = [.sigterm, .sigint],
                    shutdown: @escaping @Sendable () async -> Void) async throws {
        try await run(configurations: services.map { ServiceGroupConfiguration.ServiceConfiguration(service: $0) },
                      logger: logger, deadlineSeconds: deadlineSeconds, signals: signals, shutdown: shutdown)
    }

    /// As `run(services:…)`, with each service's termination behaviour (a service that ends
    /// with `.gracefullyShutdownGroup` stops the agent like a signal does).
    static func run(configurations: [ServiceGroupConfiguration.ServiceConfiguration], logger: Logger,
                    deadlineSeconds: Int = 5, signals: [UnixSignal] = [.sigterm, .sigint],
                    shutdown: @escaping @Sendable () async -> Void) async throws {
        var configuration = ServiceGroupConfiguration(
            services: configurations
                + [.init(service: ShutdownHook(logger: logger, action: shutdown),
                         successTerminationBehavior: .gracefullyShutdownGroup)],
            gracefulShutdownSignals: signals, cancellationSignals: [], logger: logger)
        configuration.maximumGracefulShutdownDuration = .seconds(deadlineSeconds)
        // No fatalError when cancelled work overruns (ServiceGroup would crash the process): the
        // shutdown steps are bounded by their own timeouts.
        configuration.maximumCancellationDuration = nil
        try await ServiceGroup(configuration: configuration).run()
    }
}

/// A service that waits for graceful shutdown, then runs the agent's shutdown callback.
struct ShutdownHook: Service {
    let logger: Logger
    let action: @Sendable () async -> Void

    func run() async throws {
        do {
            try await gracefulShutdown()
        } catch {
            // Cancelled (the deadline passed or the group failed): still release what we can.
        }
        logger.notice("shutdown: stopping feeds, draining, flushing the journal, closing Redis")
        await action()
        logger.notice("shutdown complete")
    }
}
