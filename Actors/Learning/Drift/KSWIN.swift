// KSWIN — Kolmogorov–Smirnov WINdowing drift detector.
// Raab, C., Heusinger, M. & Schleif, F.-M. (2020). "Reactive soft prototype computing
// for concept drift streams." Neurocomputing 416, 340–351.
//
// Reference semantics: River 0.26 `drift.KSWIN`: a sliding window of `window_size`
// items; once full, every update draws `stat_size` indices among the oldest
// `window_size - stat_size` with `random.Random(seed).sample(...)` (reproduced bit
// for bit by `PythonRandom`), compares them with the `stat_size` most recent items by
// SciPy's exact two-sample KS test, and signals drift when p ≤ alpha and D > 0.1.
// The update after a drift resets the window and re-seeds the generator, as River.
// River's `seed=None` (OS entropy) has no deterministic equivalent: here the seed
// always has a value (default 1).

/// KSWIN drift detector (River 0.26 semantics, reproducible RNG).
public struct KSWIN: DriftDetector {
    /// Parameters, named and defaulted as River's (seed: see file header).
    public struct Configuration: Sendable, Equatable, Codable {
        /// Significance level of the KS test, 0 ≤ alpha ≤ 1.
        public var alpha: Double = 0.005
        /// Sliding window length (≥ 2·stat_size).
        public var windowSize: Int = 100
        /// Size of the two compared samples, 1 ≤ stat_size ≤ 10,000.
        public var statSize: Int = 30
        /// Seed of the Python-compatible Mersenne Twister.
        public var seed: Int = 1

        public init(alpha: Double = 0.005, windowSize: Int = 100, statSize: Int = 30, seed: Int = 1) {
            self.alpha = alpha
            self.windowSize = windowSize
            self.statSize = statSize
            self.seed = seed
        }

        /// Throws `ParameterError.outOfRange` naming the first invalid parameter.
        public func validate() throws(ParameterError) {
            if !(alpha >= 0 && alpha <= 1) {
                throw .outOfRange(name: "alpha", value: "\(alpha)", allowed: "0 <= alpha <= 1")
            }
            if statSize < 1 || statSize > 10_000 {
                throw .outOfRange(name: "stat_size", value: "\(statSize)", allowed: "integer in [1, 10000]")
            }
            if windowSize < 2 * statSize || windowSize > 1_000_000 {
                throw .outOfRange(name: "window_size", value: "\(windowSize)",
                                  allowed: "integer in [2 * stat_size, 1000000] = [\(2 * statSize), 1000000]")
            }
        }
    }

    public let configuration: Configuration
    public private(set) var driftDetected = false
    public var warningDetected: Bool { false }
    /// p-value of the last test (0 before the window is full, as River).
    public private(set) var pValue = 0.0
    /// KS statistic of the last test.
    public private(set) var statistic = 0.0
    /// Items seen since the last reset.
    public private(set) var count = 0

    private var rng: PythonRandom
    private var window: [Double]
    private var head = 0
    private var filled = 0
    private var sampleIndices: [Int]
    private var scratch: [Int]
    private var reference: [Double]
    private var recent: [Double]

    /// Creates a detector; throws if a parameter is out of range.
    public init(_ configuration: Configuration = Configuration()) throws(ParameterError) {
        try configuration.validate()
        self.configuration = configuration
        rng = PythonRandom(seed: configuration.seed)
        window = [Double](repeating: 0, count: configuration.windowSize)
        sampleIndices = [Int](repeating: 0, count: configuration.statSize)
        scratch = [Int](repeating: 0, count: configuration.windowSize - configuration.statSize)
        reference = [Double](repeating: 0, count: configuration.statSize)
        recent = [Double](repeating: 0, count: configuration.statSize)
    }

    public mutating func reset() {
        driftDetected = false
        pValue = 0; statistic = 0; count = 0; head = 0; filled = 0
        rng.seed(configuration.seed)
    }

    /// Item `i` of the window, 0 = oldest.
    @inline(__always) private func item(_ i: Int) -> Double {
        let size = configuration.windowSize
        let start = filled < size ? 0 : head
        let k = start + i
        return window[k >= size ? k - size : k]
    }

    public mutating func update(_ x: Double) {
        if driftDetected { reset() }
        count += 1
        let size = configuration.windowSize
        window[head] = x
        head = head + 1 == size ? 0 : head + 1
        if filled < size { filled += 1 }
        guard filled >= size else { driftDetected = false; return }
        let stat = configuration.statSize
        rng.sampleRange(size - stat, stat, into: &sampleIndices, scratch: &scratch)
        for i in 0..<stat {
            reference[i] = item(sampleIndices[i])
            recent[i] = item(size - stat + i)
        }
        Self.insertionSort(&reference)
        Self.insertionSort(&recent)
        let result = reference.withUnsafeBufferPointer { a in
            recent.withUnsafeBufferPointer { b in KolmogorovSmirnov.twoSampleSorted(a, b) }
        }
        statistic = result.statistic
        pValue = result.pValue
        driftDetected = pValue <= configuration.alpha && statistic > 0.1
    }

    private static func insertionSort(_ values: inout [Double]) {
        guard values.count > 1 else { return }
        for i in 1..<values.count {
            let v = values[i]
            var j = i - 1
            while j >= 0 && values[j] > v {
                values[j + 1] = values[j]
                j -= 1
            }
            values[j + 1] = v
        }
    }
}
