import Foundation
import Testing
@testable import Market

@Suite("TCP line feed against a loopback server", .serialized)
struct TCPLineFeedTests {
    @Test func csvAndJSONLinesArriveInOrderAcrossAReconnectAndAMalformedLineIsReported() throws {
        let server = try LineServer(scripts: [
            [
                "timestamp,symbol,price,size,bid,ask",
                "1700000000.000,BTC,100,1,99.9,100.1",
                #"{"timestamp":1700000000001,"symbol":"ETH","price":10.5,"size":2}"#,
                "this is not a record",
                "1700000000.002,BTC,101,1.5",
            ],
            [
                #"{"timestamp":"2023-11-14T22:13:20.003Z","symbol":"BTC","price":102,"size":1,"bid":101.9,"ask":102.1}"#,
                "1700000000.004,ETH,10.6,3",
            ],
        ])
        defer { server.close() }
        let feed = TCPLineFeed(host: "127.0.0.1", port: server.port, symbols: ["BTC", "ETH"])
        let run = FeedRun(feed)
        let arrived = run.wait { $0.received.count >= 5 }
        let stopSeconds = run.stop()
        #expect(arrived, "got \(run.received.count) ticks, \(server.connections) connections")
        #expect(stopSeconds != nil, "the feed did not stop")

        let ticks = run.received
        #expect(ticks.map(\.symbol) == ["BTC", "ETH", "BTC", "BTC", "ETH"])
        #expect(ticks.map(\.price) == [100, 10.5, 101, 102, 10.6])
        #expect(ticks.map(\.size) == [1, 2, 1.5, 1, 3])
        #expect(ticks.map(\.timeNanos) == (0..<5).map { 1_700_000_000_000_000_000 + UInt64($0) * 1_000_000 })
        #expect(ticks[0].bid == 99.9 && ticks[0].ask == 100.1 && ticks[1].bid.isNaN)
        #expect(ticks[3].bid == 101.9 && ticks[3].ask == 102.1)
        // The header is skipped, the bad line is reported with its place, nothing else is.
        #expect(run.malformed.count == 1)
        #expect(run.malformed.first?.hasPrefix("tcp:127.0.0.1:\(server.port): line 4:") == true, "\(run.malformed)")
        // The second script came over a second connection: the feed reconnected by itself.
        #expect(server.connections >= 2)
        if case .failure(let error) = run.result { Issue.record("run failed: \(error)") }
    }

    @Test func aFeedWithNoServerKeepsRetryingAndStopsWhenAsked() throws {
        // A port that was free a moment ago: connects are refused, the feed backs off and retries.
        let probe = try LineServer(scripts: [])
        let port = probe.port
        probe.close()
        let run = FeedRun(TCPLineFeed(host: "127.0.0.1", port: port, symbols: ["BTC"]))
        usleep(300_000)
        #expect(run.result == nil, "the feed must keep retrying, not end")
        #expect(run.stop() != nil)
        #expect(run.received.isEmpty && run.malformed.isEmpty)
    }
}
