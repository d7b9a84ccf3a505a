// EVALSHA with SCRIPT LOAD and NOSCRIPT fallback.

extension RedisConnection {
    /// `SCRIPT LOAD`; returns the SHA1 the server computed.
    @discardableResult
    public func scriptLoad(_ script: RedisScript) throws(RedisError) -> String {
        let reply = try command(["SCRIPT", "LOAD", RedisArgument(script.source)])
        guard let sha = reply.string else { throw .unexpectedReply(command: "SCRIPT LOAD", reply: reply.description) }
        return sha
    }

    /// `EVALSHA sha numkeys keys... args...`; on `NOSCRIPT` (e.g. after a Redis restart)
    /// loads the script and retries once.
    /// - Throws: `.server` for a script error, or a connection error.
    public func evalsha(_ script: RedisScript, keys: [RedisArgument], arguments: [RedisArgument]) throws(RedisError) -> RedisReply {
        let args: [RedisArgument] = ["EVALSHA", RedisArgument(script.sha1), RedisArgument(keys.count)] + keys + arguments
        let reply = try send(args)
        if let message = reply.errorMessage {
            guard message.hasPrefix("NOSCRIPT") else { throw .server(command: "EVALSHA", message: message) }
            try scriptLoad(script)
            return try command(args)
        }
        return reply
    }
}
