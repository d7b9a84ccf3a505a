// Synchronous Redis connection over hiredis 0.14 (argv commands only, binary-safe).

import CHiredis
#if canImport(Glibc)
import Glibc
#endif

/// One synchronous Redis connection.
///
/// Thread-safety invariant: a `RedisConnection` is NOT thread-safe and is not `Sendable`.
/// It must be used by one thread at a time — its owning actor, or the dedicated reader
/// thread that created it. Blocking commands (`XREADGROUP BLOCK`, `SUBSCRIBE`) must
/// never run on Swift's cooperative pool: use ``RedisSubscriber`` or
/// ``RedisStreamConsumer``, which own a connection on a pthread of their own.
///
/// Every command goes through `redisCommandArgv` / `redisAppendCommandArgv` with
/// explicit lengths; the reply tree is copied into ``RedisReply`` and freed at once.
/// A NULL reply means the connection is dead: the context is freed, the call throws a
/// connection error, and the next command reconnects (one attempt; pace retries with
/// ``ReconnectBackoff``).
public final class RedisConnection {
    /// Settings used for every (re)connect.
    public let configuration: RedisConfiguration
    private var context: UnsafeMutablePointer<redisContext>?
    /// Called just before the socket is closed (reader threads withdraw the descriptor
    /// they expose for `shutdown`, so a stop request never touches a reused descriptor).
    var willClose: (() -> Void)?

    /// Creates a connection object; no I/O until ``connect()`` or the first command.
    public init(configuration: RedisConfiguration) {
        self.configuration = configuration
    }

    deinit {
        if let context { redisFree(context) }
    }

    /// Whether a live context is held (it may still turn out dead on the next read).
    public var isConnected: Bool { context != nil }

    /// The socket descriptor, or -1 (used by reader threads to `shutdown` a blocked read).
    var fileDescriptor: Int32 { context.map { $0.pointee.fd } ?? -1 }

    /// Connects (if not connected), authenticates and selects the database.
    /// - Throws: `.connectFailed`, `.authenticationFailed`, `.server`.
    public func connect() throws(RedisError) {
        guard context == nil else { return }
        let timeout = Self.timeval(ms: configuration.connectTimeoutMs)
        guard let newContext = redisConnectWithTimeout(configuration.host, Int32(configuration.port), timeout) else {
            throw .connectFailed(host: configuration.host, port: configuration.port, reason: "out of memory")
        }
        if newContext.pointee.err != 0 {
            let reason = Self.errorString(newContext)
            redisFree(newContext)
            throw .connectFailed(host: configuration.host, port: configuration.port, reason: reason)
        }
        if configuration.readTimeoutMs > 0 {
            _ = redisSetTimeout(newContext, Self.timeval(ms: configuration.readTimeoutMs))
        }
        context = newContext
        do throws(RedisError) {
            if let password = configuration.password {
                var args: [RedisArgument] = ["AUTH"]
                if let username = configuration.username { args.append(RedisArgument(username)) }
                args.append(RedisArgument(password))
                let reply = try send(args)
                if let message = reply.errorMessage { throw .authenticationFailed(message: message) }
            }
            if configuration.database != 0 {
                _ = try command(["SELECT", RedisArgument(configuration.database)])
            }
        } catch {
            close()
            throw error
        }
    }

    /// Closes the connection (idempotent).
    public func close() {
        if let context {
            willClose?()
            redisFree(context)
        }
        context = nil
    }

    /// Runs one command and returns its reply.
    /// - Throws: `.server` for an error reply, or a connection error (then the connection is closed).
    @discardableResult
    public func command(_ arguments: [RedisArgument]) throws(RedisError) -> RedisReply {
        let reply = try send(arguments)
        if let message = reply.errorMessage {
            throw .server(command: Self.name(arguments), message: message)
        }
        return reply
    }

    /// Variadic convenience for ``command(_:)-([RedisArgument])``.
    @discardableResult
    public func command(_ arguments: RedisArgument...) throws(RedisError) -> RedisReply {
        try command(arguments)
    }

    /// Runs one command and returns its reply as is, error replies included.
    public func send(_ arguments: [RedisArgument]) throws(RedisError) -> RedisReply {
        try connect()
        guard let context else { throw .connectionLost(reason: "no context") }
        let raw = Self.withArgv(arguments) { argc, argv, lengths in
            redisCommandArgv(context, argc, argv, lengths)
        }
        return try consume(raw)
    }

    /// Sends all commands in one write (`redisAppendCommandArgv`) and reads all replies
    /// (`redisGetReply`), in order. Error replies are returned in place, not thrown.
    /// - Throws: a connection error if the connection dies (the connection is then closed).
    public func pipeline(_ commands: [[RedisArgument]]) throws(RedisError) -> [RedisReply] {
        try connect()
        guard let context else { throw .connectionLost(reason: "no context") }
        for arguments in commands {
            let status = Self.withArgv(arguments) { argc, argv, lengths in
                redisAppendCommandArgv(context, argc, argv, lengths)
            }
            guard status == REDIS_OK else { throw dead() }
        }
        var replies: [RedisReply] = []
        replies.reserveCapacity(commands.count)
        for _ in commands {
            replies.append(try readReply())
        }
        return replies
    }

    /// Queues a command without reading its reply (`redisAppendCommandArgv`); the next
    /// ``readReply()`` writes the queue out.
    func append(_ arguments: [RedisArgument]) throws(RedisError) {
        try connect()
        guard let context else { throw .connectionLost(reason: "no context") }
        let status = Self.withArgv(arguments) { argc, argv, lengths in
            redisAppendCommandArgv(context, argc, argv, lengths)
        }
        guard status == REDIS_OK else { throw dead() }
    }

    /// Reads the next reply from the socket (pub/sub messages, pipelined replies).
    /// Blocks up to the read timeout — call only from a dedicated thread.
    func readReply() throws(RedisError) -> RedisReply {
        guard let context else { throw .connectionLost(reason: "not connected") }
        var raw: UnsafeMutableRawPointer?
        guard redisGetReply(context, &raw) == REDIS_OK else { throw dead() }
        return try consume(raw)
    }

    /// Copies and frees a reply; a NULL reply closes the connection and throws.
    private func consume(_ raw: UnsafeMutableRawPointer?) throws(RedisError) -> RedisReply {
        guard let raw else { throw dead() }
        let reply = RedisReply(copying: raw.assumingMemoryBound(to: redisReply.self))
        freeReplyObject(raw)
        return reply
    }

    /// Builds the error for a dead context and closes it.
    private func dead() -> RedisError {
        let error: RedisError
        if let context {
            let reason = Self.errorString(context)
            let eagain = String(cString: strerror(EAGAIN))
            error = reason == eagain && configuration.readTimeoutMs > 0
                ? .readTimeout(ms: configuration.readTimeoutMs)
                : .connectionLost(reason: reason.isEmpty ? "connection closed" : reason)
        } else {
            error = .connectionLost(reason: "not connected")
        }
        close()
        return error
    }

    static func name(_ arguments: [RedisArgument]) -> String {
        guard let first = arguments.first else { return "(empty)" }
        return String(decoding: first.bytes.prefix(32), as: UTF8.self).uppercased()
    }

    private static func errorString(_ context: UnsafeMutablePointer<redisContext>) -> String {
        withUnsafeBytes(of: context.pointee.errstr) { raw in
            let bytes = raw.prefix { $0 != 0 }
            return String(decoding: bytes, as: UTF8.self)
        }
    }

    static func timeval(ms: Int) -> Glibc.timeval {
        Glibc.timeval(tv_sec: ms / 1000, tv_usec: (ms % 1000) * 1000)
    }

    /// Lays the arguments out in one buffer and calls `body` with argc, argv and lengths.
    private static func withArgv<R>(
        _ arguments: [RedisArgument],
        _ body: (Int32, UnsafeMutablePointer<UnsafePointer<CChar>?>, UnsafePointer<Int>) -> R
    ) -> R {
        var flat: [UInt8] = []
        var offsets: [Int] = []
        var lengths: [Int] = []
        offsets.reserveCapacity(arguments.count)
        lengths.reserveCapacity(arguments.count)
        for argument in arguments {
            offsets.append(flat.count)
            lengths.append(argument.bytes.count)
            flat.append(contentsOf: argument.bytes)
        }
        flat.append(0)  // never empty, so the base address exists
        return flat.withUnsafeBufferPointer { buffer in
            let base = UnsafeRawPointer(buffer.baseAddress!)  // non-empty array: never nil
            var pointers: [UnsafePointer<CChar>?] = offsets.map {
                base.advanced(by: $0).assumingMemoryBound(to: CChar.self)
            }
            return pointers.withUnsafeMutableBufferPointer { argv in
                lengths.withUnsafeBufferPointer { lens in
                    body(Int32(arguments.count), argv.baseAddress!, lens.baseAddress!)
                }
            }
        }
    }
}
