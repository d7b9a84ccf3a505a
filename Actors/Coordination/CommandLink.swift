// The Coordination actor's own command connection, with fail-fast reconnect pacing.

import Protocols

/// A ``RedisConnection`` for short commands, used only on the Coordination actor's
/// executor (hence not `Sendable`). After a connection error further commands fail at
/// once until the backoff delay has passed, so an unreachable Redis costs at most one
/// connect timeout per backoff step instead of one per command.
final class CommandLink {
    let connection: RedisConnection
    private var backoff: ReconnectBackoff
    private var retryAtNs: UInt64 = 0
    /// Commands that failed.
    private(set) var failures: UInt64 = 0

    init(configuration: RedisConfiguration, backoff: ReconnectBackoff) {
        connection = RedisConnection(configuration: configuration)
        self.backoff = backoff
    }

    /// Runs `body` on the connection unless backing off.
    /// - Throws: the body's `RedisError`, or `.connectionLost` while backing off.
    func run<R>(nowNs: UInt64, _ body: (RedisConnection) throws(RedisError) -> R) throws(RedisError) -> R {
        if !connection.isConnected, nowNs < retryAtNs {
            failures += 1
            throw .connectionLost(reason: "reconnect backoff, next attempt in \((retryAtNs - nowNs) / 1_000_000) ms")
        }
        do {
            let result = try body(connection)
            backoff.reset()
            return result
        } catch {
            failures += 1
            if error.isConnectionError {
                connection.close()
                retryAtNs = nowNs + backoff.nextDelayNs()
            }
            throw error
        }
    }

    func close() { connection.close() }
}
