// A RedisConnection shared between threads behind a lock.

import Synchronization

/// A ``RedisConnection`` that several threads may use: every use holds a mutex, so commands
/// never interleave on the socket. For blocking reads use ``RedisSubscriber`` or
/// ``RedisStreamConsumer`` instead (holding this lock through a BLOCK would stall the others).
public final class LockedRedisConnection: Sendable {
    private let connection: Mutex<RedisConnection>

    public init(configuration: RedisConfiguration) {
        connection = Mutex(RedisConnection(configuration: configuration))
    }

    /// Runs `body` with exclusive use of the connection.
    public func withConnection<R: Sendable>(_ body: (RedisConnection) throws(RedisError) -> R) throws(RedisError) -> R {
        try connection.withLock { (connection: inout RedisConnection) throws(RedisError) -> R in
            try body(connection)
        }
    }

    /// One command under the lock (see ``RedisConnection/command(_:)-([RedisArgument])``).
    @discardableResult
    public func command(_ arguments: [RedisArgument]) throws(RedisError) -> RedisReply {
        try withConnection { connection throws(RedisError) in try connection.command(arguments) }
    }
}
