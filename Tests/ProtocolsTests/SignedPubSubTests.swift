import TestSupport
import Foundation
import Testing
@testable import Protocols

@Suite("Signed messages over real Redis pub/sub", .serialized)
struct SignedPubSubTests {
    @Test("a forged tag, a replay, a stale and a garbage message are dropped and counted; genuine ones pass")
    func dropsAndCounts() throws {
        try TestRedis.with { config throws in
            let channel = TestRedis.prefix("signed") + "heartbeat"
            let codec = WireCodec(key: try WireFixtures.key())
            let forger = WireCodec(key: try WireFixtures.otherKey())
            let log = EventLog<RedisSubscriberEvent>()
            let subscriber = try RedisSubscriber(configuration: config, channels: [channel]) { log.append($0) }
            defer { subscriber.stop() }
            #expect(log.wait { $0.contains(.subscribed(channel, count: 1)) })

            let now = UInt64(Date().timeIntervalSince1970 * 1e9)
            var sequence = SequenceCounter(startingAtNs: now)
            func heartbeat(_ seq: UInt64, at ts: UInt64) -> WireMessage {
                WireMessage(sender: "a1", sequence: seq, timestampNs: ts, payload: .heartbeat(Heartbeat(incarnation: 1, state: .trading)))
            }
            let genuine = try codec.encode(heartbeat(sequence.next(), at: now))
            let publisher = RedisConnection(configuration: config)
            let sent: [[UInt8]] = [
                genuine,
                try forger.encode(heartbeat(sequence.next(), at: now)),       // forged
                genuine,                                                       // replayed
                try codec.encode(heartbeat(sequence.next(), at: now - 10_000_000_000)),  // stale
                [0x51, 0x41, 0x57],                                            // garbage
                try codec.encode(heartbeat(sequence.next(), at: now)),        // genuine
            ]
            for bytes in sent { try publisher.command(["PUBLISH", RedisArgument(channel), RedisArgument(bytes: bytes)]) }
            #expect(log.wait { $0.filter { if case .message = $0 { true } else { false } }.count == sent.count })

            var guardian = ReplayGuard()
            for case let .message(_, payload) in log.all {
                do throws(WireError) {
                    _ = guardian.admit(try codec.decode(payload), nowNs: now)
                } catch {
                    guardian.recordDecodeFailure(error)
                }
            }
            var expected = DropCounters()
            expected.accepted = 2
            expected.forged = 1
            expected.replayed = 1
            expected.stale = 1
            expected.malformed = 1
            #expect(guardian.counters == expected)
        }
    }
}
