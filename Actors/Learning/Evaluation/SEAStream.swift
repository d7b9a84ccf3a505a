// SEA concepts stream, bit-identical to River 0.26 `datasets.synth.SEA`.
// Street, W. N. & Kim, Y. (2001). "A streaming ensemble algorithm (SEA) for
// large-scale classification." KDD 2001, 377–382.
// Three features uniform in [0, 10); label = x0 + x1 > threshold (8, 9, 7, 9.5 for
// variants 0–3); with probability `noise` the label is flipped. Drawn from the
// CPython-compatible generator in River's order, so the same seed gives the same rows.

/// Generator of SEA rows (pure; the caller owns the sequence).
public struct SEAStream: Sendable {
    public let variant: Int
    public let noise: Double
    private var rng: PythonRandom
    private let threshold: Double

    /// Throws `ParameterError.outOfRange` for a variant outside 0...3 or noise outside [0, 1].
    public init(variant: Int, noise: Double, seed: Int) throws(ParameterError) {
        guard (0...3).contains(variant) else {
            throw .outOfRange(name: "variant", value: "\(variant)", allowed: "0, 1, 2 or 3")
        }
        guard noise >= 0 && noise <= 1 else {
            throw .outOfRange(name: "noise", value: "\(noise)", allowed: "0 <= noise <= 1")
        }
        self.variant = variant
        self.noise = noise
        threshold = [8.0, 9.0, 7.0, 9.5][variant]
        rng = PythonRandom(seed: seed)
    }

    /// Next (features, label).
    public mutating func next() -> (features: [Double], label: Bool) {
        var x = [0.0, 0.0, 0.0]
        for i in 0..<3 { x[i] = 0 + (10 - 0) * rng.random() }
        var y = x[0] + x[1] > threshold
        if noise != 0 && rng.random() < noise { y.toggle() }
        return (x, y)
    }

    /// The concatenation used by the fixtures and benchmarks: `rowsPerVariant` rows
    /// of each variant 0, 1, 2, 3 in turn (seed `baseSeed + variant`), noise 0.1.
    public static func variantSwitching(rowsPerVariant: Int, baseSeed: Int = 1000, noise: Double = 0.1)
        -> (features: [[Double]], labels: [Bool]) {
        var features: [[Double]] = []
        var labels: [Bool] = []
        features.reserveCapacity(4 * rowsPerVariant)
        labels.reserveCapacity(4 * rowsPerVariant)
        for v in 0...3 {
            guard var s = try? SEAStream(variant: v, noise: noise, seed: baseSeed + v) else { continue }
            for _ in 0..<rowsPerVariant {
                let (x, y) = s.next()
                features.append(x)
                labels.append(y)
            }
        }
        return (features, labels)
    }
}
