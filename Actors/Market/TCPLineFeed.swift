import Foundation
import Logging

/// A TCP line feed (CSV or JSON lines, one record per line) that reconnects with
/// exponential backoff (100 ms doubling to 5 s) until stopped.
public final class TCPLineFeed: MarketSource, @unchecked Sendable {
    // @unchecked: immutable after init; `run` is called on one thread at a time.
    public let host: String
    public let port: UInt16
    public let symbols: [String]
    let logger: Logger
    public var name: String { "tcp:\(host):\(port)" }

    public init(host: String, port: UInt16, symbols: [String], logger: Logger = Logger(label: "quantum-agent.feed")) {
        self.host = host
        self.port = port
        self.symbols = symbols
        self.logger = logger
    }

    /// Parses `HOST:PORT`.
    /// - Throws: `MarketError.invalidSpecification` naming the text.
    public static func parseAddress(_ text: String) throws(MarketError) -> (String, UInt16) {
        guard let colon = text.lastIndex(of: ":"), let port = UInt16(text[text.index(after: colon)...]), port > 0,
              colon > text.startIndex else {
            throw .invalidSpecification("tcp feed address '\(text)' is invalid: expected HOST:PORT with a port in 1...65535")
        }
        return (String(text[..<colon]), port)
    }

    public func run(emit: (RawTick) -> Void, malformed: (String) -> Void, shouldStop: () -> Bool) throws(MarketError) {
        var backoffMs: UInt32 = 100
        while !shouldStop() {
            let fd = connectSocket()
            if fd < 0 {
                logger.warning("feed connect failed; retrying", metadata: ["feed": "\(name)", "backoff_ms": "\(backoffMs)"])
                sleepChecking(ms: backoffMs, shouldStop: shouldStop)
                backoffMs = min(backoffMs * 2, 5000)
                continue
            }
            backoffMs = 100
            logger.info("feed connected", metadata: ["feed": "\(name)"])
            readLines(fd: fd, emit: emit, malformed: malformed, shouldStop: shouldStop)
            close(fd)
            if !shouldStop() { logger.warning("feed disconnected; reconnecting", metadata: ["feed": "\(name)"]) }
        }
    }

    private func sleepChecking(ms: UInt32, shouldStop: () -> Bool) {
        var left = ms
        while left > 0 && !shouldStop() {
            let step = min(left, 50)
            usleep(step * 1000)
            left -= step
        }
    }

    private func connectSocket() -> Int32 {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var result: UnsafeMutablePointer<addrinfo>?
        guard getaddrinfo(host, String(port), &hints, &result) == 0, let first = result else { return -1 }
        defer { freeaddrinfo(result) }
        var cursor: UnsafeMutablePointer<addrinfo>? = first
        while let info = cursor {
            let fd = socket(info.pointee.ai_family, info.pointee.ai_socktype, info.pointee.ai_protocol)
            if fd >= 0 {
                if connect(fd, info.pointee.ai_addr, info.pointee.ai_addrlen) == 0 {
                    var timeout = timeval(tv_sec: 0, tv_usec: 200_000)
                    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
                    return fd
                }
                close(fd)
            }
            cursor = info.pointee.ai_next
        }
        return -1
    }

    private func readLines(fd: Int32, emit: (RawTick) -> Void, malformed: (String) -> Void, shouldStop: () -> Bool) {
        var pending: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65536)
        var lineNumber = 0
        while !shouldStop() {
            let count = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if count == 0 { return }
            if count < 0 {
                if errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR { continue }
                return
            }
            pending.append(contentsOf: chunk[0..<count])
            while let newline = pending.firstIndex(of: 10) {
                let line = String(decoding: pending[..<newline], as: UTF8.self)
                pending.removeSubrange(...newline)
                lineNumber += 1
                if line.trimmingCharacters(in: .whitespaces).isEmpty || FeedLineParser.isHeader(Substring(line)) { continue }
                if let raw = FeedLineParser.parse(Substring(line)) {
                    emit(raw)
                } else {
                    malformed("\(name): line \(lineNumber): expected CSV timestamp,symbol,price,size[,bid,ask] or a JSON object")
                }
            }
            if pending.count > 1 << 20 {
                malformed("\(name): line longer than 1 MiB discarded")
                pending.removeAll()
            }
        }
    }
}
