// Orders per second through pre-trade risk + the paper venue + the position book, in one
// thread, release build. Not a test (excluded from ExecutionTests); run with ./run.sh.
// Each order: mark the venue and book, risk check, submit; every 64 orders a poll whose
// acks and fills are applied to the book. Virtual time advances 1 µs per order.
import Execution
import Foundation
import Protocols
import Risk

func runOnce(orders: Int) throws -> (seconds: Double, fills: UInt64, accepted: UInt64) {
    let limits = RiskLimits(maxPosition: 1_000, maxOrderSize: 10, maxNotional: 1e12, priceCollarBps: 100,
                            orderRateLimit: 1e9, orderBurst: 1e9, maxDrawdown: 0.5)
    var risk = try PreTradeRisk(limits: limits)
    var venue = try PaperVenue(configuration: .init(ackLatencyNanos: 20_000, fillLatencyNanos: 100_000, slippageBps: 1,
                                                    partialFillProbability: 0.1, rejectProbability: 0.001,
                                                    seed: 42, capacity: 65_536, symbols: 8))
    var book = PositionBook(symbols: 8, initialEquity: 1_000_000)
    var buffer = ExecutionReportBuffer(capacity: 1_024)
    let clock = ContinuousClock()
    let start = clock.now
    for i in 0..<orders {
        let now = UInt64(i) &* 1_000
        let symbol = Int32(i & 7)
        let price = 100 + Double(i & 15) * 0.01
        venue.mark(symbol: symbol, price: price)
        book.mark(symbol: symbol, price: price)
        let side: Side = (i >> 3) & 1 == 0 ? .buy : .sell
        let order = OrderRequest(id: UInt64(i), decisionID: UInt64(i), symbol: symbol, side: side, quantity: 1,
                                 limitPrice: side == .buy ? price * 1.005 : price * 0.995,
                                 ingressNanos: now, createdNanos: now)
        let verdict = risk.check(order, position: book.position(symbol), lastPrice: price, equity: book.equity,
                                 peakEquity: book.peakEquity, now: now, grossNotional: book.grossNotional)
        if verdict == .none { _ = venue.submit(order, now: now) }
        if i & 63 == 63 {
            buffer.removeAll()
            _ = venue.poll(now: now, into: &buffer)
            for report in buffer { book.apply(report) }
        }
    }
    let elapsed = start.duration(to: clock.now)
    let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
    return (seconds, venue.fillCount, risk.count(.none))
}

let orders = CommandLine.arguments.count > 1 ? Int(CommandLine.arguments[1]) ?? 2_000_000 : 2_000_000
var rates: [Double] = []
for run in 0..<5 {
    let r = try runOnce(orders: orders)
    rates.append(Double(orders) / r.seconds)
    print("run \(run): \(orders) orders in \(String(format: "%.3f", r.seconds)) s = \(Int(Double(orders) / r.seconds)) orders/s (accepted \(r.accepted), fills \(r.fills))")
}
rates.sort()
print("median: \(Int(rates[2])) orders/s through risk + paper venue + position book")
