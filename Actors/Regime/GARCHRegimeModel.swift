// Regime detector on GARCH(1,1) conditional volatility (Bollerslev 1986): ML fit on the
// warm-up (GARCH11.swift), online variance recursion, the one-step-ahead volatility mapped to
// K levels learnt by k-means on the in-sample conditional volatility.

import Foundation

/// GARCH(1,1) volatility regime detector. O(K) per update, no allocation.
public final class GARCHRegimeModel: RegimeModel {
    public let name = "garch"
    public let axis = RegimeAxis.volatility
    public let stateCount: Int
    public var minimumFitCount: Int { 20 }
    public var isFitted: Bool { model != nil }
    /// Mean model used at fit.
    public let meanModel: GARCH11.MeanModel
    /// The fitted model (nil before fit).
    public private(set) var model: GARCH11?
    /// Levels the volatility is mapped to.
    public private(set) var levels: VolatilityLevels?
    private let table: VolatilityLevelTable
    // Fitted parameters copied out of `model` for the hot path.
    private var mu = 0.0, omega = 0.0, alpha = 0.0, beta = 0.0
    /// Variance forecast for the next observation, σ²_{t+1|t} (squared units).
    public private(set) var forecastVariance = 0.0

    /// - Throws: ``RegimeError/invalidParameter(name:value:allowed:)`` if `states` is out of 2...8.
    public init(states: Int = 3, meanModel: GARCH11.MeanModel = .constant) throws(RegimeError) {
        try RegimeCheck.states(states)
        stateCount = states
        self.meanModel = meanModel
        table = VolatilityLevelTable(count: states)
    }

    public func fit(_ window: [Double]) throws(RegimeError) {
        let m = try GARCH11.fit(window, mean: meanModel)
        let s2 = m.conditionalVariances(window)
        let lv = VolatilityLevels(fitting: s2.map { $0.squareRoot() }, k: stateCount)
        levels = lv
        table.set(lv)
        mu = m.mu; omega = m.omega; alpha = m.alpha; beta = m.beta
        if model == nil, let last = s2.last, let y = window.last {
            let e = y - m.mu
            forecastVariance = m.omega + m.alpha * e * e + m.beta * last
        }
        model = m
    }

    /// σ²_{t+1} = ω + α(x_t − μ)² + β σ²_t, then the soft level assignment of σ_{t+1}.
    public func update(_ observation: Double, into p: UnsafeMutableBufferPointer<Double>) {
        guard table.isSet else { RegimeCheck.uniform(p, stateCount); return }
        if observation.isFinite {
            let e = observation - mu
            forecastVariance = omega + alpha * e * e + beta * forecastVariance
        }
        table.probabilities(of: forecastVariance.squareRoot(), into: p)
    }

    public func reset() { if let m = model { forecastVariance = m.omega / max(1 - m.alpha - m.beta, 1e-6) } }
}
