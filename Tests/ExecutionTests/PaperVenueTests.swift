import Protocols
import Testing
@testable import Execution

func makeOrder(_ id: UInt64, _ side: Side = .buy, qty: Double = 10, price: Double = 101, symbol: Int32 = 0) -> OrderRequest {
    OrderRequest(id: id, decisionID: id, symbol: symbol, side: side, quantity: qty, limitPrice: price,
                 ingressNanos: 0, createdNanos: 0)
}

/// Polls until nothing more is due at `now`, collecting every report.
func drain(_ venue: inout PaperVenue, now: UInt64, capacity: Int = 4) -> [ExecutionReport] {
    var buffer = ExecutionReportBuffer(capacity: capacity)
    var all: [ExecutionReport] = []
    while true {
        buffer.removeAll()
        let n = venue.poll(now: now, into: &buffer)
        all.append(contentsOf: buffer)
        if n < capacity { return all }
    }
}

@Suite struct PaperVenueTests {
    static let quiet = PaperVenue.Configuration(ackLatencyNanos: 1_000, fillLatencyNanos: 10_000, slippageBps: 10,
                                                partialFillProbability: 0, rejectProbability: 0, capacity: 8, symbols: 4)

    @Test func lifecycleIsNewAckFilledAtTheConfiguredLatencies() throws {
        var venue = try PaperVenue(configuration: Self.quiet)
        venue.mark(symbol: 0, price: 100)
        let new = venue.submit(makeOrder(1), now: 5_000)
        #expect(new.status == .new && new.leavesQuantity == 10 && new.timeNanos == 5_000)
        #expect(drain(&venue, now: 5_999).isEmpty)
        let ack = drain(&venue, now: 6_000)
        #expect(ack.map(\.status) == [.acknowledged])
        #expect(drain(&venue, now: 15_999).isEmpty)
        let fill = drain(&venue, now: 16_000)
        #expect(fill.count == 1)
        let f = try #require(fill.first)
        #expect(f.status == .filled && f.lastQuantity == 10 && f.cumulativeQuantity == 10 && f.leavesQuantity == 0)
        #expect(abs(f.lastPrice - 100.1) < 1e-12)  // 10 bps slippage against a buy
        #expect(f.timeNanos == 16_000)
        #expect(venue.openOrders == 0)
    }

    @Test func sellsSlipDownAndUnmarketableLimitsRest() throws {
        var venue = try PaperVenue(configuration: Self.quiet)
        venue.mark(symbol: 1, price: 200)
        _ = venue.submit(makeOrder(1, .sell, qty: 2, price: 199, symbol: 1), now: 0)
        let reports = drain(&venue, now: 11_000)
        #expect(reports.map(\.status) == [.acknowledged, .filled])
        #expect(abs((reports.last?.lastPrice ?? 0) - 199.8) < 1e-12)
        // A buy limited below the slipped price rests until the market comes to it.
        _ = venue.submit(makeOrder(2, .buy, qty: 1, price: 150, symbol: 1), now: 20_000)
        #expect(drain(&venue, now: 100_000).map(\.status) == [.acknowledged])
        venue.mark(symbol: 1, price: 149)
        let later = drain(&venue, now: 200_000)
        #expect(later.map(\.status) == [.filled])
        #expect(abs((later.first?.lastPrice ?? 0) - 149 * 1.001) < 1e-12)
    }

    @Test func partialFillsAddUpToTheOrderQuantity() throws {
        var config = Self.quiet
        config.partialFillProbability = 0.7
        config.seed = 3
        var venue = try PaperVenue(configuration: config)
        venue.mark(symbol: 0, price: 100)
        _ = venue.submit(makeOrder(1, qty: 7), now: 0)
        let reports = drain(&venue, now: 10_000_000)
        let fills = reports.filter { $0.lastQuantity > 0 }
        #expect(fills.count >= 2, "seed 3 should give at least one partial fill")
        #expect(fills.dropLast().allSatisfy { $0.status == .partiallyFilled })
        #expect(fills.last?.status == .filled)
        #expect(abs(fills.reduce(0) { $0 + $1.lastQuantity } - 7) < 1e-9)
        var cumulative = 0.0
        for f in fills {
            cumulative += f.lastQuantity
            #expect(abs(f.cumulativeQuantity - cumulative) < 1e-9)
            #expect(abs(f.leavesQuantity - (7 - cumulative)) < 1e-9)
        }
    }

    @Test func cancelEndsAnOpenOrderAndFreesItsSlot() throws {
        var venue = try PaperVenue(configuration: Self.quiet)
        venue.mark(symbol: 0, price: 100)
        _ = venue.submit(makeOrder(1), now: 0)
        #expect(drain(&venue, now: 1_000).map(\.status) == [.acknowledged])
        let cancel = venue.cancel(orderID: 1, now: 2_000)
        let cancelled = try #require(cancel)
        #expect(cancelled.status == .cancelled && cancelled.leavesQuantity == 0)
        #expect(venue.cancel(orderID: 1, now: 2_001) == nil)
        #expect(venue.cancel(orderID: 99, now: 2_001) == nil)
        #expect(drain(&venue, now: 1_000_000).isEmpty)  // no fill after a cancel
        for id in UInt64(10)..<18 { #expect(venue.submit(makeOrder(id), now: 1_000_000).status == .new) }
        let full = venue.submit(makeOrder(18), now: 1_000_000)
        #expect(full.status == .rejected && full.reason == .venueReject)
    }

    @Test func rejectsInvalidAndDuplicateOrdersAtOnceAndRandomlyAtAck() throws {
        var venue = try PaperVenue(configuration: Self.quiet)
        #expect(venue.submit(makeOrder(1, qty: -1), now: 0).reason == .invalidOrder)
        #expect(venue.submit(makeOrder(2, symbol: 9), now: 0).reason == .invalidOrder)
        #expect(venue.submit(makeOrder(3), now: 0).status == .new)
        #expect(venue.submit(makeOrder(3), now: 0).reason == .invalidOrder)
        var config = Self.quiet
        config.rejectProbability = 1
        var rejecting = try PaperVenue(configuration: config)
        _ = rejecting.submit(makeOrder(1), now: 0)
        let r = drain(&rejecting, now: 1_000)
        #expect(r.map(\.status) == [.rejected] && r.first?.reason == .venueReject)
        #expect(rejecting.openOrders == 0 && rejecting.rejected == 1)
    }

    @Test func sameSeedSameOrdersGiveIdenticalReports() throws {
        var config = Self.quiet
        config.partialFillProbability = 0.3
        config.rejectProbability = 0.1
        config.capacity = 256
        func run() throws -> [ExecutionReport] {
            var venue = try PaperVenue(configuration: config)
            var out: [ExecutionReport] = []
            for i in 0..<100 {
                let now = UInt64(i) * 3_000
                venue.mark(symbol: Int32(i % 4), price: 100 + Double(i % 7))
                out.append(venue.submit(makeOrder(UInt64(i), i % 2 == 0 ? .buy : .sell, qty: 3, price: i % 2 == 0 ? 200 : 50,
                                                  symbol: Int32(i % 4)), now: now))
                out += drain(&venue, now: now)
            }
            return out + drain(&venue, now: .max / 2)
        }
        let a = try run()
        #expect(a == (try run()))
        #expect(a.contains { $0.status == .partiallyFilled } && a.contains { $0.status == .rejected })
    }

    @Test func pollStopsWhenTheBufferIsFullAndResumesNextTime() throws {
        var venue = try PaperVenue(configuration: Self.quiet)
        venue.mark(symbol: 0, price: 100)
        for id in UInt64(1)...5 { _ = venue.submit(makeOrder(id), now: 0) }
        var buffer = ExecutionReportBuffer(capacity: 2)
        #expect(venue.poll(now: 1_000, into: &buffer) == 2)
        #expect(buffer.isFull)
        #expect(venue.poll(now: 1_000, into: &buffer) == 0)
        buffer.removeAll()
        #expect(venue.poll(now: 1_000, into: &buffer) == 2)
        #expect(buffer.map(\.orderID) == [3, 4])
    }

    @Test func invalidConfigurationNamesTheKey() {
        var config = Self.quiet
        config.rejectProbability = 2
        #expect(throws: PaperVenueError.invalid(key: "reject_probability", value: "2.0", allowed: "a probability in 0...1")) {
            try PaperVenue(configuration: config)
        }
    }
}
