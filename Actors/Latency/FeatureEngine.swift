import Protocols

#if canImport(Glibc)
import Glibc
#endif

/// Incremental per-symbol features, O(1) per tick and allocation-free after
/// init: log return, EWMA volatility (RiskMetrics, λ = 0.94 by default), momentum
/// (fast minus slow EMA of returns over volatility), price z-score, spread, and a
/// tick-rule volume imbalance.
public struct FeatureEngine: Sendable {
    /// Smoothing parameters.
    public struct Configuration: Sendable, Equatable {
        /// EWMA decay of variance (RiskMetrics 1996: 0.94).
        public var volatilityDecay: Double
        /// Fast and slow EMA weights of returns for momentum.
        public var fastAlpha: Double
        public var slowAlpha: Double
        /// EMA weight of the price mean and deviation for the z-score.
        public var priceAlpha: Double
        /// EMA weight of signed volume.
        public var imbalanceAlpha: Double

        public init(volatilityDecay: Double = 0.94, fastAlpha: Double = 0.3, slowAlpha: Double = 0.05,
                    priceAlpha: Double = 0.05, imbalanceAlpha: Double = 0.1) {
            self.volatilityDecay = volatilityDecay
            self.fastAlpha = fastAlpha
            self.slowAlpha = slowAlpha
            self.priceAlpha = priceAlpha
            self.imbalanceAlpha = imbalanceAlpha
        }
    }

    struct SymbolState: Sendable {
        var lastPrice = 0.0
        var variance = 0.0
        var fast = 0.0
        var slow = 0.0
        var priceMean = 0.0
        var priceVariance = 0.0
        var signedVolume = 0.0
        var volume = 0.0
        var count = 0
    }

    public let configuration: Configuration
    private var states: [SymbolState]

    public init(symbols: Int, configuration: Configuration = Configuration()) {
        self.configuration = configuration
        states = Array(repeating: SymbolState(), count: max(symbols, 1))
    }

    /// Ticks seen for a symbol.
    public func count(_ symbol: Int32) -> Int { states.indices.contains(Int(symbol)) ? states[Int(symbol)].count : 0 }

    /// Updates the symbol's state with a tick and returns its features. Unknown
    /// symbols (outside the table) get zero features.
    @inlinable
    public mutating func update(_ tick: Tick) -> FeatureVector {
        updateState(symbol: Int(tick.symbol), price: tick.price, size: tick.size, bid: tick.bid, ask: tick.ask)
    }

    @usableFromInline
    mutating func updateState(symbol: Int, price: Double, size: Double, bid: Double, ask: Double) -> FeatureVector {
        guard states.indices.contains(symbol) else { return FeatureVector() }
        let c = configuration
        var s = states[symbol]
        var features = FeatureVector()
        if s.count == 0 {
            s.lastPrice = price
            s.priceMean = price
        } else {
            let r = log(price / s.lastPrice)
            s.lastPrice = price
            s.variance = s.count == 1 ? r * r : c.volatilityDecay * s.variance + (1 - c.volatilityDecay) * r * r
            s.fast += c.fastAlpha * (r - s.fast)
            s.slow += c.slowAlpha * (r - s.slow)
            let deviation = price - s.priceMean
            s.priceMean += c.priceAlpha * deviation
            s.priceVariance = (1 - c.priceAlpha) * (s.priceVariance + c.priceAlpha * deviation * deviation)
            let sign: Double = r > 0 ? 1 : (r < 0 ? -1 : 0)
            s.signedVolume += c.imbalanceAlpha * (sign * size - s.signedVolume)
            s.volume += c.imbalanceAlpha * (size - s.volume)
            let volatility = s.variance.squareRoot()
            features.logReturn = r
            features.volatility = volatility
            features.momentum = volatility > 0 ? (s.fast - s.slow) / volatility : 0
            let priceDeviation = s.priceVariance.squareRoot()
            features.zScore = priceDeviation > 0 ? (price - s.priceMean) / priceDeviation : 0
            features.imbalance = s.volume > 0 ? s.signedVolume / s.volume : 0
        }
        if bid.isFinite, ask.isFinite, ask >= bid, bid > 0 {
            features.spreadBps = (ask - bid) / ((ask + bid) / 2) * 10_000
        }
        s.count += 1
        states[symbol] = s
        return features
    }
}
