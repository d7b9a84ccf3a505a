import Learning
import Runtime

/// `perf learn`: nanoseconds per update of each drift detector and per prequential row
/// (predict, then learn) of each online model, as the p50 over repeated batches.
///
/// The data are those of `Perf/Scripts/river_learning_baseline.py`, which times River
/// 0.26 the same way (same batches, same p50) so the two can be divided:
/// - detectors: `rows` values from a 64-bit LCG (seed 42); a Gaussian-ish stream (sum of
///   three uniforms − 1.5, mean +1 on every second block of 100,000) for ADWIN,
///   PageHinkley and KSWIN (KSWIN on the first 20,000 only, as River's is slow), then
///   Bernoulli errors (rate 0.1, then 0.3 on every second block) for DDM and EDDM;
/// - models: River's SEA stream with variant switches 0→1→2→3, 10% label noise,
///   `min(rows, 20000)` rows; STREAM_RF with 10 trees, seed 42.
public struct LearningBenchmark: Sendable {
    public let rows: Int
    public let modelRows: Int
    public let batchUpdates: Int
    public let batchRows: Int
    public let repeats: Int

    /// - Parameters:
    ///   - rows: detector stream length (≥ 1000).
    ///   - batchUpdates: detector updates per timed batch.
    ///   - batchRows: model rows per timed batch.
    ///   - repeats: full passes over the data (a fresh detector or model each).
    public init(rows: Int = 200_000, batchUpdates: Int = 1000, batchRows: Int = 200, repeats: Int = 3) {
        self.rows = max(rows, 1000)
        modelRows = min(self.rows, 20_000) / 4 * 4
        self.batchUpdates = max(batchUpdates, 1)
        self.batchRows = max(batchRows, 1)
        self.repeats = max(repeats, 1)
    }

    /// Names in report order.
    public static let detectorNames = ["ADWIN", "DDM", "EDDM", "PageHinkley", "KSWIN"]
    public static let modelNames = ["ONLINE_GD", "INCREMENTAL_SVM", "STREAM_RF", "ENSEMBLE"]

    /// Runs every case.
    /// - Throws: `ParameterError` only if a default configuration were invalid.
    public func run() throws(ParameterError) -> LearningReport {
        let (gauss, bits) = LearningStreams.detectorStreams(rows)
        let kswinValues = Array(gauss.prefix(20_000))
        var detectors: [String: DetectorCost] = [:]
        detectors["ADWIN"] = try time(gauss) { () throws(ParameterError) in try ADWIN() }
        detectors["DDM"] = try time(bits) { () throws(ParameterError) in try DDM() }
        detectors["EDDM"] = try time(bits) { () throws(ParameterError) in try EDDM() }
        detectors["PageHinkley"] = try time(gauss) { () throws(ParameterError) in try PageHinkley() }
        detectors["KSWIN"] = try time(kswinValues) { () throws(ParameterError) in try KSWIN(.init(seed: 1)) }

        let sea = SEAStream.variantSwitching(rowsPerVariant: modelRows / 4)
        var models: [String: ModelCost] = [:]
        for (name, kind) in zip(Self.modelNames, [ModelKind.onlineGD, .incrementalSVM, .streamRF, .ensemble]) {
            let evaluation = try LearnEvaluation(model: kind.rawValue, parameters: [], seed: 42)
            let manager = try evaluation.makeManager(dimension: 3)
            models[name] = time(model: manager, sea.features, sea.labels)
        }
        return LearningReport(rows: rows, modelRows: modelRows, batchUpdates: batchUpdates, batchRows: batchRows,
                              repeats: repeats, detectors: detectors, models: models)
    }

    private func time<D: DriftDetector>(_ values: [Double], _ make: () throws(ParameterError) -> D)
        throws(ParameterError) -> DetectorCost {
        let clock = MonotonicClock()
        var samples: [Double] = []
        samples.reserveCapacity(repeats * (values.count / batchUpdates + 1))
        var detections = 0
        var totalNanos: UInt64 = 0
        for _ in 0..<repeats {
            var detector = try make()
            detections = 0
            values.withUnsafeBufferPointer { buffer in
                var start = 0
                while start < buffer.count {
                    let end = min(start + batchUpdates, buffer.count)
                    let t0 = clock.now()
                    for i in start..<end {
                        detector.update(buffer[i])
                        if detector.driftDetected { detections += 1 }
                    }
                    let elapsed = clock.now() &- t0
                    totalNanos &+= elapsed
                    samples.append(Double(elapsed) / Double(end - start))
                    start = end
                }
            }
        }
        return DetectorCost(nsPerUpdateP50: Self.median(samples),
                            nsPerUpdateMean: Double(totalNanos) / Double(repeats * values.count),
                            updates: values.count, batches: samples.count, detections: detections)
    }

    private func time(model manager: ModelManager, _ features: [[Double]], _ labels: [Bool]) -> ModelCost {
        let clock = MonotonicClock()
        var plain: [Double] = []
        var managed: [Double] = []
        var correct = 0
        var totalNanos: UInt64 = 0
        for _ in 0..<repeats {
            var model = manager.blueprint
            correct = 0
            var start = 0
            while start < features.count {
                let end = min(start + batchRows, features.count)
                let t0 = clock.now()
                for i in start..<end where model.predictLabelThenLearn(features[i], label: labels[i]) == labels[i] {
                    correct += 1
                }
                let elapsed = clock.now() &- t0
                totalNanos &+= elapsed
                plain.append(Double(elapsed) / Double(end - start))
                start = end
            }
            var m = manager
            start = 0
            while start < features.count {
                let end = min(start + batchRows, features.count)
                let t0 = clock.now()
                for i in start..<end { _ = m.learn(features[i], label: labels[i], time: Double(i)) }
                managed.append(Double(clock.now() &- t0) / Double(end - start))
                start = end
            }
        }
        return ModelCost(nsPerRowP50: Self.median(plain),
                         nsPerRowMean: Double(totalNanos) / Double(repeats * features.count),
                         managedNsPerRowP50: Self.median(managed),
                         accuracy: Double(correct) / Double(max(features.count, 1)), rows: features.count,
                         batches: plain.count)
    }

    static func median(_ xs: [Double]) -> Double {
        guard !xs.isEmpty else { return 0 }
        let s = xs.sorted()
        let v = s.count % 2 == 1 ? s[s.count / 2] : (s[s.count / 2 - 1] + s[s.count / 2]) / 2
        return (v * 10).rounded() / 10
    }
}

/// The input streams shared with `river_learning_baseline.py` (same LCG, same order).
public enum LearningStreams {
    /// 64-bit LCG (Knuth MMIX constants); `uniform` takes the top 53 bits.
    struct LCG {
        var state: UInt64
        mutating func uniform() -> Double {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Double(state >> 11) / Double(UInt64(1) << 53)
        }
    }

    /// (Gaussian-ish values, Bernoulli 0/1 errors), `n` each.
    public static func detectorStreams(_ n: Int) -> (gauss: [Double], bits: [Double]) {
        var g = LCG(state: 42)
        var gauss: [Double] = []
        gauss.reserveCapacity(n)
        for i in 0..<n {
            let a = g.uniform()
            let b = g.uniform()
            let c = g.uniform()
            gauss.append((a + b + c - 1.5) + (i % 200_000 < 100_000 ? 0 : 1))
        }
        var bits: [Double] = []
        bits.reserveCapacity(n)
        for i in 0..<n {
            bits.append(g.uniform() < (i % 200_000 < 100_000 ? 0.1 : 0.3) ? 1 : 0)
        }
        return (gauss, bits)
    }
}

/// Cost of one detector.
public struct DetectorCost: Sendable, Codable, Equatable {
    public var nsPerUpdateP50: Double
    public var nsPerUpdateMean: Double
    public var updates: Int
    public var batches: Int
    /// Drifts detected in the last pass (keeps the work observable).
    public var detections: Int

    enum CodingKeys: String, CodingKey {
        case nsPerUpdateP50 = "ns_per_update_p50"
        case nsPerUpdateMean = "ns_per_update_mean"
        case updates, batches, detections
    }
}

/// Cost of one model: prequential predict + learn per row, bare and under the
/// champion/challenger manager.
public struct ModelCost: Sendable, Codable, Equatable {
    public var nsPerRowP50: Double
    public var nsPerRowMean: Double
    public var managedNsPerRowP50: Double
    public var accuracy: Double
    public var rows: Int
    public var batches: Int

    enum CodingKeys: String, CodingKey {
        case nsPerRowP50 = "ns_per_row_p50"
        case nsPerRowMean = "ns_per_row_mean"
        case managedNsPerRowP50 = "managed_ns_per_row_p50"
        case accuracy, rows, batches
    }
}

/// Everything `perf learn` measured.
public struct LearningReport: Sendable, Codable, Equatable {
    public var rows: Int
    public var modelRows: Int
    public var batchUpdates: Int
    public var batchRows: Int
    public var repeats: Int
    public var detectors: [String: DetectorCost]
    public var models: [String: ModelCost]

    enum CodingKeys: String, CodingKey {
        case rows
        case modelRows = "model_rows"
        case batchUpdates = "batch_updates"
        case batchRows = "batch_rows"
        case repeats, detectors, models
    }
}
