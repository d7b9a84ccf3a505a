// Redis for the tests: the server `make test` started (QUANTUM_AGENT_REDIS_URL), or a
// private redis-server on a free loopback port, stopped when the test ends.

import Foundation
import Protocols
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

enum TestRedis {
    static let urlVariable = "QUANTUM_AGENT_REDIS_URL"

    /// Runs `body` against the shared server if the environment names one, else against a
    /// private server that lives for the duration of `body`.
    static func with<T>(_ body: (RedisConfiguration) throws -> T) throws -> T {
        if let url = ProcessInfo.processInfo.environment[urlVariable], !url.isEmpty {
            return try body(try RedisConfiguration(url: url))
        }
        let server = try RedisServerProcess()
        defer { server.stop() }
        return try body(server.configuration)
    }

    /// A key prefix unique to one test, so tests can share one server.
    static func prefix(_ name: String) -> String {
        "test:\(name):\(getpid()):\(UInt32.random(in: 0...UInt32.max)):"
    }
}


extension TestRedis {
    /// Async form of ``with(_:)``.
    static func withAsync<T>(_ body: (RedisConfiguration) async throws -> T) async throws -> T {
        if let url = ProcessInfo.processInfo.environment[urlVariable], !url.isEmpty {
            return try await body(try RedisConfiguration(url: url))
        }
        let server = try RedisServerProcess()
        defer { server.stop() }
        return try await body(server.configuration)
    }
}

/// Thread-safe log of events delivered by reader threads.
final class EventLog<Event: Sendable>: Sendable {
    private let events = Mutex<[Event]>([])

    func append(_ event: Event) { events.withLock { $0.append(event) } }

    var all: [Event] { events.withLock { $0 } }
}
