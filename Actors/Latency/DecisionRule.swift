/// The rule from regime, predicted probability and confidence to a target position.
///
/// - Direction: long when `probabilityUp ≥ buyThreshold`, short when
///   `probabilityUp ≤ sellThreshold`, otherwise keep the current position while the
///   prediction still leans its way (hysteresis around 0.5), then flat.
/// - Size: `baseSize × regimeScale[regime]`; an uncertain regime signal (confidence below
///   `confidence_threshold`) uses `uncertainScale`; the crisis scale defaults to 0 (flat).
/// - Orders are sent only when |target − current| ≥ `minTradeSize`.
public struct DecisionRule: Sendable, Equatable {
    public var buyThreshold: Double
    public var sellThreshold: Double
    /// Regime confidence below which the signal counts as uncertain.
    public var minRegimeConfidence: Double
    /// Units at full scale.
    public var baseSize: Double
    /// Scale per canonical regime state, calm first.
    public var regimeScale: [Double]
    public var uncertainScale: Double
    public var minTradeSize: Double

    public init(buyThreshold: Double = 0.55, sellThreshold: Double = 0.45, minRegimeConfidence: Double = 0,
                baseSize: Double = 10, regimeScale: [Double] = [1.0, 0.6, 0.0], uncertainScale: Double = 0.3,
                minTradeSize: Double = 1) {
        self.buyThreshold = buyThreshold
        self.sellThreshold = sellThreshold
        self.minRegimeConfidence = minRegimeConfidence
        self.baseSize = baseSize
        self.regimeScale = regimeScale
        self.uncertainScale = uncertainScale
        self.minTradeSize = minTradeSize
    }

    /// Problems with the thresholds, each naming the key and the allowed range.
    public func validationErrors() -> [String] {
        var errors: [String] = []
        if !(buyThreshold > 0.5 && buyThreshold < 1) { errors.append("decision.buy_threshold: \(buyThreshold) must be in (0.5, 1)") }
        if !(sellThreshold > 0 && sellThreshold < 0.5) { errors.append("decision.sell_threshold: \(sellThreshold) must be in (0, 0.5)") }
        if !(baseSize > 0 && baseSize.isFinite) { errors.append("decision.base_size: \(baseSize) must be > 0") }
        if regimeScale.isEmpty || regimeScale.contains(where: { !($0 >= 0 && $0 <= 1) }) {
            errors.append("decision.regime_scale: \(regimeScale) must be values in [0, 1], calm first")
        }
        if !(uncertainScale >= 0 && uncertainScale <= 1) { errors.append("decision.uncertain_scale: \(uncertainScale) must be in [0, 1]") }
        if !(minTradeSize > 0) { errors.append("decision.min_trade_size: \(minTradeSize) must be > 0") }
        return errors
    }

    /// The target position.
    /// - Parameters:
    ///   - regime: canonical state (0 = calm) or -1 when the signal is uncertain.
    @inlinable
    public func target(probabilityUp p: Double, regime: Int, confidence: Double = 1, current: Double) -> Double {
        let scale: Double
        if regime < 0 || confidence < minRegimeConfidence {
            scale = uncertainScale
        } else {
            scale = regimeScale[min(regime, regimeScale.count - 1)]
        }
        let size = (baseSize * scale).rounded()
        if p >= buyThreshold { return size }
        if p <= sellThreshold { return -size }
        // Hysteresis: hold while the prediction still leans the same way, capped by the size.
        if current > 0 { return p >= 0.5 ? min(current, size) : 0 }
        if current < 0 { return p <= 0.5 ? max(current, -size) : 0 }
        return 0
    }
}
