/// The six features of one tick, inline (no heap): what the models see.
public struct FeatureVector: Sendable, Equatable {
    /// Log return since the symbol's previous tick.
    public var logReturn: Double
    /// EWMA volatility of log returns (per tick).
    public var volatility: Double
    /// Momentum: fast EMA minus slow EMA of returns, in units of volatility.
    public var momentum: Double
    /// z-score of the price against its EWMA mean and deviation.
    public var zScore: Double
    /// Quoted spread in basis points of the mid (0 without a quote).
    public var spreadBps: Double
    /// Signed-volume imbalance EMA in [-1, 1] (tick rule).
    public var imbalance: Double

    public static let count = 6
    public static let names = ["log_return", "volatility", "momentum", "z_score", "spread_bps", "imbalance"]

    public init(logReturn: Double = 0, volatility: Double = 0, momentum: Double = 0, zScore: Double = 0,
                spreadBps: Double = 0, imbalance: Double = 0) {
        self.logReturn = logReturn
        self.volatility = volatility
        self.momentum = momentum
        self.zScore = zScore
        self.spreadBps = spreadBps
        self.imbalance = imbalance
    }

    /// Writes the features into the first six slots of `buffer` (which must hold ≥ 6; no allocation).
    @inlinable
    public func write(into buffer: inout [Double]) {
        buffer[0] = logReturn
        buffer[1] = volatility
        buffer[2] = momentum
        buffer[3] = zScore
        buffer[4] = spreadBps
        buffer[5] = imbalance
    }

    /// Calls `body` with the six features in order in contiguous memory on the stack
    /// (what `write(into:)` puts in an array, without the array).
    @inlinable
    public func withUnsafeBufferPointer<R>(_ body: (UnsafeBufferPointer<Double>) throws -> R) rethrows -> R {
        var values = (logReturn, volatility, momentum, zScore, spreadBps, imbalance)
        return try withUnsafeMutablePointer(to: &values) { tuple in
            try tuple.withMemoryRebound(to: Double.self, capacity: Self.count) { base in
                try body(UnsafeBufferPointer(start: base, count: Self.count))
            }
        }
    }
}
