// Stream commands: XADD, XGROUP CREATE, XREADGROUP, XACK, XAUTOCLAIM.

extension RedisConnection {
    /// `XADD key MAXLEN ~ maxLength * field value ...`; returns the new entry ID.
    /// - Parameter maxLength: approximate cap on the stream length (`MAXLEN ~`); `nil` for none.
    public func xadd(_ key: String, maxLength: Int? = nil, fields: [(String, [UInt8])]) throws(RedisError) -> String {
        var args: [RedisArgument] = ["XADD", RedisArgument(key)]
        if let maxLength { args += ["MAXLEN", "~", RedisArgument(maxLength)] }
        args.append("*")
        for (name, value) in fields {
            args.append(RedisArgument(name))
            args.append(RedisArgument(bytes: value))
        }
        let reply = try command(args)
        guard let id = reply.string else { throw .unexpectedReply(command: "XADD", reply: reply.description) }
        return id
    }

    /// `XGROUP CREATE key group startID MKSTREAM`. Returns `false` if the group already existed.
    @discardableResult
    public func xgroupCreate(_ key: String, group: String, startID: String = "$") throws(RedisError) -> Bool {
        let reply = try send(["XGROUP", "CREATE", RedisArgument(key), RedisArgument(group), RedisArgument(startID), "MKSTREAM"])
        if let message = reply.errorMessage {
            if message.hasPrefix("BUSYGROUP") { return false }
            throw .server(command: "XGROUP", message: message)
        }
        return true
    }

    /// `XREADGROUP GROUP group consumer COUNT count [BLOCK ms] STREAMS key id`.
    ///
    /// `id` is `>` for new entries or `0` for this consumer's pending ones. With `blockMs`
    /// the call blocks: only from a dedicated thread (see ``RedisStreamConsumer``), and with
    /// a read timeout longer than `blockMs` (or 0).
    public func xreadgroup(
        _ key: String, group: String, consumer: String, count: Int = 64, blockMs: Int? = nil, id: String = ">"
    ) throws(RedisError) -> [StreamEntry] {
        var args: [RedisArgument] = ["XREADGROUP", "GROUP", RedisArgument(group), RedisArgument(consumer), "COUNT", RedisArgument(count)]
        if let blockMs { args += ["BLOCK", RedisArgument(blockMs)] }
        args += ["STREAMS", RedisArgument(key), RedisArgument(id)]
        let reply = try command(args)
        if reply == .null { return [] }
        guard let streams = reply.array else { throw .unexpectedReply(command: "XREADGROUP", reply: reply.description) }
        var entries: [StreamEntry] = []
        for stream in streams {
            guard let pair = stream.array, pair.count == 2, let list = pair[1].array else {
                throw .unexpectedReply(command: "XREADGROUP", reply: stream.description)
            }
            for item in list {
                guard let entry = StreamEntry(reply: item) else {
                    throw .unexpectedReply(command: "XREADGROUP", reply: item.description)
                }
                entries.append(entry)
            }
        }
        return entries
    }

    /// `XACK key group id ...`; returns how many were acknowledged.
    @discardableResult
    public func xack(_ key: String, group: String, ids: [String]) throws(RedisError) -> Int {
        guard !ids.isEmpty else { return 0 }
        let reply = try command(["XACK", RedisArgument(key), RedisArgument(group)] + ids.map { RedisArgument($0) })
        guard let count = reply.integer else { throw .unexpectedReply(command: "XACK", reply: reply.description) }
        return Int(count)
    }

    /// Result of ``xautoclaim(_:group:consumer:minIdleMs:start:count:)``.
    public struct AutoClaim: Sendable, Equatable {
        /// Cursor for the next call (`0-0` when the scan is complete).
        public var nextStart: String
        /// Entries now owned by the claiming consumer.
        public var entries: [StreamEntry]
        /// IDs that were pending but no longer exist in the stream (Redis 7).
        public var deletedIDs: [String]
    }

    /// `XAUTOCLAIM key group consumer minIdleMs start COUNT count`: takes over entries
    /// pending longer than `minIdleMs` (e.g. those of a dead agent).
    public func xautoclaim(
        _ key: String, group: String, consumer: String, minIdleMs: Int, start: String = "0-0", count: Int = 100
    ) throws(RedisError) -> AutoClaim {
        let reply = try command([
            "XAUTOCLAIM", RedisArgument(key), RedisArgument(group), RedisArgument(consumer),
            RedisArgument(minIdleMs), RedisArgument(start), "COUNT", RedisArgument(count),
        ])
        guard let parts = reply.array, parts.count >= 2, let next = parts[0].string, let list = parts[1].array else {
            throw .unexpectedReply(command: "XAUTOCLAIM", reply: reply.description)
        }
        var entries: [StreamEntry] = []
        for item in list where item != .null {
            guard let entry = StreamEntry(reply: item) else {
                throw .unexpectedReply(command: "XAUTOCLAIM", reply: item.description)
            }
            entries.append(entry)
        }
        let deleted = parts.count > 2 ? (parts[2].array ?? []).compactMap(\.string) : []
        return AutoClaim(nextStart: next, entries: entries, deletedIDs: deleted)
    }
}
