import Foundation
import Logging
import Protocols

/// A Redis stream as a market feed (the feed of cluster mode: every agent reads the same
/// stream, or shares it through a consumer group).
///
/// Entry format (one tick per entry; see ``parse(_:)``): either a field `line` holding one
/// feed line as ``FeedLineParser`` reads it (CSV `timestamp,symbol,price,size[,bid,ask]` or a
/// JSON object), or the fields `symbol`, `price`, `size`, optional `ts` (or `timestamp`;
/// epoch s/ms/µs/ns or ISO 8601; default: the milliseconds of the entry ID) and optional
/// `bid` and `ask` (both or neither). Other fields are ignored.
///
/// Reading: without a group, `XREAD BLOCK` from `start` (`$` = entries added after the feed
/// first connects, resolved to the stream's last ID then; an ID = entries after it). With a
/// group, `XREADGROUP` as `consumer` (the group is created at `start` if missing, with
/// MKSTREAM) and `XACK` after each batch is handed on, so several agents share the stream.
/// When Redis goes away the feed reconnects with backoff and resumes after the last entry
/// it handed on: nothing lost, nothing twice (in a group, its own pending entries up to that
/// ID are acknowledged without being handed on again; a group lost with a Redis restart
/// without persistence is re-created at that ID). Each read blocks at most `blockMs`
/// (≤ 200 ms), so `shouldStop()` is seen promptly. Runs on the calling thread (the feed
/// thread), which owns the connection.
public final class RedisStreamFeed: MarketSource, @unchecked Sendable {
    // @unchecked: immutable after init; `run` is called on one thread at a time and creates
    // the (non-Sendable) connection it uses on that thread.

    /// What to read and how.
    public struct Configuration: Sendable, Equatable {
        /// Stream key.
        public var stream: String
        /// `$` (entries added after the first connect) or an entry ID (`ms` or `ms-seq`;
        /// entries after it, `0` = the whole stream). With a group: where a new group starts.
        public var start: String
        /// Consumer group; nil reads the whole stream with XREAD.
        public var group: String?
        /// This consumer's name within the group (unique per agent).
        public var consumer: String
        /// Entries per read.
        public var count: Int
        /// BLOCK time per read, ms (clamped to 1...200).
        public var blockMs: Int
        /// Delays between reconnect attempts.
        public var backoff: ReconnectBackoff

        public init(stream: String, start: String = "$", group: String? = nil, consumer: String = RedisStreamFeed.defaultConsumer,
                    count: Int = 256, blockMs: Int = 100, backoff: ReconnectBackoff = ReconnectBackoff()) {
            self.stream = stream
            self.start = start
            self.group = group
            self.consumer = consumer
            self.count = count
            self.blockMs = blockMs
            self.backoff = backoff
        }
    }

    /// `HOST-PID`: a consumer name unique per agent process.
    public static var defaultConsumer: String {
        let host = ProcessInfo.processInfo.hostName.split(separator: ".").first.map(String.init) ?? "agent"
        return "\(host)-\(getpid())"
    }

    public let redis: RedisConfiguration
    public let configuration: Configuration
    public let symbols: [String]
    let logger: Logger
    public var name: String { "redis:\(configuration.stream)" }

    /// - Throws: `MarketError.invalidSpecification` for an empty stream, group or consumer name,
    ///   or a start that is neither `$` nor an entry ID.
    public init(redis: RedisConfiguration, configuration: Configuration, symbols: [String],
                logger: Logger = Logger(label: "quantum-agent.feed")) throws(MarketError) {
        guard !configuration.stream.isEmpty else { throw .invalidSpecification("redis feed: the stream name is empty") }
        guard configuration.start == "$" || RedisStreamID(configuration.start) != nil else {
            throw .invalidSpecification("redis feed \(configuration.stream): start '\(configuration.start)' is neither $ nor an entry ID (ms or ms-seq)")
        }
        if let group = configuration.group, group.isEmpty {
            throw .invalidSpecification("redis feed \(configuration.stream): the group name is empty")
        }
        guard !configuration.consumer.isEmpty else {
            throw .invalidSpecification("redis feed \(configuration.stream): the consumer name is empty")
        }
        var configuration = configuration
        configuration.blockMs = min(max(configuration.blockMs, 1), 200)
        configuration.count = max(configuration.count, 1)
        var redis = redis
        // Bounded so a stop request is seen within ~0.5 s even while connecting.
        redis.connectTimeoutMs = min(max(redis.connectTimeoutMs, 1), 500)
        // A read timeout kills the connection: keep it well above the BLOCK time.
        if redis.readTimeoutMs > 0 { redis.readTimeoutMs = max(redis.readTimeoutMs, configuration.blockMs + 1000) }
        self.redis = redis
        self.configuration = configuration
        self.symbols = symbols
        self.logger = logger
    }

    /// Reads until `shouldStop()`; reconnects with backoff on connection errors and on
    /// transient server replies (LOADING, BUSY, TRYAGAIN, MASTERDOWN).
    /// - Throws: `MarketError.cannotOpen` on any other server error (e.g. WRONGTYPE: the key
    ///   is not a stream; a refused AUTH).
    public func run(emit: (RawTick) -> Void, malformed: (String) -> Void, shouldStop: () -> Bool) throws(MarketError) {
        var reader = Reader(feed: self, connection: RedisConnection(configuration: redis))
        defer { reader.connection.close() }
        var backoff = configuration.backoff
        var failures = 0
        while !shouldStop() {
            do throws(RedisError) {
                try reader.prepare(emit: emit, malformed: malformed)
                logger.info("feed connected", metadata: [
                    "feed": "\(name)", "redis": "\(redis.host):\(redis.port)", "after_id": "\(reader.lastID?.description ?? "-")",
                    "group": "\(configuration.group ?? "-")", "failed_attempts": "\(failures)",
                ])
                backoff.reset()
                failures = 0
                while !shouldStop() { try reader.readOnce(emit: emit, malformed: malformed) }
            } catch {
                reader.connection.close()
                if shouldStop() { break }
                guard Self.isTransient(error) else { throw .cannotOpen(source: name, reason: "\(error)") }
                failures += 1
                let delay = backoff.nextDelayNs()
                if failures == 1 {
                    logger.warning("feed lost Redis; reconnecting with backoff", metadata: [
                        "feed": "\(name)", "error": "\(error)", "backoff_ms": "\(delay / 1_000_000)",
                    ])
                } else {
                    logger.debug("feed reconnect failed", metadata: ["feed": "\(name)", "error": "\(error)", "attempt": "\(failures)"])
                }
                Self.sleep(ns: delay, shouldStop: shouldStop)
            }
        }
    }

    /// Whether an error is worth a reconnect rather than the end of the feed.
    static func isTransient(_ error: RedisError) -> Bool {
        if error.isConnectionError { return true }
        if case .server(_, let message) = error {
            return RedisReply.isTransient(errorMessage: message) || message.hasPrefix("NOGROUP")
        }
        return false
    }

    /// Sleeps `ns` in steps of at most 50 ms, returning early once `shouldStop()`.
    static func sleep(ns: UInt64, shouldStop: () -> Bool) {
        var left = ns
        while left > 0 && !shouldStop() {
            let step = min(left, 50_000_000)
            usleep(UInt32(step / 1000))
            left -= step
        }
    }
}

extension RedisStreamFeed {
    /// The read state of one `run`: the connection and the last entry handed on.
    struct Reader {
        let feed: RedisStreamFeed
        let connection: RedisConnection
        /// The last entry handed on (emitted or reported malformed); reads resume after it.
        var lastID: RedisStreamID?

        var configuration: Configuration { feed.configuration }
        var stream: String { configuration.stream }

        /// After a (re)connect: resolves the start (no group), or makes sure the group exists
        /// and takes care of this consumer's pending entries (group).
        mutating func prepare(emit: (RawTick) -> Void, malformed: (String) -> Void) throws(RedisError) {
            try connection.connect()
            guard let group = configuration.group else {
                if lastID == nil { lastID = try resolveStart() }
                return
            }
            try connection.xgroupCreate(stream, group: group, startID: lastID?.description ?? configuration.start)
            var cursor = "0"
            while true {
                let pending = try connection.xreadgroup(stream, group: group, consumer: configuration.consumer,
                                                        count: configuration.count, id: cursor)
                guard let last = pending.last else { return }
                try deliver(pending, group: group, emit: emit, malformed: malformed)
                cursor = last.id
            }
        }

        /// One blocking read (≤ `blockMs`) and the delivery of what it returned.
        mutating func readOnce(emit: (RawTick) -> Void, malformed: (String) -> Void) throws(RedisError) {
            if let group = configuration.group {
                let entries: [StreamEntry]
                do {
                    entries = try connection.xreadgroup(stream, group: group, consumer: configuration.consumer,
                                                        count: configuration.count, blockMs: configuration.blockMs)
                } catch let .server(_, message) where message.hasPrefix("NOGROUP") {
                    // Redis restarted without persistence: the group is gone; resume after our last entry.
                    try connection.xgroupCreate(stream, group: group, startID: lastID?.description ?? configuration.start)
                    return
                }
                try deliver(entries, group: group, emit: emit, malformed: malformed)
            } else {
                let after = lastID ?? RedisStreamID(milliseconds: 0, sequence: 0)
                let reply = try connection.command([
                    "XREAD", "COUNT", RedisArgument(configuration.count), "BLOCK", RedisArgument(configuration.blockMs),
                    "STREAMS", RedisArgument(stream), RedisArgument(after.description),
                ])
                guard let entries = RedisStreamFeed.entries(ofRead: reply) else {
                    throw .unexpectedReply(command: "XREAD", reply: reply.description)
                }
                try deliver(entries, group: nil, emit: emit, malformed: malformed)
            }
        }

        /// Hands entries on in order (skipping those at or before `lastID`: already handed on
        /// before a reconnect), then acknowledges the batch in a group.
        private mutating func deliver(_ entries: [StreamEntry], group: String?, emit: (RawTick) -> Void,
                                      malformed: (String) -> Void) throws(RedisError) {
            for entry in entries {
                guard let id = RedisStreamID(entry.id) else { continue }
                if let lastID, id <= lastID { continue }
                // An entry deleted while pending comes back without fields: nothing to hand on.
                if !entry.fields.isEmpty {
                    switch RedisStreamFeed.parse(entry) {
                    case .success(let raw): emit(raw)
                    case .failure(let problem): malformed("\(feed.name): entry \(entry.id): \(problem.reason)")
                    }
                }
                lastID = id
            }
            if let group, !entries.isEmpty {
                try connection.xack(stream, group: group, ids: entries.map(\.id))
            }
        }

        /// `$` → the stream's last generated ID (0-0 when the stream does not exist yet); an ID → itself.
        private func resolveStart() throws(RedisError) -> RedisStreamID {
            if configuration.start != "$" {
                return RedisStreamID(configuration.start) ?? RedisStreamID(milliseconds: 0, sequence: 0)
            }
            let reply = try connection.send(["XINFO", "STREAM", RedisArgument(stream)])
            if let message = reply.errorMessage {
                if message.contains("no such key") { return RedisStreamID(milliseconds: 0, sequence: 0) }
                throw .server(command: "XINFO", message: message)
            }
            guard let id = RedisStreamFeed.lastGeneratedID(ofInfo: reply) else {
                throw .unexpectedReply(command: "XINFO", reply: reply.description)
            }
            return id
        }
    }
}
