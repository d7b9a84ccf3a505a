import Foundation
import Protocols
import Synchronization
import Testing
import TestSupport
@testable import Alerts

/// The Redis of `scripts/with-redis.sh` (QUANTUM_AGENT_REDIS_URL), or a private server.
enum AlertsTestRedis {
    static func with(_ body: (RedisConfiguration) async throws -> Void) async throws {
        try await TestRedis.withAsync(body)
    }

    /// Channel and stream names unique to one test.
    static func names(_ test: String) -> (channel: String, stream: String) {
        let prefix = TestRedis.prefix("alerts:\(test)")
        return (prefix + "channel", prefix + "stream")
    }
}

/// Messages received by a subscriber thread.
final class ReceivedMessages: Sendable {
    private let state = Mutex<(subscribed: Bool, payloads: [[UInt8]])>((false, []))

    func record(_ event: RedisSubscriberEvent) {
        state.withLock { s in
            switch event {
            case .subscribed: s.subscribed = true
            case let .message(_, payload): s.payloads.append(payload)
            default: break
            }
        }
    }

    var subscribed: Bool { state.withLock { $0.subscribed } }
    var payloads: [[UInt8]] { state.withLock { $0.payloads } }
}

@Suite(.serialized) struct RedisAlertChannelTests {
    static func event(_ id: UInt64, kind: AlertEvent.Kind = .raised) -> AlertEvent {
        WebhookAlertChannelTests.event(id, kind: kind)
    }

    static func ids(_ configuration: RedisConfiguration, stream: String) throws -> [UInt64] {
        let connection = RedisConnection(configuration: configuration)
        defer { connection.close() }
        return try RedisAlertMessage.history(connection: connection, stream: stream).map(\.message.alert.id)
    }

    @Test func everyEventKindReachesSubscribersAndTheStream() async throws {
        try await AlertsTestRedis.with { redis in
            let (channelName, stream) = AlertsTestRedis.names("kinds")
            let received = ReceivedMessages()
            let subscriber = try RedisSubscriber(configuration: redis, channels: [channelName]) { received.record($0) }
            defer { subscriber.stop() }
            #expect(await eventually { received.subscribed })
            let channel = RedisAlertChannel(configuration: try RedisAlertConfiguration(
                redis: redis, channel: channelName, stream: stream, agent: "agent-a"))
            defer { channel.close() }

            // The real life cycle: raised, acknowledged, snoozed, resolved.
            var manager = try AlertManager()
            var events = manager.observe(metric: "quantum_agent_drift_score_ratio", value: 0.9, now: 1_000)
            let id = try #require(events.first?.alert.id)
            events += [try #require(try manager.acknowledge(id: id, by: "alice", now: 2_000))]
            events.append(try manager.snooze(id: id, forNanoseconds: 60_000_000_000, now: 3_000))
            events += manager.observe(metric: "quantum_agent_drift_score_ratio", value: 0.1, now: 4_000)
            #expect(events.map(\.kind) == [.raised, .acknowledged, .snoozed, .resolved])
            for event in events { channel.send(event) }

            #expect(await eventually { received.payloads.count == 4 })
            let messages = try received.payloads.map { try RedisAlertMessage.decode($0) }
            #expect(messages.map(\.event) == events)
            #expect(messages.allSatisfy { $0.agent == "agent-a" })
            // The same JSON decodes as a plain AlertEvent too.
            #expect(try JSONDecoder().decode(AlertEvent.self, from: Data(received.payloads[0])) == events[0])

            let connection = RedisConnection(configuration: redis)
            defer { connection.close() }
            let history = try RedisAlertMessage.history(connection: connection, stream: stream)
            #expect(history.map(\.message) == messages)
            let later = try RedisAlertMessage.history(connection: connection, stream: stream, after: history[1].id)
            #expect(later.map(\.message.kind) == [.snoozed, .resolved])
            let fields = try connection.command(["XRANGE", RedisArgument(stream), "-", "+", "COUNT", "1"])
            #expect(fields.description.contains("$7"))   // the `agent` value "agent-a"
            let stats = channel.statistics
            #expect(stats.delivered == 4 && stats.dropped == 0 && stats.queued == 0 && stats.rejected == 0)
            _ = try connection.command(["DEL", RedisArgument(stream)])
        }
    }

    @Test func theStreamIsCappedApproximately() async throws {
        try await AlertsTestRedis.with { redis in
            let (channelName, stream) = AlertsTestRedis.names("cap")
            let channel = RedisAlertChannel(configuration: try RedisAlertConfiguration(
                redis: redis, channel: channelName, stream: stream, streamMaxLength: 10, agent: "a"))
            defer { channel.close() }
            for id in 1...500 { channel.send(Self.event(UInt64(id))) }
            #expect(await eventually { channel.statistics.delivered == 500 })
            let connection = RedisConnection(configuration: redis)
            defer { connection.close() }
            let length = try #require(try connection.command(["XLEN", RedisArgument(stream)]).integer)
            // MAXLEN ~ trims whole stream nodes (100 entries by default).
            #expect(length >= 10 && length <= 110, "XLEN \(length)")
            let ids = try Self.ids(redis, stream: stream)
            #expect(ids.last == 500 && ids == Array(ids.sorted()))
            _ = try connection.command(["DEL", RedisArgument(stream)])
        }
    }

    @Test func eventsSentWhileRedisIsDownAreDeliveredInOrderWhenItReturns() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("alerts-redis-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let server = try RedisServerProcess(persistenceDirectory: directory.path)   // the stream survives the restart
        defer { server.stop() }
        let (channelName, stream) = AlertsTestRedis.names("restart")
        let backoff = ReconnectBackoff(initialNs: 20_000_000, maximumNs: 200_000_000)
        let channel = RedisAlertChannel(configuration: try RedisAlertConfiguration(
            redis: server.configuration, channel: channelName, stream: stream, agent: "a", backoff: backoff))
        defer { channel.close() }

        channel.send(Self.event(1))
        #expect(await eventually { channel.statistics.delivered == 1 })
        server.stop()
        for id in 2...6 { channel.send(Self.event(UInt64(id), kind: id == 6 ? .resolved : .reminder)) }
        #expect(await eventually { channel.statistics.failedAttempts >= 2 })
        var stats = channel.statistics
        #expect(stats.delivered == 1 && stats.queued == 5 && stats.dropped == 0)
        #expect(stats.lastError != nil)

        try server.start()
        #expect(await eventually { channel.statistics.delivered == 6 }, "\(channel.statistics)")
        stats = channel.statistics
        #expect(stats.queued == 0 && stats.dropped == 0 && stats.connects >= 2)
        #expect(try Self.ids(server.configuration, stream: stream) == [1, 2, 3, 4, 5, 6], "\(channel.statistics)")
    }

    /// A server that answers but is not ready (BUSY running a script, LOADING after a
    /// restart) is retried, not taken for a refusal: nothing is lost.
    @Test func aServerNotReadyYetIsRetriedNotRefused() async throws {
        let server = try RedisServerProcess()
        defer { server.stop() }
        let admin = RedisConnection(configuration: server.configuration)
        defer { admin.close() }
        try admin.command("CONFIG", "SET", "busy-reply-threshold", "20")
        let (channelName, stream) = AlertsTestRedis.names("busy")
        let channel = RedisAlertChannel(configuration: try RedisAlertConfiguration(
            redis: server.configuration, channel: channelName, stream: stream, agent: "a",
            backoff: ReconnectBackoff(initialNs: 20_000_000, maximumNs: 100_000_000)))
        defer { channel.close() }
        channel.send(Self.event(1))
        #expect(await eventually { channel.statistics.delivered == 1 })

        // A script that never ends keeps the server busy until SCRIPT KILL.
        let port = server.port
        DispatchQueue.global().async {
            _ = try? RedisConnection(configuration: RedisConfiguration(port: port, readTimeoutMs: 60_000))
                .command("EVAL", "while true do end", "0")
        }
        let configuration = server.configuration
        #expect(await eventually {
            let probe = RedisConnection(configuration: configuration)
            defer { probe.close() }
            do { _ = try probe.command("PING"); return false } catch { return "\(error)".contains("BUSY") }
        })
        for id in 2...4 { channel.send(Self.event(UInt64(id))) }
        #expect(await eventually { channel.statistics.failedAttempts >= 2 })
        var stats = channel.statistics
        #expect(stats.delivered == 1 && stats.rejected == 0 && stats.queued == 3, "\(stats)")
        #expect(stats.lastError?.hasPrefix("Redis not ready: BUSY") == true, "\(stats)")

        try admin.command("SCRIPT", "KILL")
        #expect(await eventually { channel.statistics.delivered == 4 }, "\(channel.statistics)")
        stats = channel.statistics
        #expect(stats.rejected == 0 && stats.queued == 0 && stats.dropped == 0)
        #expect(try Self.ids(server.configuration, stream: stream) == [1, 2, 3, 4])
    }

    @Test func overflowWhileDownDropsTheOldestAndCountsThem() async throws {
        let server = try RedisServerProcess()
        defer { server.stop() }
        server.stop()   // unreachable: nothing listens on its port
        let (channelName, stream) = AlertsTestRedis.names("overflow")
        let channel = RedisAlertChannel(configuration: try RedisAlertConfiguration(
            redis: server.configuration, channel: channelName, stream: stream, agent: "a", bufferCapacity: 4,
            backoff: ReconnectBackoff(initialNs: 20_000_000, maximumNs: 100_000_000)))
        defer { channel.close() }
        for id in 1...10 { channel.send(Self.event(UInt64(id))) }   // returns at once: nothing to wait for
        var stats = channel.statistics
        #expect(stats.enqueued == 10 && stats.dropped == 6 && stats.queued == 4 && stats.delivered == 0)
        #expect(channel.droppedCount == 6)

        try server.start()
        #expect(await eventually { channel.statistics.delivered == 4 })
        #expect(try Self.ids(server.configuration, stream: stream) == [7, 8, 9, 10])
        stats = channel.statistics
        #expect(stats.dropped == 6 && stats.queued == 0)
    }

    @Test func closeDrainsTheBufferThenRefusesNewEvents() async throws {
        try await AlertsTestRedis.with { redis in
            let (channelName, stream) = AlertsTestRedis.names("drain")
            let channel = RedisAlertChannel(configuration: try RedisAlertConfiguration(
                redis: redis, channel: channelName, stream: stream, agent: "a"))
            for id in 1...3 { channel.send(Self.event(UInt64(id))) }
            channel.close(drainSeconds: 10)
            #expect(channel.statistics.delivered == 3)
            channel.send(Self.event(4))
            #expect(channel.statistics.dropped == 1)
            channel.close()   // idempotent
            #expect(try Self.ids(redis, stream: stream) == [1, 2, 3])
            let connection = RedisConnection(configuration: redis)
            defer { connection.close() }
            _ = try connection.command(["DEL", RedisArgument(stream)])
        }
    }

    @Test func aServerRefusalIsCountedNotRetriedForever() async throws {
        try await AlertsTestRedis.with { redis in
            let (channelName, stream) = AlertsTestRedis.names("wrongtype")
            let connection = RedisConnection(configuration: redis)
            defer { connection.close() }
            _ = try connection.command(["SET", RedisArgument(stream), "not a stream"])
            let channel = RedisAlertChannel(configuration: try RedisAlertConfiguration(
                redis: redis, channel: channelName, stream: stream, agent: "a"))
            defer { channel.close() }
            channel.send(Self.event(1))
            #expect(await eventually { channel.statistics.rejected == 1 })
            let stats = channel.statistics
            #expect(stats.delivered == 0 && stats.queued == 0)
            #expect(stats.lastError?.contains("WRONGTYPE") == true)
            _ = try connection.command(["DEL", RedisArgument(stream)])
        }
    }

    @Test func badOptionsAreNamed() {
        let redis = RedisConfiguration()
        #expect(throws: AlertError.invalidParameter(name: "redis alert bufferCapacity", value: "0", allowed: "1...1000000")) {
            try RedisAlertConfiguration(redis: redis, bufferCapacity: 0)
        }
        #expect(throws: AlertError.invalidParameter(name: "redis alert channel", value: "\"\"", allowed: "a channel name")) {
            try RedisAlertConfiguration(redis: redis, channel: "")
        }
    }
}
