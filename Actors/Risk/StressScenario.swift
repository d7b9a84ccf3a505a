// Historical stress scenarios: one price shock per asset class, applied to positions.
//
// Shocks are peak-to-trough (or event-window) price moves of a representative instrument,
// rounded; sources are public index/price histories (S&P 500 closes, WTI front month,
// EUR/USD, US 10-year Treasury, BTC/USD).
// - 2008 financial crisis, 12 Sep → 20 Nov 2008 (Lehman to the November low):
//   S&P 500 1251.7 → 752.4 (−40%); WTI ≈ $101 → $49 (−51%); EUR/USD ≈ 1.42 → 1.25 (−12%);
//   10-year Treasury yield ≈ 3.7% → 3.0%, price ≈ +6%. No crypto market existed: crypto is
//   given 1.5× the equity move (−60%) as a high-beta proxy.
// - COVID-19 crash, 19 Feb → 23 Mar 2020: S&P 500 3386.2 → 2237.4 (−34%); BTC ≈ $10,000 →
//   ≈ $5,000 on 12 Mar (−50%); WTI ≈ $53 → $23 (−56%); EUR/USD −2%; 10-year yield 1.56% →
//   0.76%, price ≈ +5%.
// - Crypto exchange-ban shock: China's ban of ICOs and exchanges, 1 → 15 Sep 2017, BTC
//   ≈ $4,950 → $2,970 (−40%); its May 2021 crackdown, 12 → 19 May 2021, BTC ≈ $58k → $30k
//   (−48%). Crypto −45%, equities −1% (spill-over), others unchanged.

/// Broad asset classes that scenarios shock differently.
public enum AssetClass: String, Sendable, Codable, CaseIterable {
    case equity
    case crypto
    case fx
    case commodity
    /// Bonds and rate futures (shock = price move).
    case rates

    /// A best guess from a symbol's name: crypto tickers (BTC, ETH, SOL, …, or `-USD`/`USDT`
    /// quotes), six-letter currency pairs (`EURUSD`, `EUR/USD`), common commodity codes
    /// (`WTI`, `CL`, `XAU`, `GOLD`, …), bond codes (`UST`, `ZN`, `BUND`); equity otherwise.
    public static func infer(symbol: String) -> AssetClass {
        let s = symbol.uppercased()
        let base = s.split(whereSeparator: { $0 == "-" || $0 == "/" || $0 == "_" }).first.map(String.init) ?? s
        let cryptos: Set<String> = ["BTC", "ETH", "SOL", "XRP", "ADA", "DOGE", "BNB", "LTC", "DOT", "AVAX",
                                    "MATIC", "LINK", "XBT", "TRX", "BCH"]
        let quotes = ["USD", "USDT", "USDC", "EUR", "BTC"]
        let glued = cryptos.contains { c in quotes.contains { s == c + $0 } }
        if cryptos.contains(base) || s.hasSuffix("USDT") || glued {
            return .crypto
        }
        let currencies: Set<String> = ["USD", "EUR", "JPY", "GBP", "CHF", "AUD", "CAD", "NZD", "SEK", "NOK", "CNH"]
        let letters = s.filter { $0.isLetter }
        if letters.count == 6, s.count <= 7, currencies.contains(String(letters.prefix(3))),
           currencies.contains(String(letters.suffix(3))) {
            return .fx
        }
        let commodities: Set<String> = ["WTI", "CL", "BRENT", "XAU", "XAG", "GOLD", "SILVER", "GC", "NG", "OIL", "HG"]
        if commodities.contains(base) { return .commodity }
        let bonds: Set<String> = ["UST", "ZN", "ZB", "ZF", "BUND", "TLT", "GILT", "OAT"]
        if bonds.contains(base) { return .rates }
        return .equity
    }
}

/// A named set of price shocks (fractions: −0.4 = prices fall 40%) by asset class.
public struct StressScenario: Sendable, Equatable, Codable {
    /// Short identifier, e.g. `gfc_2008`.
    public var name: String
    /// What happened, with the window the shocks come from.
    public var summary: String
    /// Price move per asset class, fraction.
    public var shocks: [AssetClass: Double]

    public init(name: String, summary: String, shocks: [AssetClass: Double]) {
        self.name = name
        self.summary = summary
        self.shocks = shocks
    }

    /// The shock for an asset class (0 when the scenario leaves it unchanged).
    public func shock(for assetClass: AssetClass) -> Double { shocks[assetClass] ?? 0 }

    /// 2008 financial crisis, 12 Sep → 20 Nov 2008.
    public static let financialCrisis2008 = StressScenario(
        name: "gfc_2008", summary: "2008 financial crisis, Lehman to the November low (12 Sep → 20 Nov 2008)",
        shocks: [.equity: -0.40, .crypto: -0.60, .fx: -0.12, .commodity: -0.51, .rates: 0.06])

    /// COVID-19 crash, 19 Feb → 23 Mar 2020.
    public static let covidCrash2020 = StressScenario(
        name: "covid_2020", summary: "COVID-19 crash (19 Feb → 23 Mar 2020)",
        shocks: [.equity: -0.34, .crypto: -0.50, .fx: -0.02, .commodity: -0.56, .rates: 0.05])

    /// Crypto exchange-ban shock (China, Sep 2017 and May 2021).
    public static let cryptoExchangeBan = StressScenario(
        name: "crypto_exchange_ban", summary: "Crypto exchange-ban shock (China: Sep 2017, May 2021)",
        shocks: [.equity: -0.01, .crypto: -0.45])

    /// The three built-in scenarios.
    public static let builtIn: [StressScenario] = [financialCrisis2008, covidCrash2020, cryptoExchangeBan]
}

/// A position as the off-hot-path risk report sees it.
public struct PositionExposure: Sendable, Equatable, Codable {
    public var symbol: String
    /// Index in the agent's `SymbolTable` (for per-symbol limits), −1 when unknown.
    public var index: Int32
    /// Signed quantity, units.
    public var quantity: Double
    /// Mark price.
    public var price: Double
    public var assetClass: AssetClass

    /// A position; the asset class defaults to `AssetClass.infer(symbol:)`.
    public init(symbol: String, index: Int32 = -1, quantity: Double, price: Double, assetClass: AssetClass? = nil) {
        self.symbol = symbol
        self.index = index
        self.quantity = quantity
        self.price = price
        self.assetClass = assetClass ?? AssetClass.infer(symbol: symbol)
    }

    /// Signed market value, currency units.
    public var marketValue: Double { quantity * price }
}

/// The outcome of one scenario on a set of positions.
public struct StressResult: Sendable, Equatable, Codable {
    public var scenario: String
    /// Profit (positive) or loss (negative) of the whole book, currency units.
    public var pnl: Double
    /// Loss as a fraction of equity (0 when the scenario makes money).
    public var lossFraction: Double
    /// PnL per symbol, currency units.
    public var bySymbol: [String: Double]

    /// Applies `scenario` to `positions`: PnL = Σ quantity × price × shock(asset class).
    public init(scenario: StressScenario, positions: [PositionExposure], equity: Double) {
        self.scenario = scenario.name
        var total = 0.0
        var bySymbol: [String: Double] = [:]
        for p in positions {
            let pnl = p.marketValue * scenario.shock(for: p.assetClass)
            bySymbol[p.symbol, default: 0] += pnl
            total += pnl
        }
        pnl = total
        self.bySymbol = bySymbol
        // With no equity left any loss is total (1) — never ∞, which JSON cannot carry.
        lossFraction = equity > 0 ? max(0, -total / equity) : (total < 0 ? 1 : 0)
    }
}
