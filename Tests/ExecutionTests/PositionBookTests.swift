import Protocols
import Risk
import Testing
@testable import Execution

private func fill(_ side: Side, _ qty: Double, at price: Double, symbol: Int32 = 0) -> ExecutionReport {
    ExecutionReport(orderID: 1, symbol: symbol, side: side, status: .filled, lastQuantity: qty, lastPrice: price,
                    cumulativeQuantity: qty, leavesQuantity: 0, timeNanos: 0)
}

@Suite struct PositionBookTests {
    @Test func averageCostRealisedAndUnrealisedPnL() {
        var book = PositionBook(symbols: 2, initialEquity: 10_000)
        book.apply(fill(.buy, 10, at: 100))
        book.apply(fill(.buy, 10, at: 110))
        #expect(book.position(0) == 20 && book.averagePrice(0) == 105)
        book.mark(symbol: 0, price: 120)
        #expect(book.unrealisedPnL == 300)
        book.apply(fill(.sell, 5, at: 120))  // realise (120 − 105) × 5
        #expect(book.realisedPnL == 75 && book.position(0) == 15 && book.averagePrice(0) == 105)
        book.apply(fill(.sell, 25, at: 100))  // close 15 at −5 each, open −10 at 100
        #expect(book.realisedPnL == 0 && book.position(0) == -10 && book.averagePrice(0) == 100)
        book.mark(symbol: 0, price: 90)
        #expect(book.unrealisedPnL == 100)
        #expect(book.equity == 10_100)
        book.apply(fill(.buy, 10, at: 90))
        #expect(book.position(0) == 0 && book.averagePrice(0) == 0 && book.realisedPnL == 100 && book.unrealisedPnL == 0)
        #expect(book.fills == 5)
        let unknownSymbol = book.apply(fill(.buy, 1, at: 1, symbol: 7))
        #expect(!unknownSymbol && book.ignored == 1)
        let ack = book.apply(ExecutionReport(orderID: 1, symbol: 0, side: .buy, status: .acknowledged,
                                             cumulativeQuantity: 0, leavesQuantity: 1, timeNanos: 0))
        #expect(!ack)
    }

    @Test func peakEquityAndDrawdownFollowMarks() {
        var book = PositionBook(symbols: 1, initialEquity: 1_000)
        book.apply(fill(.buy, 10, at: 100))
        book.mark(symbol: 0, price: 110)
        #expect(book.peakEquity == 1_100)
        book.mark(symbol: 0, price: 99)
        #expect(abs(book.drawdown - 0.11 / 1.1) < 1e-12)
        #expect(book.grossNotional == 990)
    }

    /// Paper-venue fills on random orders: equity from the book's accounting equals the cash
    /// flow of the fills plus the marked positions, per symbol and in total.
    @Test func pnlAddsUpAgainstFillsFromThePaperVenue() throws {
        let config = PaperVenue.Configuration(ackLatencyNanos: 500, fillLatencyNanos: 2_000, slippageBps: 2,
                                              partialFillProbability: 0.3, rejectProbability: 0.05, seed: 11,
                                              capacity: 1024, symbols: 3)
        var venue = try PaperVenue(configuration: config)
        var book = PositionBook(symbols: 3, initialEquity: 100_000)
        var rng = SeededGenerator(seed: 5)
        var prices = [100.0, 50.0, 20.0]
        var cash = [0.0, 0.0, 0.0]
        var quantity = [0.0, 0.0, 0.0]
        var buffer = ExecutionReportBuffer(capacity: 64)
        var fills = 0
        for i in 0..<3_000 {
            let now = UInt64(i) * 1_000
            let s = Int(rng.next() % 3)
            prices[s] *= 1 + 0.002 * rng.nextNormal()
            venue.mark(symbol: Int32(s), price: prices[s])
            book.mark(symbol: Int32(s), price: prices[s])
            if i % 3 == 0 {
                let side: Side = rng.nextUnit() < 0.5 ? .buy : .sell
                let limit = side == .buy ? prices[s] * 1.01 : prices[s] * 0.99
                _ = venue.submit(OrderRequest(id: UInt64(i), decisionID: 0, symbol: Int32(s), side: side,
                                              quantity: Double(1 + rng.next() % 5), limitPrice: limit,
                                              ingressNanos: now, createdNanos: now), now: now)
            }
            buffer.removeAll()
            _ = venue.poll(now: now, into: &buffer)
            for r in buffer where r.lastQuantity > 0 {
                book.apply(r)
                let i = Int(r.symbol)
                cash[i] -= r.side.sign * r.lastQuantity * r.lastPrice
                quantity[i] += r.side.sign * r.lastQuantity
                fills += 1
            }
        }
        #expect(fills > 500)
        var total = 0.0
        for s in 0..<3 {
            #expect(abs(book.position(Int32(s)) - quantity[s]) < 1e-9)
            let pnl = cash[s] + quantity[s] * book.lastPrice(Int32(s))
            #expect(abs(book.realisedPnL(Int32(s)) + book.unrealisedPnL(Int32(s)) - pnl) < 1e-6)
            total += pnl
        }
        #expect(abs(book.equity - (100_000 + total)) < 1e-6)
        #expect(abs(book.cashFlow - cash.reduce(0, +)) < 1e-6)
        let before = book.equity
        book.recomputeTotals()
        #expect(abs(book.equity - before) < 1e-6)
    }
}
