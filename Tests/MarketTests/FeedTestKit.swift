// Helpers of the feed tests: a source running on a thread of its own with everything it
// hands on recorded, the Redis of `scripts/with-redis.sh`, and a loopback TCP line server.

import Foundation
import TestSupport
import Market
import Protocols
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// Runs `source.run` on a Foundation thread (as the feed thread does) and records the ticks,
/// the malformed-record reports and how `run` ended.
final class FeedRun: Sendable {
    private let ticks = Mutex<[RawTick]>([])
    private let problems = Mutex<[String]>([])
    private let outcome = Mutex<Result<Void, MarketError>?>(nil)
    private let stopFlag = Atomic<Bool>(false)
    private let done = DispatchSemaphore(value: 0)

    init(_ source: any MarketSource) {
        let thread = Thread { [self] in
            let result = Result { () throws(MarketError) in
                try source.run(emit: { raw in ticks.withLock { $0.append(raw) } },
                               malformed: { text in problems.withLock { $0.append(text) } },
                               shouldStop: { stopFlag.load(ordering: .acquiring) })
            }
            outcome.withLock { $0 = result }
            done.signal()
        }
        thread.name = "test-feed"
        thread.start()
    }

    var received: [RawTick] { ticks.withLock { $0 } }
    /// What was received apart from the probes of ``FeedTestRedis/waitUntilReading(_:writer:key:)``.
    var ticksAfterProbes: [RawTick] { received.filter { $0.symbol != FeedTestRedis.probeSymbol } }
    var malformed: [String] { problems.withLock { $0 } }
    /// nil while `run` is still going.
    var result: Result<Void, MarketError>? { outcome.withLock { $0 } }

    /// Polls until `condition` holds or `seconds` pass; whether it held.
    @discardableResult
    func wait(seconds: Double = 20, until condition: (FeedRun) -> Bool) -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if condition(self) { return true }
            usleep(5_000)
        }
        return condition(self)
    }

    /// Asks the source to stop; the seconds `run` took to return (nil: not within 10 s).
    func stop() -> Double? {
        let start = DispatchTime.now().uptimeNanoseconds
        stopFlag.store(true, ordering: .releasing)
        guard done.wait(timeout: .now() + 30) == .success else { return nil }
        done.signal()
        return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
    }

    /// Waits for `run` to return by itself (nil: not within `seconds`).
    func waitForEnd(seconds: Double) -> Result<Void, MarketError>? {
        guard done.wait(timeout: .now() + seconds) == .success else { return nil }
        done.signal()
        return result
    }

    deinit { stopFlag.store(true, ordering: .releasing) }
}

/// Redis for the tests: the server of `scripts/with-redis.sh` (QUANTUM_AGENT_REDIS_URL), or a
/// private redis-server for the duration of `body`.
enum FeedTestRedis {
    static func with<T>(_ body: (RedisConfiguration) throws -> T) throws -> T { try TestRedis.with(body) }

    /// A stream key unique to one test.
    static func key(_ name: String) -> String { TestRedis.prefix("feed:\(name)") + "stream" }

    /// The symbol of the probe entries of ``waitUntilReading(_:writer:key:)``.
    static let probeSymbol = "PROBE"

    /// Adds a probe entry (symbol `PROBE`) every 100 ms until the feed hands one on: from then
    /// on the feed reads everything added. Whether it did within 20 s.
    static func waitUntilReading(_ run: FeedRun, writer: RedisConnection, key: String) -> Bool {
        for _ in 0..<200 {
            _ = try? writer.xadd(key, fields: [("symbol", Array(probeSymbol.utf8)), ("price", Array("1".utf8)), ("size", Array("0".utf8))])
            if run.wait(seconds: 0.1, until: { $0.received.contains { $0.symbol == probeSymbol } }) { return true }
        }
        return false
    }
}

/// A TCP server on 127.0.0.1 and a kernel-chosen port that serves one script per accepted
/// connection (send these lines, then close), on a thread of its own; after the last script
/// it keeps accepting and holding connections open until `close()`.
final class LineServer: Sendable {
    let port: UInt16
    private let listener: Int32
    private let accepted = Atomic<Int>(0)
    private let closing = Atomic<Bool>(false)
    private let done = DispatchSemaphore(value: 0)

    /// - Throws: `POSIXError` when the socket cannot be bound.
    init(scripts: [[String]]) throws {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
        var one: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let named = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        guard bound == 0, named == 0, listen(fd, 8) == 0 else {
            let code = errno
            Glibc.close(fd)
            throw POSIXError(POSIXErrorCode(rawValue: code) ?? .EIO)
        }
        // accept() wakes every 100 ms to see `closing`.
        var timeout = timeval(tv_sec: 0, tv_usec: 100_000)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        listener = fd
        port = UInt16(bigEndian: address.sin_port)
        let thread = Thread { [self] in
            serve(scripts)
            done.signal()
        }
        thread.name = "test-line-server"
        thread.start()
    }

    /// Connections accepted so far.
    var connections: Int { accepted.load(ordering: .acquiring) }

    private func serve(_ scripts: [[String]]) {
        var held: [Int32] = []
        var next = 0
        while !closing.load(ordering: .acquiring) {
            let client = accept(listener, nil, nil)
            if client < 0 { continue }
            accepted.add(1, ordering: .releasing)
            guard next < scripts.count else {
                held.append(client)
                continue
            }
            let text = scripts[next].map { $0 + "\n" }.joined()
            next += 1
            var bytes = Array(text.utf8)
            var offset = 0
            while offset < bytes.count {
                let sent = bytes.withUnsafeMutableBytes { buffer -> Int in
                    guard let base = buffer.baseAddress else { return -1 }
                    return send(client, base + offset, buffer.count - offset, Int32(MSG_NOSIGNAL))
                }
                if sent <= 0 { break }
                offset += sent
            }
            Glibc.close(client)
        }
        held.forEach { Glibc.close($0) }
    }

    /// Stops accepting and closes every socket (waits for the server thread).
    func close() {
        closing.store(true, ordering: .releasing)
        _ = done.wait(timeout: .now() + 5)
        Glibc.close(listener)
    }
}

/// A counter shared with a thread.
final class SharedCount: Sendable {
    private let count = Atomic<Int>(0)
    var value: Int { count.load(ordering: .acquiring) }
    func add(_ amount: Int) { count.add(amount, ordering: .acquiringAndReleasing) }
    func set(_ value: Int) { count.store(value, ordering: .releasing) }
}
