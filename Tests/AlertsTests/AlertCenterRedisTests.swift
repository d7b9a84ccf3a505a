import Foundation
import Hardware
import Protocols
import Runtime
import Testing
@testable import Alerts

/// The alert center on a deterministic actor system and a virtual clock, with the Redis channel.
@Suite(.serialized) struct AlertCenterRedisTests {
    @Test func countedErrorsRaiseTheErrorRateAlertOnTheNextTickAndRedisCarriesIt() async throws {
        try await AlertsTestRedis.with { redis in
            let (channelName, stream) = AlertsTestRedis.names("center")
            let received = ReceivedMessages()
            let subscriber = try RedisSubscriber(configuration: redis, channels: [channelName]) { received.record($0) }
            defer { subscriber.stop() }
            #expect(await eventually { received.subscribed })
            let channel = RedisAlertChannel(configuration: try RedisAlertConfiguration(
                redis: redis, channel: channelName, stream: stream, agent: "agent-b"))
            defer { channel.close() }

            let clock = VirtualClock(start: 1_000 * second)
            let plan = try CorePlan.make([.init(name: "alerts", latencyClass: .background)], topology: Topology.current())
            let system = try ActorSystem(plan: plan, configuration: .init(deterministic: true), clock: clock)
            let manager = try AlertManager(configuration: AlertManagerConfiguration(cooldownMinutes: 15))
            let center = try await system.pumping {
                try await system.spawn("alerts", mailbox: ChannelConfiguration(name: "alerts", capacity: 64)) {
                    AlertCenter(executor: $0, manager: manager, channels: [channel], epochOffsetNanoseconds: 0)
                }
            }
            func count(handled: Double, errors: Double) {
                center.send(.count([MetricObservation(metric: AlertRule.messagesHandledCounter, value: handled),
                                    MetricObservation(metric: AlertRule.handlerErrorsCounter, value: errors)]))
            }
            count(handled: 1_000, errors: 40)   // 4 %
            center.send(.tick)
            system.runUntilIdle()
            clock.advance(by: second)
            count(handled: 1_000, errors: 80)   // 120 / 2,000 = 6 % over the last minute
            system.runUntilIdle()
            #expect(channel.statistics.enqueued == 0)   // evaluated at the tick, not per counter
            center.send(.tick)
            system.runUntilIdle()
            #expect(await eventually { received.payloads.count == 1 })
            let message = try RedisAlertMessage.decode(try #require(received.payloads.first))
            #expect(message.kind == .raised && message.alert.rule == "high_error_rate" && message.agent == "agent-b")
            #expect(abs(message.alert.value - 0.06) < 1e-12 && message.at == 1_001 * second)
            // A minute later the errors have left the window: resolved, published too.
            clock.advance(by: 60 * second)
            center.send(.tick)
            system.runUntilIdle()
            #expect(await eventually { received.payloads.count == 2 })
            #expect(try RedisAlertMessage.decode(received.payloads[1]).kind == .resolved)
            let connection = RedisConnection(configuration: redis)
            defer { connection.close() }
            #expect(try RedisAlertMessage.history(connection: connection, stream: stream).map(\.message.kind) == [.raised, .resolved])
            _ = try connection.command(["DEL", RedisArgument(stream)])
        }
    }
}
