import Foundation
import Protocols
import Synchronization
import Testing
@testable import Market

/// Fields of a tick entry in the field format.
private func tickFields(_ symbol: String, _ price: Double, size: Double = 1, ts: String? = nil) -> [(String, [UInt8])] {
    var fields: [(String, [UInt8])] = [("symbol", Array(symbol.utf8)), ("price", Array("\(price)".utf8)), ("size", Array("\(size)".utf8))]
    if let ts { fields.append(("ts", Array(ts.utf8))) }
    return fields
}

private func lineField(_ line: String) -> [(String, [UInt8])] { [("line", Array(line.utf8))] }

@Suite struct RedisStreamEntryTests {
    private func entry(_ id: String, _ fields: [(String, String)]) -> StreamEntry {
        StreamEntry(id: id, fields: fields.map { ($0.0, Array($0.1.utf8)) })
    }

    @Test func fieldAndLineEntriesParseToTicks() throws {
        let fields = try RedisStreamFeed.parse(entry("1-0", [("ts", "1700000000.25"), ("symbol", "BTC"), ("price", "100.5"),
                                                             ("size", "2"), ("bid", "100.4"), ("ask", "100.6"), ("venue", "x")])).get()
        #expect(fields == RawTick(symbol: "BTC", price: 100.5, size: 2, bid: 100.4, ask: 100.6, timeNanos: 1_700_000_000_250_000_000))
        let timestamp = try RedisStreamFeed.parse(entry("1-0", [("timestamp", "2023-11-14T22:13:20Z"), ("symbol", "ETH"),
                                                                ("price", "10"), ("size", "0")])).get()
        #expect(timestamp.timeNanos == 1_700_000_000_000_000_000 && timestamp.bid.isNaN && timestamp.ask.isNaN)
        // No ts: the entry ID's milliseconds.
        let byID = try RedisStreamFeed.parse(entry("1700000000123-4", [("symbol", "BTC"), ("price", "1"), ("size", "1")])).get()
        #expect(byID.timeNanos == 1_700_000_000_123_000_000)
        let csv = try RedisStreamFeed.parse(entry("1-0", [("line", "1700000000.5,BTC,100.5,2,100.4,100.6")])).get()
        #expect(csv.symbol == "BTC" && csv.price == 100.5 && csv.ask == 100.6 && csv.timeNanos == 1_700_000_000_500_000_000)
        let json = try RedisStreamFeed.parse(entry("1-0", [("line", #"{"timestamp":1700000000,"symbol":"SPY","price":470.1,"size":3}"#)])).get()
        #expect(json.symbol == "SPY" && json.price == 470.1 && json.size == 3)
    }

    @Test func malformedEntriesNameWhatIsWrong() {
        let cases: [([(String, String)], String)] = [
            ([("symbol", "BTC"), ("price", "abc"), ("size", "1")], "field price 'abc' is not a number"),
            ([("symbol", "BTC"), ("size", "1")], "no field price"),
            ([("symbol", "BTC"), ("price", "1")], "no field size"),
            ([("price", "1"), ("size", "1")], "no field symbol"),
            ([("symbol", "BTC"), ("price", "1"), ("size", "1"), ("bid", "0.9")], "fields bid and ask come together"),
            ([("symbol", "BTC"), ("price", "1"), ("size", "1"), ("ts", "yesterday")], "field ts 'yesterday'"),
            ([("line", "1,BTC,1")], "field line '1,BTC,1'"),
        ]
        for (fields, expected) in cases {
            switch RedisStreamFeed.parse(entry("5-0", fields)) {
            case .success(let raw): Issue.record("\(fields) parsed as \(raw)")
            case .failure(let problem): #expect(problem.reason.hasPrefix(expected), "\(problem.reason)")
            }
        }
    }

    @Test func streamIDsOrderAsRedisOrdersThem() throws {
        let ids = ["0-0", "1-5", "2", "2-1", "10-0", "1700000000000-3"].compactMap(RedisStreamID.init)
        #expect(ids.count == 6 && ids == ids.sorted())
        #expect(RedisStreamID("2") == RedisStreamID("2-0"))
        #expect(RedisStreamID("$") == nil && RedisStreamID("1-") == nil && RedisStreamID("-1") == nil)
        #expect(throws: MarketError.self) {
            try RedisStreamFeed(redis: RedisConfiguration(), configuration: .init(stream: "s", start: "latest"), symbols: [])
        }
        #expect(throws: MarketError.self) {
            try RedisStreamFeed(redis: RedisConfiguration(), configuration: .init(stream: ""), symbols: [])
        }
    }
}

@Suite("Redis stream feed against redis-server", .serialized)
struct RedisStreamFeedTests {
    @Test func entriesInBothFormatsArriveAsTicksInOrderAndAMalformedOneIsReported() throws {
        try FeedTestRedis.with { redis in
            let key = FeedTestRedis.key("formats")
            let writer = RedisConnection(configuration: redis)
            defer { _ = try? writer.command("DEL", RedisArgument(key)) }
            // Written before the feed starts from `$`: never handed on.
            _ = try writer.xadd(key, fields: tickFields("BTC", 1, ts: "1699999999"))
            let feed = try RedisStreamFeed(redis: redis, configuration: .init(stream: key, blockMs: 50), symbols: ["BTC", "ETH"])
            let run = FeedRun(feed)
            defer { _ = run.stop() }
            #expect(FeedTestRedis.waitUntilReading(run, writer: writer, key: key), "the feed never read")
            let ids = [
                try writer.xadd(key, fields: tickFields("BTC", 100, size: 2, ts: "1700000000.000")),
                try writer.xadd(key, fields: lineField("1700000000.001,ETH,10.5,3,10.4,10.6")),
                try writer.xadd(key, fields: [("symbol", Array("BTC".utf8)), ("price", Array("abc".utf8)), ("size", Array("1".utf8))]),
                try writer.xadd(key, fields: lineField(#"{"timestamp":1700000000003,"symbol":"ETH","price":10.7,"size":1}"#)),
                try writer.xadd(key, fields: [("symbol", Array("BTC".utf8)), ("price", Array("101".utf8)), ("size", Array("1".utf8)),
                                              ("ts", Array("1700000000004".utf8)), ("bid", Array("100.9".utf8)), ("ask", Array("101.1".utf8))]),
            ]
            #expect(run.wait { $0.ticksAfterProbes.count >= 4 && !$0.malformed.isEmpty }, "got \(run.received), \(run.malformed)")
            let ticks = run.ticksAfterProbes
            #expect(ticks.map(\.symbol) == ["BTC", "ETH", "ETH", "BTC"])
            #expect(ticks.map(\.price) == [100, 10.5, 10.7, 101])
            #expect(ticks.map(\.timeNanos) == [0, 1, 3, 4].map { 1_700_000_000_000_000_000 + UInt64($0) * 1_000_000 })
            #expect(ticks[1].bid == 10.4 && ticks[1].ask == 10.6 && ticks[3].bid == 100.9 && ticks[0].bid.isNaN)
            #expect(run.malformed == ["redis:\(key): entry \(ids[2]): field price 'abc' is not a number"])
            #expect(run.result == nil, "the feed goes on after a malformed entry")
        }
    }

    @Test func aStartIDReadsTheEntriesAfterIt() throws {
        try FeedTestRedis.with { redis in
            let key = FeedTestRedis.key("start")
            let writer = RedisConnection(configuration: redis)
            defer { _ = try? writer.command("DEL", RedisArgument(key)) }
            let first = try writer.xadd(key, fields: tickFields("BTC", 1, ts: "1"))
            _ = try writer.xadd(key, fields: tickFields("BTC", 2, ts: "2"))
            _ = try writer.xadd(key, fields: tickFields("BTC", 3, ts: "3"))
            let fromStart = FeedRun(try RedisStreamFeed(redis: redis, configuration: .init(stream: key, start: "0"), symbols: ["BTC"]))
            let afterFirst = FeedRun(try RedisStreamFeed(redis: redis, configuration: .init(stream: key, start: first), symbols: ["BTC"]))
            #expect(fromStart.wait { $0.received.count >= 3 } && afterFirst.wait { $0.received.count >= 2 })
            _ = fromStart.stop()
            _ = afterFirst.stop()
            #expect(fromStart.received.map(\.price) == [1, 2, 3])
            #expect(afterFirst.received.map(\.price) == [2, 3])
        }
    }

    @Test func aRedisRestartMidStreamLosesNothingAndDuplicatesNothing() throws {
        try restartMidStream(group: nil)
    }

    @Test func inAGroupARedisCrashMidStreamLosesNothingDuplicatesNothingAndEverythingIsAcknowledged() throws {
        try restartMidStream(group: "agents")
    }

    /// A writer adds 300 entries with explicit IDs (a retried XADD whose first try landed is
    /// refused, so the stream holds each once) while Redis, persisting every write, is
    /// stopped (or killed, in a group) and started again under the feed.
    private func restartMidStream(group: String?) throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("qa-redis-feed-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let server = try RedisServerProcess(persistenceDirectory: directory.path)
        defer { server.stop() }
        let key = "ticks"
        let total = 300
        let base: UInt64 = 1_700_000_000_000
        let configuration = RedisStreamFeed.Configuration(
            stream: key, start: "0", group: group, consumer: "agent-1", blockMs: 50,
            backoff: ReconnectBackoff(initialNs: 20_000_000, maximumNs: 200_000_000))
        let run = FeedRun(try RedisStreamFeed(redis: server.configuration, configuration: configuration, symbols: ["BTC"]))
        defer { _ = run.stop() }

        let written = SharedCount()
        let refusedWrites = SharedCount()
        let writerDone = DispatchSemaphore(value: 0)
        let redis = server.configuration
        let writerThread = Thread {
            let writer = RedisConnection(configuration: redis)
            for index in 1...total {
                while true {
                    let reply = try? writer.send(["XADD", RedisArgument(key), RedisArgument("\(base + UInt64(index))-0"),
                                                  "symbol", "BTC", "price", RedisArgument("\(index)"), "size", "1"])
                    if let reply, reply.errorMessage == nil || reply.errorMessage?.contains("equal or smaller") == true { break }
                    refusedWrites.add(1)
                    usleep(20_000)
                }
                written.set(index)
                usleep(1_000)
            }
            writerDone.signal()
        }
        writerThread.start()

        #expect(run.wait { $0.received.count >= 60 }, "the feed got \(run.received.count) before the restart")
        if group == nil { server.stop() } else { server.kill() }
        let readBeforeRestart = run.received.count
        usleep(300_000)
        try server.start()
        #expect(writerDone.wait(timeout: .now() + 60) == .success, "the writer got to \(written.value)")
        #expect(run.wait(seconds: 30) { $0.received.count >= total }, "got \(run.received.count) of \(total)")
        // Anything extra would come right behind: give it a moment, then compare exactly.
        usleep(300_000)
        #expect(readBeforeRestart < total, "the restart came mid-stream")
        #expect(refusedWrites.value > 0, "writes failed while Redis was down")
        let prices = run.received.map(\.price)
        #expect(prices == (1...total).map(Double.init), "lost or repeated: \(Set(1...total).subtracting(prices.map { Int($0) }).sorted()) / \(prices.count)")
        #expect(run.received.map(\.timeNanos) == (1...total).map { (base + UInt64($0)) * 1_000_000 })
        #expect(run.malformed.isEmpty)
        if let group {
            let pending = try RedisConnection(configuration: server.configuration).command("XPENDING", RedisArgument(key), RedisArgument(group))
            #expect(pending.array?.first?.integer == 0, "unacknowledged entries: \(pending)")
        }
    }

    @Test func twoConsumersOfAGroupShareTheStreamWithoutOverlap() throws {
        try FeedTestRedis.with { redis in
            let key = FeedTestRedis.key("group")
            let writer = RedisConnection(configuration: redis)
            defer { _ = try? writer.command("DEL", RedisArgument(key)) }
            let feeds = try ["a", "b"].map { consumer in
                FeedRun(try RedisStreamFeed(redis: redis, configuration: .init(stream: key, group: "g", consumer: consumer, count: 8),
                                            symbols: ["BTC"]))
            }
            #expect(feeds[0].wait { _ in (try? writer.command("XINFO", "GROUPS", RedisArgument(key)))?.array?.isEmpty == false })
            for index in 1...200 { _ = try writer.xadd(key, fields: tickFields("BTC", Double(index), ts: "\(index)")) }
            #expect(feeds[0].wait { _ in feeds[0].received.count + feeds[1].received.count >= 200 })
            feeds.forEach { _ = $0.stop() }
            let all = feeds.flatMap { $0.received.map(\.price) }
            #expect(all.count == 200 && Set(all) == Set((1...200).map(Double.init)))
            for feed in feeds { #expect(feed.received.map(\.price) == feed.received.map(\.price).sorted(), "each consumer in order") }
            let pending = try writer.command("XPENDING", RedisArgument(key), "g")
            #expect(pending.array?.first?.integer == 0)
        }
    }

    @Test func stopIsSeenPromptlyWhileBlockedAndWhileRedisIsDown() throws {
        try FeedTestRedis.with { redis in
            let key = FeedTestRedis.key("stop")
            let writer = RedisConnection(configuration: redis)
            defer { _ = try? writer.command("DEL", RedisArgument(key)) }
            let blocked = FeedRun(try RedisStreamFeed(redis: redis, configuration: .init(stream: key, blockMs: 200), symbols: ["BTC"]))
            #expect(FeedTestRedis.waitUntilReading(blocked, writer: writer, key: key))
            usleep(100_000)
            let whileBlocked = try #require(blocked.stop(), "the feed did not stop")
            // Nothing listens on a port a stopped server just released: connects are refused, the feed backs off.
            let gone = try RedisServerProcess()
            let port = gone.port
            gone.stop()
            let down = FeedRun(try RedisStreamFeed(redis: RedisConfiguration(port: port), configuration: .init(stream: key),
                                                   symbols: ["BTC"]))
            usleep(400_000)
            #expect(down.result == nil, "the feed keeps retrying while Redis is down")
            let whileDown = try #require(down.stop(), "the feed did not stop")
            // BLOCK is at most 200 ms and backoff sleeps in 50 ms steps: well under a second on a loaded machine.
            #expect(whileBlocked < 1.0 && whileDown < 1.0, "stop took \(whileBlocked) s blocked, \(whileDown) s down")
            print("redis feed stop latency: blocked \(whileBlocked) s, down \(whileDown) s")
        }
    }

    @Test func aKeyThatIsNotAStreamEndsTheFeedWithAClearError() throws {
        try FeedTestRedis.with { redis in
            let key = FeedTestRedis.key("wrongtype")
            let writer = RedisConnection(configuration: redis)
            defer { _ = try? writer.command("DEL", RedisArgument(key)) }
            try writer.command("SET", RedisArgument(key), "x")
            let run = FeedRun(try RedisStreamFeed(redis: redis, configuration: .init(stream: key), symbols: ["BTC"]))
            guard case .failure(let error)? = run.waitForEnd(seconds: 10) else {
                Issue.record("the feed did not end with an error: \(String(describing: run.result))")
                return
            }
            #expect("\(error)".contains("redis:\(key)") && "\(error)".contains("WRONGTYPE"), "\(error)")
        }
    }
}
