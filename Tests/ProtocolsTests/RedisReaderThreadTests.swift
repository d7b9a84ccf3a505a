import TestSupport
import Testing
@testable import Protocols

@Suite("Redis pub/sub and stream readers on dedicated threads", .serialized)
struct RedisReaderThreadTests {
    @Test("the subscriber delivers channel and pattern messages in order, binary-safe")
    func subscriberDelivers() throws {
        try TestRedis.with { config throws in
            let prefix = TestRedis.prefix("sub")
            let log = EventLog<RedisSubscriberEvent>()
            let subscriber = try RedisSubscriber(configuration: config, channels: [prefix + "a"], patterns: [prefix + "p.*"]) { log.append($0) }
            defer { subscriber.stop() }
            #expect(log.wait { $0.filter { if case .subscribed = $0 { true } else { false } }.count == 2 })
            let publisher = RedisConnection(configuration: config)
            for i in 0..<50 {
                try publisher.command(["PUBLISH", RedisArgument(prefix + "a"), RedisArgument(bytes: [0, UInt8(i), 0])])
            }
            try publisher.command(["PUBLISH", RedisArgument(prefix + "p.x"), "hello"])
            #expect(log.wait { $0.contains(.patternMessage(pattern: prefix + "p.*", channel: prefix + "p.x", payload: Array("hello".utf8))) })
            let payloads = log.all.compactMap { event -> [UInt8]? in
                if case let .message(_, payload) = event { return payload } else { return nil }
            }
            #expect(payloads == (0..<50).map { [0, UInt8($0), 0] })
            #expect(log.all.first == .connected(reconnected: false))
        }
    }

    @Test("the subscriber survives a redis-server restart: disconnected, reconnected, resubscribed")
    func subscriberReconnects() throws {
        let server = try RedisServerProcess()
        defer { server.stop() }
        let log = EventLog<RedisSubscriberEvent>()
        let subscriber = try RedisSubscriber(
            configuration: server.configuration, channels: ["hb"],
            backoff: ReconnectBackoff(initialNs: 5_000_000, maximumNs: 50_000_000)
        ) { log.append($0) }
        defer { subscriber.stop() }
        #expect(log.wait { $0.contains(.subscribed("hb", count: 1)) })
        server.kill()
        #expect(log.wait { $0.contains { if case .disconnected = $0 { true } else { false } } })
        try server.start()
        #expect(log.wait { $0.contains(.connected(reconnected: true)) })
        #expect(log.wait { $0.filter { $0 == .subscribed("hb", count: 1) }.count == 2 })
        try RedisConnection(configuration: server.configuration).command("PUBLISH", "hb", "after")
        #expect(log.wait { $0.contains(.message(channel: "hb", payload: Array("after".utf8))) })
    }

    @Test("stop() wakes a subscriber blocked in a read with no timeout and joins it")
    func stopWakesBlockedRead() throws {
        try TestRedis.with { config throws in
            var forever = config
            forever.readTimeoutMs = 0
            let log = EventLog<RedisSubscriberEvent>()
            let subscriber = try RedisSubscriber(configuration: forever, channels: [TestRedis.prefix("idle")]) { log.append($0) }
            #expect(log.wait { $0.contains { if case .subscribed = $0 { true } else { false } } })
            subscriber.stop()  // returns only once the thread has exited
            #expect(!log.all.contains { if case .disconnected = $0 { true } else { false } })
        }
    }

    @Test("streams: XADD MAXLEN ~, group create idempotent, XREADGROUP, XACK, XAUTOCLAIM from a dead consumer")
    func streamCommands() throws {
        try TestRedis.with { config throws in
            let redis = RedisConnection(configuration: config)
            let stream = TestRedis.prefix("stream") + "decisions"
            #expect(try redis.xgroupCreate(stream, group: "g", startID: "0"))
            #expect(try !redis.xgroupCreate(stream, group: "g", startID: "0"))
            var ids: [String] = []
            for i in 0..<5 {
                ids.append(try redis.xadd(stream, maxLength: 1000, fields: [("payload", [UInt8(i), 0, 255]), ("n", Array("\(i)".utf8))]))
            }
            let dead = try redis.xreadgroup(stream, group: "g", consumer: "dead-agent", count: 3)
            #expect(dead.map(\.id) == Array(ids.prefix(3)))
            #expect(dead[1]["payload"] == [1, 0, 255])
            let alive = try redis.xreadgroup(stream, group: "g", consumer: "alive", count: 10)
            #expect(alive.map(\.id) == Array(ids.suffix(2)))
            #expect(try redis.xack(stream, group: "g", ids: alive.map(\.id)) == 2)
            let claimed = try redis.xautoclaim(stream, group: "g", consumer: "alive", minIdleMs: 0)
            #expect(claimed.entries.map(\.id) == Array(ids.prefix(3)))
            #expect(claimed.nextStart == "0-0")
            #expect(try redis.xack(stream, group: "g", ids: claimed.entries.map(\.id)) == 3)
            #expect(try redis.xreadgroup(stream, group: "g", consumer: "alive", id: "0").isEmpty)
            for i in 0..<2000 { _ = try redis.xadd(stream, maxLength: 100, fields: [("i", Array("\(i)".utf8))]) }
            let length = try redis.command(["XLEN", RedisArgument(stream)]).integer ?? 0
            #expect(length >= 100 && length < 2005)
            try redis.command(["DEL", RedisArgument(stream)])
        }
    }

    @Test("the stream consumer delivers new entries, re-delivers unacked ones after restart of the consumer")
    func streamConsumer() throws {
        try TestRedis.with { config throws in
            let stream = TestRedis.prefix("consumer") + "s"
            let redis = RedisConnection(configuration: config)
            let settings = RedisStreamConsumer.Configuration(stream: stream, group: "agents", consumer: "a1", blockMs: 200)
            let log = EventLog<RedisStreamConsumerEvent>()
            let consumer = try RedisStreamConsumer(redis: config, consumer: settings) { log.append($0) }
            #expect(log.wait { $0.contains(.connected(reconnected: false)) })
            let first = try redis.xadd(stream, fields: [("v", [1])])
            let second = try redis.xadd(stream, fields: [("v", [2])])
            #expect(log.wait { events in
                events.flatMap { event -> [String] in
                    if case let .entries(e, false) = event { return e.map(\.id) }
                    return []
                } == [first, second]
            })
            consumer.stop()
            _ = try redis.xack(stream, group: "agents", ids: [first])
            let log2 = EventLog<RedisStreamConsumerEvent>()
            let again = try RedisStreamConsumer(redis: config, consumer: settings) { log2.append($0) }
            defer { again.stop() }
            #expect(log2.wait { events in
                events.contains { if case let .entries(e, true) = $0 { e.map(\.id) == [second] } else { false } }
            })
            try redis.command(["DEL", RedisArgument(stream)])
        }
    }

    @Test("the stream consumer recreates its group after a restart of a non-persistent redis-server")
    func streamConsumerSurvivesRestart() throws {
        let server = try RedisServerProcess()
        defer { server.stop() }
        let log = EventLog<RedisStreamConsumerEvent>()
        let consumer = try RedisStreamConsumer(
            redis: server.configuration, consumer: .init(stream: "s", group: "g", consumer: "c", blockMs: 100),
            backoff: ReconnectBackoff(initialNs: 5_000_000, maximumNs: 50_000_000)) { log.append($0) }
        defer { consumer.stop() }
        #expect(log.wait { $0.contains(.connected(reconnected: false)) })
        try server.restart()
        #expect(log.wait { $0.contains(.connected(reconnected: true)) })
        let id = try RedisConnection(configuration: server.configuration).xadd("s", fields: [("v", [9])])
        #expect(log.wait { $0.contains { if case let .entries(e, false) = $0 { e.first?.id == id } else { false } } })
    }
}
