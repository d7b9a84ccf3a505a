// The model monitor's state and its O(1) recording path; evaluation is in MonitorCore+Evaluate.
// A plain struct: no actor, clock or I/O (the shell passes `now`).

import Histogram
import Runtime

/// A rollback the monitor orders (sent to the learner by the shell).
public struct RollbackOrder: Sendable, Equatable {
    public var model: String
    public var modelIndex: Int
    /// The version to roll back (the one serving now).
    public var version: String
    /// Relative accuracy drop that triggered it.
    public var degradation: Double
    /// When it was decided (ns, the shell's clock).
    public var at: UInt64
}

/// What one evaluation produced.
public struct MonitorEvaluationResult: Sendable {
    /// Every metric value computed this interval.
    public var samples: [MetricSample]
    /// Rollbacks to send now.
    public var rollbacks: [RollbackOrder]
}

/// Per-model state.
struct ModelState: Sendable {
    var classification: ClassificationWindow
    var predictionDrift: DriftWindow
    var labels: LabelShiftWindow
    var rollbackGuard: RollbackGuard
    var detectors: [String: Int] = [:]
    var rollbacks: UInt64 = 0
}

/// Streaming computation of the 47 metrics with bounded memory (see `ModelMonitorConfiguration`).
///
/// `record` costs O(1) and never allocates, except the first decision of a (model, symbol)
/// pair, which allocates that pair's PnL window once. `evaluate` runs once per
/// `metrics_interval` and allocates its result.
public struct MonitorCore: Sendable {
    public let configuration: ModelMonitorConfiguration
    var dataQuality: DataQualityMonitor
    var models: [ModelState]
    var features: [DriftWindow]
    var pnl: [Int: DecisionPnLWindow] = [:]
    var latency: [Histogram<UInt64>]
    var deadlineMisses: UInt64 = 0
    var ticksInInterval: UInt64 = 0
    var ordersInInterval: UInt64 = 0
    var runtime: (sample: RuntimeSample, at: UInt64)?
    var previousRuntime: (sample: RuntimeSample, at: UInt64)?
    var errorHistory: [(errors: UInt64, handled: UInt64, at: UInt64)] = []
    var cluster: ClusterSample?
    var lastEvaluation: UInt64
    let symbolSlots: Int
    /// Taps ignored because an index (model, symbol, feature) was out of range.
    public private(set) var rejectedTaps = 0

    /// - Parameter now: start time (ns), the origin of the first interval.
    /// - Throws: `MonitoringError` naming a bad configuration key or size.
    public init(configuration: ModelMonitorConfiguration, now: UInt64) throws(MonitoringError) {
        try configuration.validate()
        self.configuration = configuration
        symbolSlots = max(1, configuration.symbols.count)
        dataQuality = try DataQualityMonitor(symbolCapacity: symbolSlots, window: configuration.dataQualityWindow)
        var models: [ModelState] = []
        for _ in configuration.models {
            models.append(ModelState(
                classification: try ClassificationWindow(capacity: configuration.classificationWindow),
                predictionDrift: try DriftWindow(referenceCapacity: configuration.driftReference,
                                                 windowCapacity: configuration.driftWindow),
                labels: try LabelShiftWindow(referenceCapacity: configuration.driftReference,
                                             windowCapacity: configuration.driftWindow),
                rollbackGuard: try RollbackGuard(policy: configuration.rollbackPolicy)))
        }
        self.models = models
        var features: [DriftWindow] = []
        for _ in configuration.features {
            features.append(try DriftWindow(referenceCapacity: configuration.driftReference,
                                            windowCapacity: configuration.driftWindow))
        }
        self.features = features
        latency = PipelineStage.allCases.map { _ in Histogram<UInt64>.latencyNanos() }
        lastEvaluation = now
    }

    /// Records one tap at `now` (ns). `.evaluate` is ignored here (see `evaluate(now:)`).
    public mutating func record(_ tap: MonitorTap, now: UInt64) {
        switch tap {
        case .tick(let tick):
            if dataQuality.record(tick, now: now) { ticksInInterval &+= 1 } else { rejectedTaps += 1 }
        case .prediction(let p):
            guard p.model >= 0, p.model < models.count else { rejectedTaps += 1; return }
            models[p.model].classification.record(label: p.label, probability: p.probability)
            models[p.model].predictionDrift.record(p.probability)
            models[p.model].labels.record(p.label)
        case .feature(let f):
            guard f.feature >= 0, f.feature < features.count else { rejectedTaps += 1; return }
            features[f.feature].record(f.value)
        case .decision(let d):
            recordDecision(d)
        case .latency(let l):
            latency[l.stage.rawValue].recordClamped(l.nanoseconds)
            if l.stage == .endToEnd, l.nanoseconds > configuration.deadlineNanoseconds { deadlineMisses &+= 1 }
        case .order:
            ordersInInterval &+= 1
        case .detector(let d):
            guard d.model >= 0, d.model < models.count else { rejectedTaps += 1; return }
            models[d.model].detectors[d.detector] = d.state
        case .deployed(let v):
            deploy(v, now: now)
        case .runtime(let sample):
            previousRuntime = runtime
            runtime = (sample, now)
        case .cluster(let sample):
            cluster = sample
        case .evaluate:
            break
        }
    }

    private mutating func recordDecision(_ d: DecisionSample) {
        guard d.model >= 0, d.model < models.count, d.symbol >= 0, d.symbol < symbolSlots else {
            rejectedTaps += 1
            return
        }
        let key = d.model * symbolSlots + d.symbol
        if pnl[key] == nil {
            // One allocation per (model, symbol) pair, on its first decision.
            guard let window = try? DecisionPnLWindow(capacity: configuration.pnlWindow) else { return }
            pnl[key] = window
        }
        pnl[key]?.record(pnl: d.pnl)
    }

    private mutating func deploy(_ v: ModelVersionSample, now: UInt64) {
        guard v.model >= 0, v.model < models.count else { rejectedTaps += 1; return }
        guard (try? models[v.model].rollbackGuard.versionDeployed(v.version, baseline: v.baselineAccuracy, now: now)) != nil else {
            rejectedTaps += 1
            return
        }
        // A new version: its performance, prediction distribution and labels start afresh.
        models[v.model].classification.reset()
        models[v.model].predictionDrift.resetAll()
        models[v.model].labels.reset()
    }

    /// The version each model serves (nil before the first `.deployed`).
    public func version(ofModel index: Int) -> String? {
        index >= 0 && index < models.count ? models[index].rollbackGuard.version : nil
    }

    /// Rollbacks ordered so far for a model.
    public func rollbackCount(ofModel index: Int) -> UInt64 {
        index >= 0 && index < models.count ? models[index].rollbacks : 0
    }

    /// The rollback guards' state (the actor's snapshot keeps them across restarts).
    public var rollbackGuards: [RollbackGuard] { models.map(\.rollbackGuard) }

    /// Restores rollback guards and counts from a snapshot (windows start empty).
    public mutating func restoreRollbackState(guards: [RollbackGuard], rollbacks: [UInt64]) {
        for index in models.indices where index < guards.count && index < rollbacks.count {
            models[index].rollbackGuard = guards[index]
            models[index].rollbacks = rollbacks[index]
        }
    }
}
