// `feeds:`, `risk:` and `decision:` — market input, pre-trade limits and the decision rule.

/// `feeds`: where market data comes from.
struct FeedsConfiguration: ConfigSection {
    /// The market source.
    enum Kind: String, CaseIterable, Sendable {
        /// Regime-switching generator (the embedded default).
        case synthetic
        /// Replay of a CSV file.
        case csv
        /// Line-oriented TCP feed.
        case tcp
        /// A Redis stream.
        case redis
    }

    var kind = Kind.synthetic
    var symbols = ["SYN-A", "SYN-B"]
    /// Seed of the synthetic generator.
    var seed = 42
    /// Synthetic ticks per second per symbol (0 = as fast as possible).
    var ratePerSecond = 1000.0
    var csvPath = ""
    /// Replay speed multiplier for CSV timestamps (0 = as fast as possible).
    var speed = 1.0
    var tcpHost = "127.0.0.1"
    var tcpPort = 9100
    var redisStream = "quantum:ticks"
    /// A feed silent longer than this is reported stale by /health, ms.
    var staleAfterMs = 5000
    /// Poll a synthetic feed on the engine's own thread (no feed thread, no hop).
    var pollOnEngine = true

    static var fields: [ConfigField<Self>] {
        [
            .choice("kind", \.kind, doc: "synthetic (regime-switching generator), csv (replay), tcp (line feed), redis (stream)."),
            .strings("symbols", \.symbols, nonEmpty: true, doc: "Symbols traded; ticks for other symbols are ignored."),
            .int("seed", \.seed, range: 0...Int.max, doc: "Seed of the synthetic generator (same seed → same ticks)."),
            .double("rate_per_second", \.ratePerSecond, range: 0...10_000_000,
                    doc: "Synthetic ticks per second per symbol; 0 = as fast as possible."),
            .string("csv_path", \.csvPath, doc: "CSV file for kind csv (columns: timestamp_ns,symbol,price,size)."),
            .double("speed", \.speed, range: 0...1_000_000, doc: "CSV replay speed multiplier; 0 = as fast as possible."),
            .string("tcp_host", \.tcpHost, nonEmpty: true, doc: "Host of the TCP feed."),
            .int("tcp_port", \.tcpPort, range: 1...65535, doc: "Port of the TCP feed."),
            .string("redis_stream", \.redisStream, nonEmpty: true, doc: "Stream key for kind redis (XREAD; `redis:KEY?group=G` in --feed reads with XREADGROUP)."),
            .int("stale_after_ms", \.staleAfterMs, range: 1...3_600_000, doc: "Feed silent longer than this → /health degraded, ms."),
            .bool("poll_on_engine", \.pollOnEngine,
                  doc: "With hardware optimization, the synthetic feed is polled on the latency engine's thread (no feed thread, no queue, no hop between cores); false: a feed thread of its own."),
        ]
    }

    func validate(path: String, context: inout ConfigContext) {
        if kind == .csv, csvPath.isEmpty {
            context.report(path: ConfigContext.join(path, "csv_path"), value: "\"\"",
                           allowed: "a CSV file path when kind is csv", origin: "cross-field check")
        }
    }
}

/// `risk`: pre-trade checks, kill switch and VaR.
struct RiskConfiguration: ConfigSection {
    /// Largest absolute position per symbol, units.
    var maxPosition = 100.0
    /// Largest order, units.
    var maxOrderSize = 10.0
    /// Largest gross notional across symbols, currency units.
    var maxNotional = 1_000_000.0
    /// Orders priced further than this from the last trade are refused, basis points.
    var priceCollarBps = 50.0
    /// Orders per second at most (token bucket).
    var orderRateLimit = 2000
    /// Drawdown from the equity peak that trips the kill switch, fraction.
    var maxDrawdown = 0.12
    /// VaR recomputation period (off the hot path), ms.
    var varIntervalMs = 1000
    /// VaR confidence level.
    var varConfidence = 0.99
    /// VaR methods computed.
    var varMethods = ["parametric", "historical", "monte_carlo"]

    static var fields: [ConfigField<Self>] {
        [
            .double("max_position", \.maxPosition, range: 0...1e12, doc: "Largest absolute position per symbol, units."),
            .double("max_order_size", \.maxOrderSize, range: 0...1e12, doc: "Largest single order, units."),
            .double("max_notional", \.maxNotional, range: 0...1e15, doc: "Largest gross notional, currency units."),
            .double("price_collar_bps", \.priceCollarBps, range: 0...10_000,
                    doc: "Refuse orders priced further than this from the last trade, basis points."),
            .int("order_rate_limit", \.orderRateLimit, range: 1...10_000_000, doc: "Orders per second at most."),
            .double("max_drawdown", \.maxDrawdown, range: 0.0001...1,
                    doc: "Drawdown from the equity peak (fraction) that trips the kill switch (halt)."),
            .int("var_interval_ms", \.varIntervalMs, range: 10...86_400_000, doc: "VaR recomputation period, ms."),
            .double("var_confidence", \.varConfidence, range: 0.5...0.9999, doc: "VaR confidence level (e.g. 0.99)."),
            .strings("var_methods", \.varMethods, oneOf: ["parametric", "historical", "monte_carlo"],
                     doc: "VaR methods: parametric, historical, monte_carlo."),
        ]
    }

    func validate(path: String, context: inout ConfigContext) {
        if maxOrderSize > maxPosition {
            context.report(path: ConfigContext.join(path, "max_order_size"), value: format(maxOrderSize),
                           allowed: "at most max_position (\(format(maxPosition)))", origin: "cross-field check")
        }
    }
}

/// `decision`: how the latency engine turns a model probability into an order.
struct DecisionConfiguration: ConfigSection {
    /// Buy when P(up) is at least this.
    var buyThreshold = 0.55
    /// Sell when P(up) is at most this.
    var sellThreshold = 0.45
    /// Order quantity, units.
    var orderQuantity = 1.0
    /// Minimum regime confidence to trade at all (0 = always).
    var minRegimeConfidence = 0.0
    /// Ticks to wait after an order on a symbol before the next.
    var cooldownTicks = 0
    /// After a refused order attempt on a symbol, ms before the next attempt on it.
    var retryAfterRejectionMs = 10.0

    static var fields: [ConfigField<Self>] {
        [
            .double("buy_threshold", \.buyThreshold, range: 0...1, doc: "Buy when the model's P(up) ≥ this."),
            .double("sell_threshold", \.sellThreshold, range: 0...1, doc: "Sell when P(up) ≤ this (below buy_threshold)."),
            .double("order_quantity", \.orderQuantity, range: 0...1e12, doc: "Quantity of each order, units."),
            .double("min_regime_confidence", \.minRegimeConfidence, range: 0...1,
                    doc: "Trade only when the regime ensemble's confidence is at least this."),
            .int("cooldown_ticks", \.cooldownTicks, range: 0...Int.max, doc: "Ticks of a symbol after one of its orders during which no new order is tried on it."),
            .double("retry_after_rejection_ms", \.retryAfterRejectionMs, range: 0...60_000,
                    doc: "After an order attempt on a symbol is refused (risk limit, halt, pause, journal unavailable), ms before the next attempt on it; 0 = the next tick."),
        ]
    }

    func validate(path: String, context: inout ConfigContext) {
        if sellThreshold >= buyThreshold {
            context.report(path: ConfigContext.join(path, "sell_threshold"), value: format(sellThreshold),
                           allowed: "less than buy_threshold (\(format(buyThreshold)))", origin: "cross-field check")
        }
    }
}
