// Consumer-group reader of one stream on a dedicated thread.

/// Reads a stream through a consumer group with `XREADGROUP ... BLOCK` on a connection and
/// a pthread of its own, delivering entries to a handler on that thread.
///
/// At-least-once: after every (re)connect it first re-reads this consumer's pending
/// entries (ID `0`), then new ones (`>`). The handler's owner acknowledges with `XACK`
/// on its own connection once an entry is applied. The group is created with MKSTREAM
/// if missing, and re-created if Redis lost it (`NOGROUP` after a restart without
/// persistence).
public final class RedisStreamConsumer: Sendable {
    /// What to read and how.
    public struct Configuration: Sendable, Equatable {
        /// Stream key.
        public var stream: String
        /// Consumer group.
        public var group: String
        /// This consumer's name (unique per agent).
        public var consumer: String
        /// Entries per XREADGROUP.
        public var count: Int
        /// BLOCK time per read, ms (the thread checks for stop between reads).
        public var blockMs: Int
        /// ID the group starts from when created (`$` = only new entries, `0` = all).
        public var groupStartID: String

        public init(stream: String, group: String, consumer: String, count: Int = 64, blockMs: Int = 1000, groupStartID: String = "0") {
            self.stream = stream
            self.group = group
            self.consumer = consumer
            self.count = count
            self.blockMs = blockMs
            self.groupStartID = groupStartID
        }
    }

    private let control = ReaderControl()
    private let thread: ReaderThread

    /// Starts the consumer thread at once. The connection's read timeout is raised to at
    /// least `blockMs + 1000` so a BLOCK never trips it.
    /// - Throws: `RedisError.threadStartFailed`.
    public init(
        redis: RedisConfiguration, consumer: Configuration, backoff: ReconnectBackoff = ReconnectBackoff(),
        handler: @escaping @Sendable (RedisStreamConsumerEvent) -> Void
    ) throws(RedisError) {
        var redis = redis
        if redis.readTimeoutMs > 0 { redis.readTimeoutMs = max(redis.readTimeoutMs, consumer.blockMs + 1000) }
        let control = self.control
        thread = try ReaderThread { [redis] in
            Self.run(redis: redis, consumer: consumer, backoff: backoff, control: control, handler: handler)
        }
    }

    deinit { stop() }

    /// Stops the thread and waits for it (idempotent). Do not call from the handler.
    public func stop() {
        control.requestStop()
        thread.join()
    }

    private static func run(
        redis: RedisConfiguration, consumer c: Configuration, backoff initial: ReconnectBackoff,
        control: ReaderControl, handler: @Sendable (RedisStreamConsumerEvent) -> Void
    ) {
        let connection = RedisConnection(configuration: redis)
        connection.willClose = { control.withdraw() }
        var backoff = initial
        var connectedBefore = false
        while !control.isStopping {
            do throws(RedisError) {
                try connection.connect()
                guard control.publish(fd: connection.fileDescriptor) else { break }
                try connection.xgroupCreate(c.stream, group: c.group, startID: c.groupStartID)
                handler(.connected(reconnected: connectedBefore))
                connectedBefore = true
                backoff.reset()
                var cursor = "0"
                while !control.isStopping {
                    let batch = try connection.xreadgroup(c.stream, group: c.group, consumer: c.consumer, count: c.count, id: cursor)
                    if batch.isEmpty { break }
                    handler(.entries(batch, pending: true))
                    cursor = batch[batch.count - 1].id
                }
                while !control.isStopping {
                    let entries = try readNew(connection, c)
                    if !entries.isEmpty { handler(.entries(entries, pending: false)) }
                }
            } catch {
                connection.close()
                if control.isStopping { break }
                handler(.disconnected(error))
                control.sleep(ns: backoff.nextDelayNs())
            }
        }
        connection.close()
    }

    private static func readNew(_ connection: RedisConnection, _ c: Configuration) throws(RedisError) -> [StreamEntry] {
        do {
            return try connection.xreadgroup(c.stream, group: c.group, consumer: c.consumer, count: c.count, blockMs: c.blockMs)
        } catch let .server(_, message) where message.hasPrefix("NOGROUP") {
            try connection.xgroupCreate(c.stream, group: c.group, startID: c.groupStartID)
            return []
        }
    }
}
