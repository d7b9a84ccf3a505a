import Testing
@testable import Monitoring

struct PnLFixture: Decodable {
    struct Case: Decodable {
        var name: String
        var pnl: [Double]
        var annualization: Double
        var rolling_pnl: Double
        var hit_rate: Double?
        var sharpe: Double?
        var max_drawdown: Double
    }
    var cases: [Case]
}

@Suite struct DecisionPnLWindowTests {
    static let cases: [PnLFixture.Case] = (try? FixtureLoader.load(PnLFixture.self, from: "pnl.json").cases) ?? []

    @Test func fixturesArePresent() { #expect(Self.cases.count == 3) }

    @Test(arguments: cases.map(\.name))
    func reportMatchesNumpy(caseName: String) throws {
        let fixture = try #require(Self.cases.first { $0.name == caseName })
        var window = try DecisionPnLWindow(capacity: fixture.pnl.count, annualization: fixture.annualization)
        for value in fixture.pnl { window.record(pnl: value) }
        let reportValue = window.report()
        let report = try #require(reportValue)
        #expect(close(report.rollingPnL, fixture.rolling_pnl))
        #expect(close(report.hitRate, fixture.hit_rate))
        #expect(close(report.sharpe, fixture.sharpe), "sharpe \(String(describing: report.sharpe)) vs \(String(describing: fixture.sharpe))")
        #expect(close(report.maxDrawdown, fixture.max_drawdown))
    }

    @Test func windowKeepsChronologicalOrderAfterWrapping() throws {
        var window = try DecisionPnLWindow(capacity: 3)
        for value in [100.0, 1, -5, 2] { window.record(pnl: value) }   // 100 slides out
        let reportValue = window.report()
        let report = try #require(reportValue)
        #expect(report.rollingPnL == -2)
        #expect(report.maxDrawdown == 5)          // equity 1, −4, −2; peak 1
        #expect(report.hitRate == 2.0 / 3.0)
    }

    @Test func nonFinitePnLIsRejected() throws {
        var window = try DecisionPnLWindow(capacity: 3)
        window.record(pnl: .nan)
        let none = window.report()
        #expect(window.rejectedCount == 1 && none == nil)
    }
}
