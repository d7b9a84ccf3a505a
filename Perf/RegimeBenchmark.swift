import Histogram
import Regime
import Runtime

/// `quantum-agent perf regime`: the hot-path cost of the regime module on this machine.
///
/// Works on a generated 3-state Markov-switching return series (the synthetic fixture's
/// parameters: σ = 0.5, 1.2, 3.0; persistence 0.98–0.99). Every detector is fitted on the first
/// 1,000 returns (off the clock), then:
/// - per detector: mean ns per `update` over `passes` passes of the series, called through the
///   `RegimeModel` protocol as the ensemble does;
/// - the HMM forward step with K = 3: the same, through the protocol and on the concrete type;
/// - the ensemble of all eight detectors (seven voters, adaptive weights on, refits off the
///   clock): each tick timed alone with the monotonic clock, p50/p99/p99.9 in ns (the clock
///   read, ~20–25 ns, is included).
public struct RegimeBenchmark: Sendable {
    /// Passes over the series for the per-update means.
    public var passes: Int
    /// Length of the generated series.
    public var length: Int

    /// - Parameters: passes ≥ 1, length ≥ 2,000.
    public init(passes: Int = 50, length: Int = 5000) {
        self.passes = max(1, passes)
        self.length = max(2000, length)
    }

    /// A seeded 3-state Markov-switching return series.
    public static func series(count: Int, seed: UInt64 = 20240604) -> [Double] {
        let sd = [0.5, 1.2, 3.0], mean = [0.05, 0.0, -0.15]
        let stay = [0.99, 0.98, 0.98]
        var random = RegimeRandom(seed: seed)
        var s = 0
        var out: [Double] = []
        out.reserveCapacity(count)
        for _ in 0..<count {
            out.append(mean[s] + sd[s] * random.normal())
            if random.uniform() > stay[s] { s = (s + 1 + random.index(below: 2)) % 3 }
        }
        return out
    }

    /// Runs every measurement. - Throws: `RegimeError` if a detector cannot be built or fitted.
    public func run() throws(RegimeError) -> RegimeBenchmarkReport {
        let x = Self.series(count: length)
        let warm = Array(x.prefix(1000))
        var detectors: [RegimeBenchmarkReport.Detector] = []
        for kind in RegimeDetectorKind.allCases {
            let d = try kind.make(states: 3)
            try d.fit(warm)
            detectors.append(.init(name: kind.rawValue, nsPerUpdate: meanNanos(x) { d.update($0, into: $1) }))
        }
        let hmm = try HMMRegimeModel(configuration: .init(states: 3))
        try hmm.fit(warm)
        let viaProtocol: any RegimeModel = hmm
        let forward = RegimeBenchmarkReport.Forward(
            states: 3,
            nsViaProtocol: meanNanos(x) { viaProtocol.update($0, into: $1) },
            nsConcrete: meanNanos(x) { hmm.update($0, into: $1) })
        return RegimeBenchmarkReport(passes: passes, length: length, detectors: detectors,
                                     hmmForward: forward, ensemble: try ensembleTicks(x, warm: warm))
    }

    /// Mean ns of one call of `body` over `passes` passes of `x` (clock read once per pass).
    private func meanNanos(_ x: [Double], _ body: (Double, UnsafeMutableBufferPointer<Double>) -> Void) -> Double {
        let clock = MonotonicClock()
        var buffer = [Double](repeating: 0, count: RegimeProbabilities.capacity)
        var total: UInt64 = 0
        var sink = 0.0
        buffer.withUnsafeMutableBufferPointer { b in
            for v in x.prefix(1000) { body(v, b) }   // warm the caches and branch predictors
            for _ in 0..<passes {
                let start = clock.now()
                for v in x { body(v, b) }
                total &+= clock.now() &- start
                sink += b[0]
            }
        }
        return sink.isNaN ? 0 : ((Double(total) / Double(passes * x.count)) * 10).rounded() / 10
    }

    /// Per-tick latency of the eight-detector ensemble.
    private func ensembleTicks(_ x: [Double], warm: [Double]) throws(RegimeError) -> RegimeBenchmarkReport.Ensemble {
        var c = RegimeEnsembleConfiguration()
        c.detectors = RegimeDetectorKind.allCases
        c.ensembleSize = RegimeDetectorKind.allCases.count - 1
        c.states = 3
        let e = try RegimeEnsemble(configuration: c)
        for v in warm { e.update(v) }
        e.refit(window: warm)
        let clock = MonotonicClock()
        var histogram = Histogram<UInt64>.latencyNanos()
        var ticks = 0
        for pass in 0..<passes {
            for v in x {
                let start = clock.now()
                let s = e.update(v)
                let end = clock.now()
                if pass > 0 || ticks > 1000 { histogram.recordClamped(end &- start) }
                ticks &+= s.tick > 0 ? 1 : 0
            }
        }
        let summary = LatencySummary(histogram)
        return .init(detectors: c.detectors.count, voters: e.voterIndices.count, p50: summary.p50, p99: summary.p99,
                     p999: summary.p999, mean: (summary.mean * 10).rounded() / 10, samples: summary.count)
    }
}

/// The document `perf regime --json` prints (ns).
public struct RegimeBenchmarkReport: Sendable, Codable, Equatable {
    /// One detector's mean cost per update.
    public struct Detector: Sendable, Codable, Equatable {
        public var name: String
        public var nsPerUpdate: Double
        enum CodingKeys: String, CodingKey { case name, nsPerUpdate = "ns_per_update" }
    }

    /// The HMM forward-filter step.
    public struct Forward: Sendable, Codable, Equatable {
        public var states: Int
        /// Called through `any RegimeModel` (as the ensemble calls it).
        public var nsViaProtocol: Double
        /// Called on `HMMRegimeModel` directly.
        public var nsConcrete: Double
        enum CodingKeys: String, CodingKey { case states, nsViaProtocol = "ns_via_protocol", nsConcrete = "ns_concrete" }
    }

    /// Per-tick latency of the whole ensemble.
    public struct Ensemble: Sendable, Codable, Equatable {
        public var detectors: Int
        public var voters: Int
        public var p50: UInt64
        public var p99: UInt64
        public var p999: UInt64
        public var mean: Double
        public var samples: UInt64
        enum CodingKeys: String, CodingKey {
            case detectors, voters, samples
            case p50 = "p50_ns", p99 = "p99_ns", p999 = "p999_ns", mean = "mean_ns"
        }
    }

    public var benchmark = "regime"
    public var passes: Int
    public var length: Int
    public var detectors: [Detector]
    public var hmmForward: Forward
    public var ensemble: Ensemble

    enum CodingKeys: String, CodingKey {
        case benchmark, passes, length, detectors, ensemble
        case hmmForward = "hmm_forward"
    }
}
