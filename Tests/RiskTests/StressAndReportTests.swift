import Foundation
import Testing
@testable import Risk

@Suite struct StressAndReportTests {
    @Test func assetClassesAreInferredFromSymbolNames() {
        #expect(AssetClass.infer(symbol: "BTC-USD") == .crypto)
        #expect(AssetClass.infer(symbol: "ETHUSDT") == .crypto)
        #expect(AssetClass.infer(symbol: "ethusd") == .crypto)
        #expect(AssetClass.infer(symbol: "EUR/USD") == .fx)
        #expect(AssetClass.infer(symbol: "USDJPY") == .fx)
        #expect(AssetClass.infer(symbol: "WTI") == .commodity)
        #expect(AssetClass.infer(symbol: "UST") == .rates)
        #expect(AssetClass.infer(symbol: "AAPL") == .equity)
        #expect(AssetClass.infer(symbol: "SYN-A") == .equity)
    }

    @Test func scenariosApplyTheirPerClassShockToPositions() {
        let positions = [
            PositionExposure(symbol: "BTC-USD", quantity: 2, price: 50_000),  // 100k long crypto
            PositionExposure(symbol: "SPY", quantity: -100, price: 400),  // 40k short equity
            PositionExposure(symbol: "WTI", quantity: 10, price: 80, assetClass: .commodity),  // 800 long oil
        ]
        let gfc = StressResult(scenario: .financialCrisis2008, positions: positions, equity: 200_000)
        let expected = 100_000 * -0.60 + -40_000 * -0.40 + 800 * -0.51
        #expect(abs(gfc.pnl - expected) < 1e-9)
        #expect(abs(gfc.lossFraction - -expected / 200_000) < 1e-12)
        #expect(abs((gfc.bySymbol["SPY"] ?? 0) - 16_000) < 1e-9)
        let ban = StressResult(scenario: .cryptoExchangeBan, positions: positions, equity: 200_000)
        #expect(abs(ban.pnl - (100_000 * -0.45 + -40_000 * -0.01)) < 1e-9)
        #expect(abs((ban.bySymbol["WTI"] ?? 1)) < 1e-12)  // commodities untouched
        let shortOnly = StressResult(scenario: .covidCrash2020, positions: [positions[1]], equity: 100_000)
        #expect(shortOnly.pnl > 0 && shortOnly.lossFraction == 0)
        #expect(StressScenario.builtIn.map(\.name) == ["gfc_2008", "covid_2020", "crypto_exchange_ban"])
    }

    @Test func reportFlagsBreachesAndSuggestsAScale() throws {
        let ref = try VaRReference.load()
        let limits = RiskLimits(maxPosition: 1, maxOrderSize: 1, maxNotional: 80_000, maxDrawdown: 0.1,
                                maxVaRFraction: 0.02, maxStressLossFraction: 0.5)
        let positions = [PositionExposure(symbol: "BTC-USD", index: 0, quantity: 2, price: 50_000)]
        let report = RiskReport(returns: ref.returns, positions: positions, equity: 150_000, peakEquity: 160_000, limits: limits)
        let c99 = try #require(ref.cases.first { $0.confidence == 0.99 })
        #expect(report.valueAtRisk.count == 3)
        #expect(report.valueAtRisk.map(\.method) == [.parametric, .historical, .monteCarlo])
        #expect(abs(report.valueAtRisk[0].valueAtRisk - c99.parametric_var) < 1e-12)
        #expect(report.breaches.valueAtRisk)  // ≈ 3.5% > 2%
        #expect(!report.breaches.stress)  // GFC: −60k / 150k = 40% < 50%
        #expect(report.breaches.notional)  // 100k > 80k
        #expect(report.breaches.positions == ["BTC-USD"])
        #expect(!report.breaches.drawdown)  // 6.25%
        #expect(report.breaches.any)
        let worst = report.valueAtRisk.map(\.valueAtRisk).max() ?? 0
        #expect(abs(report.suggestedRiskScale - min(0.02 / worst, 0.8)) < 1e-12)
        #expect(abs(report.worstValueAtRisk - worst * 150_000) < 1e-6)
        // Encodable as JSON (no infinities).
        _ = try JSONEncoder().encode(report)
    }

    @Test func reportWithTooFewReturnsSaysWhyAndStillStresses() {
        let report = RiskReport(returns: [0.01], positions: [PositionExposure(symbol: "AAPL", quantity: 1, price: 100)],
                                equity: 1000, peakEquity: 1000, limits: RiskLimits())
        #expect(report.valueAtRisk.isEmpty)
        #expect(report.unavailable["historical"]?.contains("at least 2 returns") == true)
        #expect(report.stress.count == 3)
        #expect(report.suggestedRiskScale == 1)
        let crashed = RiskReport(returns: [], positions: [], equity: 800, peakEquity: 1000, limits: RiskLimits())
        #expect(crashed.breaches.drawdown && crashed.suggestedRiskScale == 0)
    }
}
