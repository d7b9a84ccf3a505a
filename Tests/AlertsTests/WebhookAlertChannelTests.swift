import Foundation
import NIOCore
import NIOPosix
import Testing
@testable import Alerts

@Suite(.serialized) struct WebhookAlertChannelTests {
    static func event(_ id: UInt64, kind: AlertEvent.Kind = .raised) -> AlertEvent {
        let alert = Alert(id: id, key: "model_drift", rule: "model_drift", metric: "quantum_agent_drift_score_ratio",
                          severity: .warning, summary: "Model drift detected (drift_score > 0.8)", state: .firing,
                          value: 0.9, threshold: 0.8, firstSeenAt: 0, lastSeenAt: 0, occurrences: 1, notifiedAt: 0,
                          notifications: 1, acknowledgedBy: nil, acknowledgedAt: nil, snoozedUntil: nil, resolvedAt: nil)
        return AlertEvent(kind: kind, alert: alert, at: 1_732_000_000 * 1_000_000_000)
    }

    static func alertID(of body: String) -> String? {
        guard let message = try? JSONDecoder().decode(SlackMessage.self, from: Data(body.utf8)) else { return nil }
        return message.attachments.first?.fields.first { $0.title == "Alert id" }?.value
    }

    func withReceiver(_ body: (TestHTTPReceiver, MultiThreadedEventLoopGroup) async throws -> Void) async throws {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let receiver = try await TestHTTPReceiver(group: group)
        do {
            try await body(receiver, group)
        } catch {
            try? await receiver.close()
            try? await group.shutdownGracefully()
            throw error
        }
        try await receiver.close()
        try await group.shutdownGracefully()
    }

    @Test func postsASlackCompatibleBodyToALiveReceiver() async throws {
        try await withReceiver { receiver, group in
            let channel = WebhookAlertChannel(configuration: try WebhookConfiguration(url: receiver.url), eventLoopGroup: group)
            channel.send(Self.event(7))
            #expect(await eventually { channel.statistics.delivered == 1 })
            let body = try #require(receiver.answeredOK.first)
            let message = try JSONDecoder().decode(SlackMessage.self, from: Data(body.utf8))
            #expect(message.text == "[WARNING] FIRING: Model drift detected (drift_score > 0.8)")
            #expect(message.attachments.first?.color == "warning")
            #expect(message.attachments.first?.ts == 1_732_000_000)
            #expect(Self.alertID(of: body) == "7")
            channel.close()
        }
    }

    @Test func retriesWithBackoffAfter500UntilTheReceiverRecovers() async throws {
        try await withReceiver { receiver, group in
            receiver.setMode(.fail(remaining: 3))
            let config = try WebhookConfiguration(url: receiver.url, initialBackoff: .milliseconds(20))
            let channel = WebhookAlertChannel(configuration: config, eventLoopGroup: group)
            channel.send(Self.event(1))
            #expect(await eventually { channel.statistics.delivered == 1 })
            #expect(receiver.requests.map(\.status) == [500, 500, 500, 200])
            let stats = channel.statistics
            #expect(stats.failedAttempts == 3 && stats.dropped == 0 && stats.queued == 0)
            #expect(stats.lastError == "webhook receiver answered HTTP 500")
            channel.close()
        }
    }

    @Test func sendNeverWaitsForAHangingReceiverAndDeliversAfterRecovery() async throws {
        try await withReceiver { receiver, group in
            receiver.setMode(.hang)
            let config = try WebhookConfiguration(url: receiver.url, initialBackoff: .milliseconds(20),
                                                  requestTimeout: .milliseconds(300))
            let channel = WebhookAlertChannel(configuration: config, eventLoopGroup: group)
            channel.send(Self.event(1))
            // The first POST reaches the receiver, which holds it without answering.
            #expect(await eventually { receiver.requests.count >= 1 })
            for id in 2...51 { channel.send(Self.event(UInt64(id))) }
            // Every send returned while the receiver had still answered nothing.
            #expect(receiver.requests.allSatisfy { $0.status == nil })
            #expect(channel.statistics.enqueued == 51)
            #expect(channel.statistics.delivered == 0)
            receiver.setMode(.ok)
            #expect(await eventually { channel.statistics.delivered == 51 })
            #expect(receiver.answeredOK.compactMap(Self.alertID) == (1...51).map(String.init))
            #expect(channel.statistics.failedAttempts >= 1)
            #expect(channel.statistics.lastError == "webhook receiver did not answer within the request timeout")
            channel.close()
        }
    }

    @Test func aFullBufferDropsTheOldestCountsAndReportsTheDrops() async throws {
        try await withReceiver { receiver, group in
            receiver.setMode(.failForever)
            let config = try WebhookConfiguration(url: receiver.url, bufferCapacity: 4, initialBackoff: .milliseconds(20))
            let channel = WebhookAlertChannel(configuration: config, eventLoopGroup: group)
            for id in 1...10 { channel.send(Self.event(UInt64(id))) }
            #expect(channel.statistics.dropped == 6 && channel.droppedCount == 6)
            #expect(channel.statistics.queued == 4)
            receiver.setMode(.ok)
            #expect(await eventually { channel.statistics.queued == 0 })
            let delivered = receiver.answeredOK
            #expect(Set(["7", "8", "9", "10"]).isSubset(of: Set(delivered.compactMap(Self.alertID))))
            // Every drop is reported exactly once across the delivered messages (a report may be
            // split when delivery starts while the sends are still overflowing the buffer).
            let reported = delivered.compactMap { body -> Int? in
                guard let message = try? JSONDecoder().decode(SlackMessage.self, from: Data(body.utf8)),
                      let range = message.text.range(of: " earlier alert event(s) were dropped") else { return nil }
                return Int(message.text[..<range.lowerBound].split(separator: "(").last ?? "")
            }
            #expect(reported.reduce(0, +) == 6, "\(reported)")
            channel.close()
        }
    }

    @Test func anUnreachableReceiverIsRetriedNotLost() async throws {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        // Bind then close a server to get a port nobody listens on.
        let probe = try await TestHTTPReceiver(group: group)
        let url = probe.url
        try await probe.close()
        let config = try WebhookConfiguration(url: url, initialBackoff: .milliseconds(10), maximumBackoff: .milliseconds(40))
        let channel = WebhookAlertChannel(configuration: config, eventLoopGroup: group)
        channel.send(Self.event(1))
        #expect(await eventually { channel.statistics.failedAttempts >= 3 })
        #expect(channel.statistics.queued == 1 && channel.statistics.dropped == 0)
        channel.close()
        channel.send(Self.event(2))
        #expect(channel.statistics.dropped == 1)
        try await group.shutdownGracefully()
    }

    @Test func configurationParsesURLsAndRejectsBadOnes() throws {
        let config = try WebhookConfiguration(url: "http://10.0.0.5:9000/services/T/B/X")
        #expect(config.host == "10.0.0.5" && config.port == 9000 && config.path == "/services/T/B/X")
        let plain = try WebhookConfiguration(url: "http://relay")
        #expect(plain.port == 80 && plain.path == "/")
        #expect(throws: AlertError.self) { try WebhookConfiguration(url: "https://hooks.slack.com/x") }
        #expect(throws: AlertError.self) { try WebhookConfiguration(url: "http://host:99999/") }
        #expect(throws: AlertError.self) { try WebhookConfiguration(url: "http://host/", bufferCapacity: 0) }
        #expect(config.backoff(attempt: 1) == .milliseconds(100))
        #expect(config.backoff(attempt: 4) == .milliseconds(800))
        #expect(config.backoff(attempt: 100) == .seconds(30))
    }
}
