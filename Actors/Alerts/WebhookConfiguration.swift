// Options of the webhook alert channel.

import NIOCore

/// Where and how the webhook channel posts.
public struct WebhookConfiguration: Sendable, Equatable {
    /// Receiver host (IP or name).
    public var host: String
    public var port: Int
    /// Request path, starting with "/".
    public var path: String
    /// Events buffered while the receiver is slow or down (default 1,024); oldest dropped beyond.
    public var bufferCapacity: Int
    /// First retry delay (default 100 ms); doubled after each failure up to `maximumBackoff`.
    public var initialBackoff: TimeAmount
    /// Longest retry delay (default 30 s).
    public var maximumBackoff: TimeAmount
    /// Connect timeout (default 2 s).
    public var connectTimeout: TimeAmount
    /// Whole-request timeout, connect to end of response (default 5 s); a hanging receiver
    /// counts as a failed attempt after it.
    public var requestTimeout: TimeAmount

    /// - Parameter url: `http://host[:port]/path` (plain HTTP; put a TLS-terminating relay in
    ///   front of an https receiver such as Slack).
    /// - Throws: `AlertError.invalidParameter` naming `webhook url` or the bad option.
    public init(url: String, bufferCapacity: Int = 1024, initialBackoff: TimeAmount = .milliseconds(100),
                maximumBackoff: TimeAmount = .seconds(30), connectTimeout: TimeAmount = .seconds(2),
                requestTimeout: TimeAmount = .seconds(5)) throws(AlertError) {
        let allowed = "http://host[:port]/path"
        guard url.hasPrefix("http://") else { throw .invalidParameter(name: "webhook url", value: url, allowed: allowed) }
        let rest = url.dropFirst("http://".count)
        let authority = rest.prefix { $0 != "/" }
        let path = rest.dropFirst(authority.count)
        var host = String(authority)
        var port = 80
        if let colon = authority.lastIndex(of: ":"), !authority.hasSuffix("]") {
            host = String(authority[..<colon])
            guard let parsed = Int(authority[authority.index(after: colon)...]), (1...65_535).contains(parsed) else {
                throw .invalidParameter(name: "webhook url port", value: url, allowed: "1...65535")
            }
            port = parsed
        }
        if host.hasPrefix("[") && host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        guard !host.isEmpty else { throw .invalidParameter(name: "webhook url host", value: url, allowed: allowed) }
        guard (1...1_000_000).contains(bufferCapacity) else {
            throw .invalidParameter(name: "bufferCapacity", value: "\(bufferCapacity)", allowed: "1...1000000")
        }
        guard initialBackoff.nanoseconds > 0, maximumBackoff >= initialBackoff else {
            throw .invalidParameter(name: "initialBackoff/maximumBackoff", value: "\(initialBackoff)/\(maximumBackoff)",
                                    allowed: "0 < initialBackoff <= maximumBackoff")
        }
        guard connectTimeout.nanoseconds > 0, requestTimeout.nanoseconds > 0 else {
            throw .invalidParameter(name: "connectTimeout/requestTimeout", value: "\(connectTimeout)/\(requestTimeout)",
                                    allowed: "> 0")
        }
        self.host = host
        self.port = port
        self.path = path.isEmpty ? "/" : String(path)
        self.bufferCapacity = bufferCapacity
        self.initialBackoff = initialBackoff
        self.maximumBackoff = maximumBackoff
        self.connectTimeout = connectTimeout
        self.requestTimeout = requestTimeout
    }

    /// Delay before retry number `attempt` (1-based): initial · 2^(attempt − 1), capped.
    public func backoff(attempt: Int) -> TimeAmount {
        let exponent = min(max(attempt - 1, 0), 40)
        let delay = initialBackoff.nanoseconds.multipliedReportingOverflow(by: Int64(1) << Int64(exponent))
        return delay.overflow ? maximumBackoff : .nanoseconds(min(delay.partialValue, maximumBackoff.nanoseconds))
    }
}
