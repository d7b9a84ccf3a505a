import Protocols
import Testing
@testable import Risk

private func order(_ side: Side = .buy, qty: Double = 1, price: Double = 100, symbol: Int32 = 0, id: UInt64 = 1) -> OrderRequest {
    OrderRequest(id: id, decisionID: id, symbol: symbol, side: side, quantity: qty, limitPrice: price,
                 ingressNanos: 0, createdNanos: 0)
}

@Suite struct PreTradeRiskTests {
    static let limits = RiskLimits(maxPosition: 10, maxOrderSize: 5, maxNotional: 1500, priceCollarBps: 50,
                                   orderRateLimit: 1000, orderBurst: 3, maxDrawdown: 0.1)

    private func check(_ risk: inout PreTradeRisk, _ o: OrderRequest, position: Double = 0, last: Double = 100,
                       equity: Double = 1000, peak: Double = 1000, now: UInt64 = 0, gross: Double = 0) -> RejectReason {
        risk.check(o, position: position, lastPrice: last, equity: equity, peakEquity: peak, now: now, grossNotional: gross)
    }

    @Test func acceptsAnOrderWithinEveryLimit() throws {
        var risk = try PreTradeRisk(limits: Self.limits)
        #expect(check(&risk, order()) == RejectReason.none)
        #expect(risk.count(.none) == 1 && risk.checked == 1)
    }

    @Test func eachLimitRejectsWithItsOwnReason() throws {
        var risk = try PreTradeRisk(limits: Self.limits)
        #expect(check(&risk, order(qty: 0)) == .invalidOrder)
        #expect(check(&risk, order(price: .nan)) == .invalidOrder)
        #expect(check(&risk, order(qty: 6)) == .maxOrderSize)
        #expect(check(&risk, order(qty: 5), position: 6) == .maxPosition)
        #expect(check(&risk, order(.sell, qty: 5), position: -6) == .maxPosition)
        // Notional: 10 × 100 own + 600 elsewhere = 1600 > 1500.
        #expect(check(&risk, order(qty: 4), position: 6, gross: 1200) == .maxNotional)
        #expect(check(&risk, order(price: 100.6)) == .priceCollar)  // 60 bps away
        #expect(check(&risk, order(price: 99.6)) == RejectReason.none)  // 40 bps
        #expect(check(&risk, order(), last: 0) == .priceCollar)  // no usable last price
        #expect(risk.count(.maxPosition) == 2)
        #expect(risk.count(.invalidOrder) == 2)
    }

    @Test func reducingOrdersPassPositionAndNotionalLimitsEvenWhenOver() throws {
        var risk = try PreTradeRisk(limits: Self.limits)
        #expect(check(&risk, order(.sell, qty: 5), position: 14, gross: 5000) == RejectReason.none)
        #expect(check(&risk, order(.buy, qty: 5), position: -14, gross: 5000) == RejectReason.none)
    }

    @Test func perSymbolPositionLimitOverridesTheDefault() throws {
        var limits = Self.limits
        limits.maxPositionBySymbol = [-1, 2]
        var risk = try PreTradeRisk(limits: limits)
        #expect(check(&risk, order(qty: 3, symbol: 1)) == .maxPosition)
        #expect(check(&risk, order(qty: 3, symbol: 0)) == RejectReason.none)
    }

    @Test func orderRateIsATokenBucketOnTheGivenClock() throws {
        var risk = try PreTradeRisk(limits: Self.limits)  // 1000/s, burst 3
        for _ in 0..<3 { #expect(check(&risk, order(), now: 1_000_000) == RejectReason.none) }
        #expect(check(&risk, order(), now: 1_000_000) == .orderRate)
        #expect(check(&risk, order(), now: 1_500_000) == .orderRate)  // 0.5 token
        #expect(check(&risk, order(), now: 2_000_000) == RejectReason.none)  // +1 ms = 1 token
        // Rejected orders do not consume tokens.
        #expect(check(&risk, order(qty: 9), now: 10_000_000) == .maxOrderSize)
        for _ in 0..<3 { #expect(check(&risk, order(), now: 10_000_000) == RejectReason.none) }
        #expect(check(&risk, order(), now: 10_000_000) == .orderRate)
    }

    @Test func drawdownKillSwitchLatchesUntilReset() throws {
        var risk = try PreTradeRisk(limits: Self.limits)
        #expect(check(&risk, order(), equity: 910, peak: 1000) == RejectReason.none)  // 9%
        #expect(check(&risk, order(), equity: 900, peak: 1000) == .killSwitch)  // 10%
        #expect(risk.isKilled)
        #expect(check(&risk, order(), equity: 1000, peak: 1000, now: 1_000_000_000) == .killSwitch)  // latched
        risk.reset()
        #expect(check(&risk, order(), equity: 1000, peak: 1000, now: 1_000_000_000) == RejectReason.none)
        risk.trip()
        #expect(check(&risk, order(), now: 2_000_000_000) == .killSwitch)
    }

    @Test func riskScaleShrinksPositionLimits() throws {
        var risk = try PreTradeRisk(limits: Self.limits)
        risk.setRiskScale(0.5)
        #expect(check(&risk, order(qty: 5), position: 1) == .maxPosition)  // 6 > 5
        risk.setRiskScale(.nan)
        #expect(risk.riskScale == 0)
    }

    @Test func invalidLimitsNameTheKey() {
        var bad = Self.limits
        bad.maxDrawdown = 1.5
        #expect(throws: RiskLimitsError.self) { try PreTradeRisk(limits: bad) }
        do {
            try bad.validate()
            Issue.record("validate accepted max_drawdown 1.5")
        } catch {
            #expect(error.key == "risk.max_drawdown")
            #expect(error.description.contains("risk.max_drawdown = 1.5"))
        }
        bad = Self.limits
        bad.maxOrderSize = 20
        #expect(throws: RiskLimitsError(key: "max_order_size", value: 20, allowed: "at most max_position (10.0)")) {
            try bad.validate()
        }
        bad = Self.limits
        bad.priceCollarBps = -1
        #expect((try? bad.validate()) == nil)
    }
}
