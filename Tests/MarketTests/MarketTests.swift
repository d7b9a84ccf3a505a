import Foundation
import Protocols
import Synchronization
import Testing
@testable import Market

@Suite struct TickValidatorTests {
    @Test func badRecordsAreRejectedCountedByKindAndTheFeedGoesOn() {
        var validator = TickValidator(symbols: SymbolTable(["BTC", "ETH"]))
        let records: [(RawTick, FeedRejection?)] = [
            (RawTick(symbol: "BTC", price: 100, size: 1, timeNanos: 10), nil),
            (RawTick(symbol: "BTC", price: .nan, size: 1, timeNanos: 11), .nonFinite),
            (RawTick(symbol: "BTC", price: -5, size: 1, timeNanos: 12), .nonPositivePrice),
            (RawTick(symbol: "BTC", price: 0, size: 1, timeNanos: 12), .nonPositivePrice),
            (RawTick(symbol: "BTC", price: 101, size: 1, timeNanos: 5), .timeBackwards),
            (RawTick(symbol: "DOGE", price: 1, size: 1, timeNanos: 20), .unknownSymbol),
            (RawTick(symbol: "ETH", price: 10, size: -1, timeNanos: 20), .invalidQuantity),
            (RawTick(symbol: "ETH", price: 10, size: 1, bid: 11, ask: 10, timeNanos: 20), .invalidQuantity),
            (RawTick(symbol: "ETH", price: 10, size: 1, bid: 9.9, ask: 10.1, timeNanos: 21), nil),
            (RawTick(symbol: "BTC", price: 102, size: 1, timeNanos: 12), nil),
        ]
        for (raw, expected) in records {
            switch validator.validate(raw) {
            case .success: #expect(expected == nil, "\(raw) should be rejected as \(String(describing: expected))")
            case .failure(let kind): #expect(kind == expected, "\(raw)")
            }
        }
        #expect(validator.accepted == 3)
        #expect(validator.count(.nonPositivePrice) == 2)
        #expect(validator.count(.nonFinite) == 1 && validator.count(.timeBackwards) == 1 && validator.count(.unknownSymbol) == 1)
        #expect(validator.count(.invalidQuantity) == 2)
    }

    @Test func linesParseAsCSVOrJSON() throws {
        let csv = try #require(FeedLineParser.parse("1700000000.5,BTC,100.5,2,100.4,100.6"))
        #expect(csv.symbol == "BTC" && csv.price == 100.5 && csv.size == 2 && csv.bid == 100.4 && csv.ask == 100.6)
        #expect(csv.timeNanos == 1_700_000_000_500_000_000)
        let ms = try #require(FeedLineParser.parse("1700000000500,ETH,10,1"))
        #expect(ms.timeNanos == 1_700_000_000_500_000_000 && ms.bid.isNaN)
        let json = try #require(FeedLineParser.parse(#"{"timestamp":"2024-01-02T03:04:05Z","symbol":"SPY","price":470.1,"size":3}"#))
        #expect(json.symbol == "SPY" && json.price == 470.1 && json.timeNanos == 1_704_164_645_000_000_000)
        #expect(FeedLineParser.parse("garbage") == nil)
        #expect(FeedLineParser.parse("1,BTC,abc,1") == nil)
        #expect(FeedLineParser.parse("1,BTC,1,1,2") == nil)
    }
}

@Suite struct FeedDriverTests {
    @Test func csvReplayWithBadLinesDeliversTheGoodOnesAndCountsTheRest() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("qa-feed-\(UUID().uuidString).csv").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let lines = [
            "timestamp,symbol,price,size,bid,ask",
            "1700000000.000,BTC,100,1,99.9,100.1",
            "1700000000.001,BTC,nan,1,,",
            "1700000000.002,BTC,-1,1,,",
            "this is not a record",
            "1699999999.999,BTC,101,1,,",
            "1700000000.003,XRP,1,1,,",
            "1700000000.004,BTC,102,1,,",
        ]
        try lines.joined(separator: "\n").write(toFile: path, atomically: true, encoding: .utf8)
        let source = try CSVReplay(path: path, speed: nil, symbols: ["BTC"])
        let driver = FeedDriver(source: source, symbols: SymbolTable(["BTC"]))
        let received = Mutex<[Tick]>([])
        driver.start { tick in
            received.withLock { $0.append(tick) }
            return true
        }
        #expect(driver.waitUntilFinished(timeoutSeconds: 10))
        let ticks = received.withLock { $0 }
        #expect(ticks.map(\.price) == [100, 102])
        #expect(ticks.map(\.sequence) == [1, 2])
        #expect(ticks.allSatisfy { $0.ingressNanos > 0 })
        let stats = driver.stats
        #expect(stats.accepted == 2)
        #expect(stats.malformed == 1)
        #expect(stats.rejected == ["non_finite": 1, "non_positive_price": 1, "time_backwards": 1, "unknown_symbol": 1])
    }

    @Test func missingCSVFileIsAClearError() {
        let source = try? CSVReplay(path: "/nonexistent/ticks.csv")
        #expect(throws: MarketError.self) { try source?.run(emit: { _ in }, malformed: { _ in }, shouldStop: { false }) }
        #expect(throws: MarketError.self) { try CSVReplay(path: "x.csv", speed: 0) }
        #expect(throws: MarketError.self) { try TCPLineFeed.parseAddress("localhost") }
    }

    @Test func syntheticMarketIsDeterministicPerSeed() {
        let configuration = SyntheticMarket.Configuration(symbols: ["A", "B"], seed: 7, ratePerSecond: nil)
        var first = SyntheticMarket.Generator(configuration)
        var second = SyntheticMarket.Generator(configuration)
        var other = SyntheticMarket.Generator(.init(symbols: ["A", "B"], seed: 8, ratePerSecond: nil))
        var same = true
        var differs = false
        for _ in 0..<1000 {
            let a = first.next()
            same = same && a == second.next()
            differs = differs || a != other.next()
            #expect(a.price > 0 && a.bid < a.ask)
        }
        #expect(same && differs)
    }
}
