// Swift copy of a hiredis reply tree.

import CHiredis

/// A Redis reply, copied out of hiredis' `redisReply` tree before it is freed.
public enum RedisReply: Sendable, Equatable, CustomStringConvertible {
    /// Simple string (`+OK`).
    case status(String)
    /// Error reply (`-ERR ...`). Not a dead connection: the connection stays usable.
    case error(String)
    /// Integer reply.
    case integer(Int64)
    /// Bulk string, binary-safe.
    case bulk([UInt8])
    /// Nil bulk or nil array.
    case null
    /// Array (nested replies).
    case array([RedisReply])

    /// Copies the whole tree rooted at `reply` (the caller frees it afterwards, once, at the root).
    init(copying reply: UnsafePointer<redisReply>) {
        let r = reply.pointee
        switch r.type {
        case REDIS_REPLY_STRING:
            self = .bulk(Self.bytes(r.str, r.len))
        case REDIS_REPLY_STATUS:
            self = .status(String(decoding: Self.bytes(r.str, r.len), as: UTF8.self))
        case REDIS_REPLY_ERROR:
            self = .error(String(decoding: Self.bytes(r.str, r.len), as: UTF8.self))
        case REDIS_REPLY_INTEGER:
            self = .integer(Int64(r.integer))
        case REDIS_REPLY_ARRAY:
            var elements: [RedisReply] = []
            elements.reserveCapacity(r.elements)
            for index in 0..<r.elements {
                if let child = r.element?[index] {
                    elements.append(RedisReply(copying: child))
                } else {
                    elements.append(.null)
                }
            }
            self = .array(elements)
        default:
            self = .null
        }
    }

    private static func bytes(_ pointer: UnsafeMutablePointer<CChar>?, _ length: Int) -> [UInt8] {
        guard let pointer, length > 0 else { return [] }
        return Array(UnsafeRawBufferPointer(start: pointer, count: length))
    }

    /// The bulk or status text as UTF-8 (lossy), else `nil`.
    public var string: String? {
        switch self {
        case let .bulk(bytes): String(decoding: bytes, as: UTF8.self)
        case let .status(text): text
        default: nil
        }
    }

    /// The integer, also parsed from a bulk string (Lua and some commands return numbers as text).
    public var integer: Int64? {
        switch self {
        case let .integer(value): value
        case let .bulk(bytes): Int64(String(decoding: bytes, as: UTF8.self))
        default: nil
        }
    }

    /// The elements of an array reply, else `nil`.
    public var array: [RedisReply]? {
        if case let .array(elements) = self { return elements }
        return nil
    }

    /// The error text of an error reply, else `nil`.
    public var errorMessage: String? {
        if case let .error(message) = self { return message }
        return nil
    }

    /// Error prefixes of a server that cannot answer yet but will: loading its dataset after
    /// a restart, running a long script, or a replica without its master. Retry these;
    /// other error replies are final.
    public static let transientErrorPrefixes = ["LOADING", "BUSY", "TRYAGAIN", "MASTERDOWN"]

    /// Whether this is an error reply worth retrying (``transientErrorPrefixes``).
    public var isTransientError: Bool { errorMessage.map(Self.isTransient(errorMessage:)) ?? false }

    /// Whether an error reply's message is one worth retrying (``transientErrorPrefixes``).
    public static func isTransient(errorMessage message: String) -> Bool {
        transientErrorPrefixes.contains { message.hasPrefix($0) }
    }

    public var description: String {
        switch self {
        case let .status(text): "+\(text)"
        case let .error(text): "-\(text)"
        case let .integer(value): ":\(value)"
        case let .bulk(bytes): "$\(bytes.count)"
        case .null: "(nil)"
        case let .array(elements): "*\(elements.count)[\(elements.map(\.description).joined(separator: ", "))]"
        }
    }
}
