// Redis for the tests: the server `make test` started (QUANTUM_AGENT_REDIS_URL, see
// scripts/with-redis.sh), or a private redis-server on a free loopback port, stopped when
// the test ends. Shared by every test target that talks to Redis.

import Foundation
import Protocols
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

public enum TestRedis {
    /// The environment variable naming the shared server.
    public static let urlVariable = "QUANTUM_AGENT_REDIS_URL"

    /// Runs `body` against the shared server if the environment names one, else against a
    /// private server that lives for the duration of `body`.
    public static func with<T>(_ body: (RedisConfiguration) throws -> T) throws -> T {
        if let url = sharedURL { return try body(try RedisConfiguration(url: url)) }
        let server = try RedisServerProcess()
        defer { server.stop() }
        return try body(server.configuration)
    }

    /// Async form of ``with(_:)``.
    public static func withAsync<T>(_ body: (RedisConfiguration) async throws -> T) async throws -> T {
        if let url = sharedURL { return try await body(try RedisConfiguration(url: url)) }
        let server = try RedisServerProcess()
        defer { server.stop() }
        return try await body(server.configuration)
    }

    /// A key prefix unique to one test (ends with `:`), so tests can share one server.
    public static func prefix(_ name: String) -> String {
        "test:\(name):\(getpid()):\(UInt32.random(in: 0...UInt32.max)):"
    }

    private static var sharedURL: String? {
        guard let url = ProcessInfo.processInfo.environment[urlVariable], !url.isEmpty else { return nil }
        return url
    }
}

/// Thread-safe log of events delivered by reader threads.
public final class EventLog<Event: Sendable>: Sendable {
    private let events = Mutex<[Event]>([])

    public init() {}

    public func append(_ event: Event) { events.withLock { $0.append(event) } }

    public var all: [Event] { events.withLock { $0 } }

    /// Polls (1 ms) until `predicate` holds over the events so far; gives up after
    /// `seconds` (a guard against hanging, not a timing assertion). Blocks the calling
    /// thread: call it from synchronous tests only.
    @discardableResult
    public func wait(seconds: Double = 30, until predicate: ([Event]) -> Bool) -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if predicate(all) { return true }
            usleep(1000)
        }
        return predicate(all)
    }
}
