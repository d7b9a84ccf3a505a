// Where and how to connect to Redis.

/// Connection settings, parsed from `redis://[user[:password]@]host:port[/db]`.
///
/// The password is never printed: `description` redacts it.
public struct RedisConfiguration: Sendable, Equatable, CustomStringConvertible {
    /// Host name or IPv4/IPv6 address.
    public var host: String
    /// TCP port.
    public var port: Int
    /// ACL user name (`AUTH user password`); `nil` authenticates the default user.
    public var username: String?
    /// Password; `nil` skips AUTH.
    public var password: String?
    /// Database index selected after connecting (0 skips SELECT).
    public var database: Int
    /// Bound on TCP connect, ms.
    public var connectTimeoutMs: Int
    /// Bound on every read of a reply, ms; 0 waits forever. A read that times out kills the
    /// connection (hiredis semantics); blocking commands need a timeout above their BLOCK time.
    public var readTimeoutMs: Int

    public init(
        host: String = "127.0.0.1", port: Int = 6379, username: String? = nil, password: String? = nil,
        database: Int = 0, connectTimeoutMs: Int = 1000, readTimeoutMs: Int = 2000
    ) {
        self.host = host
        self.port = port
        self.username = username
        self.password = password
        self.database = database
        self.connectTimeoutMs = connectTimeoutMs
        self.readTimeoutMs = readTimeoutMs
    }

    /// Parses `redis://[user[:password]@]host[:port][/db]` (port defaults to 6379).
    /// - Throws: `RedisError.invalidURL` naming the part that is wrong.
    public init(url: String) throws(RedisError) {
        let scheme = "redis://"
        guard url.hasPrefix(scheme) else { throw .invalidURL(url: Self.redact(url), reason: "scheme must be redis://") }
        var rest = Substring(url.dropFirst(scheme.count))
        var username: String?
        var password: String?
        if let at = rest.lastIndex(of: "@") {
            let userInfo = rest[..<at]
            rest = rest[rest.index(after: at)...]
            if let colon = userInfo.firstIndex(of: ":") {
                let user = String(userInfo[..<colon])
                username = user.isEmpty ? nil : user
                password = String(userInfo[userInfo.index(after: colon)...]).removingPercentEncodingIfPossible
            } else {
                password = String(userInfo).removingPercentEncodingIfPossible
            }
        }
        var database = 0
        if let slash = rest.firstIndex(of: "/") {
            let dbText = rest[rest.index(after: slash)...]
            rest = rest[..<slash]
            if !dbText.isEmpty {
                guard let db = Int(dbText), db >= 0 else {
                    throw .invalidURL(url: Self.redact(url), reason: "database '\(dbText)' is not a non-negative integer")
                }
                database = db
            }
        }
        var host = String(rest)
        var port = 6379
        if rest.hasPrefix("[") {
            guard let close = rest.firstIndex(of: "]") else { throw .invalidURL(url: Self.redact(url), reason: "unclosed IPv6 bracket") }
            host = String(rest[rest.index(after: rest.startIndex)..<close])
            let after = rest[rest.index(after: close)...]
            if after.hasPrefix(":") {
                guard let p = Int(after.dropFirst()), (1...65535).contains(p) else {
                    throw .invalidURL(url: Self.redact(url), reason: "port '\(after.dropFirst())' not in 1...65535")
                }
                port = p
            }
        } else if let colon = rest.lastIndex(of: ":") {
            host = String(rest[..<colon])
            let portText = rest[rest.index(after: colon)...]
            guard let p = Int(portText), (1...65535).contains(p) else {
                throw .invalidURL(url: Self.redact(url), reason: "port '\(portText)' not in 1...65535")
            }
            port = p
        }
        guard !host.isEmpty else { throw .invalidURL(url: Self.redact(url), reason: "host is empty") }
        self.init(host: host, port: port, username: username, password: password, database: database)
    }

    /// `redis://user:<redacted>@host:port/db`.
    public var description: String {
        var userInfo = ""
        if let username { userInfo = username }
        if password != nil { userInfo += ":<redacted>" }
        if !userInfo.isEmpty { userInfo += "@" }
        return "redis://\(userInfo)\(host):\(port)/\(database)"
    }

    static func redact(_ url: String) -> String {
        guard let at = url.lastIndex(of: "@") else { return url }
        return "redis://<redacted>" + url[at...]
    }
}

extension String {
    /// Decodes `%XX` escapes when they are valid, else returns the text unchanged.
    var removingPercentEncodingIfPossible: String {
        guard contains("%") else { return self }
        var bytes: [UInt8] = []
        var iterator = utf8.makeIterator()
        while let byte = iterator.next() {
            if byte == UInt8(ascii: "%"), let h = iterator.next(), let l = iterator.next(),
               let value = UInt8(String(decoding: [h, l], as: UTF8.self), radix: 16) {
                bytes.append(value)
            } else {
                bytes.append(byte)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
