import Foundation
import Protocols
import Testing
@testable import Risk

/// The numpy/scipy reference written by Fixtures/make_monitor_fixture.py.
struct RiskMonitorReference: Decodable {
    struct Inputs: Decodable {
        let symbols: [String]
        let asset_classes: [String]
        let quantities: [Double]
        let prices: [Double]
        let initial_equity: Double
        let equities: [Double]
        let window: Int
        let confidence: Double
        let paths: Int
        let seed: UInt64
        let limits: [String: Double]
        let max_position_by_symbol: [Double]
    }
    struct Estimate: Decodable {
        let `var`: Double
        let es: Double
    }
    struct Stress: Decodable {
        let scenario: String
        let pnl: Double
        let loss_fraction: Double
        let by_symbol: [String: Double]
    }
    struct Breaches: Decodable {
        let value_at_risk: Bool
        let stress: Bool
        let drawdown: Bool
        let notional: Bool
        let positions: [String]
    }
    struct Expected: Decodable {
        let equity: Double
        let peak_equity: Double
        let drawdown: Double
        let gross_notional: Double
        let window_count: Int
        let `var`: [String: Estimate]
        let stress: [Stress]
        let breaches: Breaches
        let suggested_risk_scale: Double
    }
    let inputs: Inputs
    let expected: Expected

    static func load() throws -> RiskMonitorReference {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("Fixtures/risk_monitor_reference.json")
        return try JSONDecoder().decode(RiskMonitorReference.self, from: Data(contentsOf: url))
    }

    func limit(_ key: String) throws -> Double { try #require(inputs.limits[key], "limit \(key)") }

    func monitor() throws -> RiskMonitor {
        let limits = RiskLimits(maxPosition: try limit("max_position"), maxPositionBySymbol: inputs.max_position_by_symbol,
                                maxOrderSize: try limit("max_order_size"), maxNotional: try limit("max_notional"),
                                maxDrawdown: try limit("max_drawdown"), maxVaRFraction: try limit("var_limit"),
                                maxStressLossFraction: try limit("stress_loss_limit"))
        let report = RiskReportConfiguration(confidence: inputs.confidence, monteCarloPaths: inputs.paths, seed: inputs.seed)
        let configuration = RiskMonitor.Configuration(limits: limits, report: report, windowCapacity: inputs.window,
                                                      assetClasses: ["SYN-A": .crypto])
        var monitor = try RiskMonitor(symbols: SymbolTable(inputs.symbols), initialEquity: inputs.initial_equity,
                                      configuration: configuration)
        for equity in inputs.equities { monitor.record(equity: equity) }
        return monitor
    }
}

@Suite struct RiskMonitorTests {
    static func close(_ a: Double, _ b: Double, _ tolerance: Double) -> Bool {
        abs(a - b) <= tolerance * max(1, abs(b))
    }

    @Test func reportMatchesTheNumpyScipyReference() throws {
        let ref = try RiskMonitorReference.load()
        let monitor = try ref.monitor()
        let report = try monitor.evaluate(positions: ref.inputs.quantities, prices: ref.inputs.prices)
        let e = ref.expected
        #expect(report.windowCount == e.window_count && monitor.window.count == ref.inputs.window)
        #expect(report.equity == e.equity && report.peakEquity == e.peak_equity)
        #expect(Self.close(report.drawdown, e.drawdown, 1e-14))
        #expect(Self.close(report.grossNotional, e.gross_notional, 1e-14))
        #expect(report.valueAtRisk.map(\.method) == [.parametric, .historical, .monteCarlo])
        for estimate in report.valueAtRisk {
            let expected = try #require(e.var[estimate.method.rawValue])
            #expect(estimate.confidence == ref.inputs.confidence)
            #expect(Self.close(estimate.valueAtRisk, expected.var, 1e-12), "\(estimate.method) VaR \(estimate.valueAtRisk) vs \(expected.var)")
            #expect(Self.close(estimate.expectedShortfall, expected.es, 1e-12), "\(estimate.method) ES")
        }
        #expect(report.stress.map(\.scenario) == e.stress.map(\.scenario))
        for (mine, theirs) in zip(report.stress, e.stress) {
            #expect(Self.close(mine.pnl, theirs.pnl, 1e-12), "\(mine.scenario) PnL")
            #expect(Self.close(mine.lossFraction, theirs.loss_fraction, 1e-12))
            #expect(Set(mine.bySymbol.keys) == Set(theirs.by_symbol.keys))
            for (symbol, pnl) in theirs.by_symbol { #expect(Self.close(mine.bySymbol[symbol] ?? .nan, pnl, 1e-12)) }
        }
        let b = report.breaches
        #expect(b.valueAtRisk == e.breaches.value_at_risk && b.stress == e.breaches.stress)
        #expect(b.drawdown == e.breaches.drawdown && b.notional == e.breaches.notional)
        #expect(b.positions == e.breaches.positions)
        #expect(Self.close(report.suggestedRiskScale, e.suggested_risk_scale, 1e-12))
        // Explicit returns give the same report.
        let explicit = try monitor.evaluate(positions: ref.inputs.quantities, prices: ref.inputs.prices,
                                            returns: monitor.window.values)
        #expect(explicit == report)
    }

    @Test func assetClassesComeFromNamesOrConfiguration() throws {
        let ref = try RiskMonitorReference.load()
        let monitor = try ref.monitor()
        var prices = ref.inputs.prices
        prices[6] = 10   // give SYN-A a mark and a position: configured as crypto
        var quantities = ref.inputs.quantities
        quantities[6] = 1
        let exposures = try monitor.exposures(positions: quantities, prices: prices)
        #expect(exposures.map(\.assetClass.rawValue) == ref.inputs.asset_classes)
        #expect(exposures.map(\.index) == Array(0..<7))
    }

    @Test func breachesBecomeAlertKeys() throws {
        let ref = try RiskMonitorReference.load()
        let monitor = try ref.monitor()
        let report = try monitor.evaluate(positions: ref.inputs.quantities, prices: ref.inputs.prices)
        let alerts = report.breachAlerts(limits: monitor.configuration.limits)
        #expect(alerts.map(\.key) == ["risk_var_breach", "risk_stress_breach{scenario=\"gfc_2008\"}", "risk_notional_breach",
                                      "risk_position_breach{symbol=\"BTC-USD\"}"])
        let worstVaR = report.valueAtRisk.map(\.valueAtRisk).max() ?? 0
        #expect(alerts[0].value == worstVaR && alerts[0].limit == 0.02)
        #expect(alerts[0].summary.contains("above risk.var_limit 2.0 %"))
        // A flat book within limits: nothing to raise, nothing scaled.
        let flat = try monitor.evaluate(positions: [Double](repeating: 0, count: 7), prices: ref.inputs.prices,
                                        returns: [0.001, -0.001, 0.0005, 0.0])
        #expect(flat.breachAlerts(limits: monitor.configuration.limits).isEmpty && flat.suggestedRiskScale == 1)
    }

    @Test func badInputIsRefusedWithTheSymbolNamed() throws {
        let ref = try RiskMonitorReference.load()
        let monitor = try ref.monitor()
        #expect(throws: RiskMonitorError.countMismatch(what: "positions", count: 2, expected: 7)) {
            try monitor.evaluate(positions: [1, 2], prices: ref.inputs.prices)
        }
        var quantities = ref.inputs.quantities
        quantities[2] = .nan
        do {   // NaN is not equal to itself: compare the message
            _ = try monitor.evaluate(positions: quantities, prices: ref.inputs.prices)
            Issue.record("a NaN position was accepted")
        } catch {
            #expect(error.description == "risk monitor: the position of SPY is nan; expected a finite number of units")
        }
        quantities = ref.inputs.quantities
        quantities[6] = 3   // SYN-A held but never marked
        #expect(throws: RiskMonitorError.invalidPrice(symbol: "SYN-A", value: 0)) {
            try monitor.evaluate(positions: quantities, prices: ref.inputs.prices)
        }
        #expect(RiskMonitorError.invalidPrice(symbol: "SYN-A", value: 0).description
            == "risk monitor: the price of SYN-A is 0.0; a held symbol needs a finite price > 0")
    }

    @Test func recordKeepsABoundedWindowAndThePeak() throws {
        var monitor = try RiskMonitor(symbols: SymbolTable(["A"]), initialEquity: 100,
                                      configuration: .init(windowCapacity: 3))
        for equity in [110.0, 99, 121, 121] { monitor.record(equity: equity) }
        #expect(monitor.window.values.count == 3 && monitor.peakEquity == 121 && monitor.equity == 121)
        #expect(Self.close(monitor.window.values[0], 99.0 / 110 - 1, 1e-15))
        #expect(!monitor.record(equity: .nan) && monitor.equity == 121)
        #expect(monitor.record(equity: 0) && monitor.window.values.last == -1)   // wiped out: a −100 % return
        #expect(!monitor.record(equity: 0) && monitor.equity == 0)   // no return from an equity of 0
        let report = try monitor.evaluate(positions: [0], prices: [0])
        #expect(report.breaches.drawdown && report.suggestedRiskScale == 0)
    }

    @Test func badSettingsNameTheirKey() {
        func error(_ configuration: RiskMonitor.Configuration) -> String {
            do {
                _ = try RiskMonitor(symbols: SymbolTable(["A"]), initialEquity: 1, configuration: configuration)
                return "no error"
            } catch { return error.description }
        }
        #expect(error(.init(windowCapacity: 1)).hasPrefix("risk.var_window = 1 is invalid"))
        #expect(error(.init(report: .init(confidence: 1))).hasPrefix("risk.var_confidence = 1.0 is invalid"))
        #expect(error(.init(report: .init(methods: []))).hasPrefix("risk.var_methods"))
        #expect(error(.init(limits: RiskLimits(maxDrawdown: 2))).hasPrefix("risk.max_drawdown = 2.0 is invalid"))
        #expect(throws: RiskMonitorError.invalidEquity(.infinity)) {
            try RiskMonitor(symbols: SymbolTable(["A"]), initialEquity: .infinity)
        }
    }
}
