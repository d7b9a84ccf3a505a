// Fixed-capacity probability vector so signals carry probabilities without allocating.

/// Probabilities over at most `RegimeProbabilities.capacity` canonical states, stored inline
/// (no heap allocation). Index 0 is the calmest (lowest-volatility) state.
public struct RegimeProbabilities: Sendable, Equatable, CustomStringConvertible {
    /// The largest number of states any detector supports.
    public static let capacity = 8
    @usableFromInline var storage: (Double, Double, Double, Double, Double, Double, Double, Double)
    /// Number of states in use.
    public private(set) var count: Int

    /// Uniform probabilities over `count` states (`count` is clamped to 1...capacity).
    public init(uniform count: Int) {
        let c = max(1, min(count, Self.capacity))
        self.count = c
        storage = (0, 0, 0, 0, 0, 0, 0, 0)
        for i in 0..<c { self[i] = 1.0 / Double(c) }
    }

    /// Copies the first `min(values.count, capacity)` values.
    public init(_ values: [Double]) {
        count = max(1, min(values.count, Self.capacity))
        storage = (0, 0, 0, 0, 0, 0, 0, 0)
        for i in 0..<min(values.count, Self.capacity) { self[i] = values[i] }
    }

    /// Probability of state `i` (0 outside `0..<count`).
    public subscript(i: Int) -> Double {
        get {
            guard i >= 0, i < count else { return 0 }
            return withUnsafeBytes(of: storage) { $0.load(fromByteOffset: i &* 8, as: Double.self) }
        }
        set {
            guard i >= 0, i < Self.capacity else { return }
            withUnsafeMutableBytes(of: &storage) { $0.storeBytes(of: newValue, toByteOffset: i &* 8, as: Double.self) }
        }
    }

    /// Index of the most probable state (lowest index on ties).
    public var argmax: Int {
        var best = 0
        for i in 1..<max(count, 1) where self[i] > self[best] { best = i }
        return best
    }

    /// The values as an array (allocates; for reports, not the hot path).
    public var values: [Double] { (0..<count).map { self[$0] } }

    public static func == (a: Self, b: Self) -> Bool { a.values == b.values }

    public var description: String { values.description }
}
