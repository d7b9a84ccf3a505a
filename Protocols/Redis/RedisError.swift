// Typed errors of the Redis client.

/// Why a Redis operation failed.
public enum RedisError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The URL does not parse.
    case invalidURL(url: String, reason: String)
    /// TCP connect failed or timed out.
    case connectFailed(host: String, port: Int, reason: String)
    /// The connection died (hiredis returned NULL); it has been closed and reconnects on next use.
    case connectionLost(reason: String)
    /// A read did not complete within the configured read timeout; the connection was closed.
    case readTimeout(ms: Int)
    /// The server refused AUTH.
    case authenticationFailed(message: String)
    /// The server answered with an error reply.
    case server(command: String, message: String)
    /// The server answered with a reply of an unexpected shape.
    case unexpectedReply(command: String, reply: String)
    /// A reader thread could not be created.
    case threadStartFailed(code: Int32)

    public var description: String {
        switch self {
        case let .invalidURL(url, reason): "invalid Redis URL '\(url)': \(reason) (expected redis://[user[:password]@]host:port[/db])"
        case let .connectFailed(host, port, reason): "cannot connect to Redis at \(host):\(port): \(reason)"
        case let .connectionLost(reason): "Redis connection lost: \(reason)"
        case let .readTimeout(ms): "Redis read timed out after \(ms) ms"
        case let .authenticationFailed(message): "Redis AUTH failed: \(message)"
        case let .server(command, message): "Redis \(command) failed: \(message)"
        case let .unexpectedReply(command, reply): "Redis \(command): unexpected reply \(reply)"
        case let .threadStartFailed(code): "cannot start Redis reader thread: pthread_create returned \(code)"
        }
    }

    /// Whether the error means the connection is gone (reconnect), as opposed to a command error.
    public var isConnectionError: Bool {
        switch self {
        case .connectFailed, .connectionLost, .readTimeout: true
        default: false
        }
    }
}
