// The model monitor actor: a thin shell over `MonitorCore` that records sampled taps,
// evaluates every `metrics_interval`, exports through swift-metrics, feeds the alert center
// and sends rollbacks.

import Alerts
import CoreMetrics
import Runtime

/// Monitors the pipeline from sampled taps (see `MonitorTap`).
///
/// Spawn it with `ModelMonitor.mailbox(…)` (policy `dropOldest`: a producer never waits,
/// the oldest tap is evicted when the monitor lags, and the drop shows as
/// `quantum_agent_queue_dropped_messages_total{actor=…}`). Recording a tap is O(1); on
/// `.evaluate` it computes the 47 metrics (`MonitorCore.evaluate`), exports them, sends the
/// values to the `AlertCenter` (rules, dedup, cooldown), and for each confirmed degradation
/// calls `rollback` once and raises a critical `model_rollback{model=…}` alert.
public actor ModelMonitor: SupervisedActor {
    public typealias Message = MonitorTap

    /// What survives a restart: the rollback guards (deployed versions, baselines, pending
    /// rollbacks) and the rollback counts. Windows restart empty: copying them on every
    /// snapshot would cost more than the statistics they hold are worth.
    public struct Snapshot: Sendable {
        public var guards: [RollbackGuard]
        public var rollbacks: [UInt64]
    }

    nonisolated public let executor: any ActorExecutor
    nonisolated public var unownedExecutor: UnownedSerialExecutor { executor.asUnownedSerialExecutor() }
    private var core: MonitorCore
    private let pristine: MonitorCore
    private var exporter: MetricsExporter
    private let alerts: ActorRef<AlertCenter>?
    private let rollback: @Sendable (RollbackOrder) -> Void
    private var latest: [MetricSample] = []
    /// Evaluations run so far.
    public private(set) var evaluations = 0
    /// Alert requests the alert center's channel refused (full or closed).
    public private(set) var alertRequestsRefused = 0
    /// Rollback orders sent so far.
    public private(set) var rollbacksSent: [RollbackOrder] = []

    /// - Parameters:
    ///   - core: the state, built with `MonitorCore(configuration:now:)` (it validates the configuration).
    ///   - alerts: the alert center; nil to run without alerting (tests, tools).
    ///   - metricsFactory: swift-metrics factory (default: the bootstrapped system factory).
    ///   - rollback: called on the monitor's executor for each rollback order; it must not block
    ///     (send to the learner's channel).
    public init(executor: any ActorExecutor, core: MonitorCore, alerts: ActorRef<AlertCenter>? = nil,
                metricsFactory: (any MetricsFactory)? = nil,
                rollback: @escaping @Sendable (RollbackOrder) -> Void = { _ in }) {
        self.executor = executor
        self.core = core
        self.pristine = core
        self.exporter = MetricsExporter(factory: metricsFactory)
        self.alerts = alerts
        self.rollback = rollback
    }

    /// The mailbox the monitor needs: `dropOldest`, any number of producers.
    public static func mailbox(name: String = "monitor", capacity: Int = 65_536) -> ChannelConfiguration {
        ChannelConfiguration(name: name, capacity: capacity, overflow: .dropOldest, producers: .multiple)
    }

    public func receive(_ tap: MonitorTap) {
        if case .evaluate = tap {
            evaluate()
        } else {
            core.record(tap, now: executor.clock.now())
        }
    }

    /// Runs one evaluation now (the `.evaluate` message does the same).
    public func evaluate() {
        let now = executor.clock.now()
        let result = core.evaluate(now: now)
        exporter.export(result.samples)
        latest = result.samples
        evaluations += 1
        for order in result.rollbacks {
            rollback(order)
            rollbacksSent.append(order)
            if rollbacksSent.count > 100 { rollbacksSent.removeFirst() }
            let summary = "Model \(order.model) version \(order.version) rolled back: accuracy "
                + "\(Int((order.degradation * 100).rounded())) % below its baseline"
            send(.raise(key: "model_rollback{model=\"\(order.model)\"}", severity: .critical, summary: summary,
                        value: order.degradation))
        }
        send(.observe(result.samples.map { MetricObservation(metric: $0.name, series: $0.series, value: $0.value) }))
    }

    private func send(_ request: AlertRequest) {
        guard let alerts else { return }
        if !alerts.send(request).isAccepted { alertRequestsRefused += 1 }
    }

    /// The values of the last evaluation by Prometheus sample name.
    public func latestValues() -> [String: Double] {
        Dictionary(latest.map { ($0.sampleName, $0.value) }, uniquingKeysWith: { _, last in last })
    }

    /// The samples of the last evaluation.
    public func latestSamples() -> [MetricSample] { latest }

    /// Taps ignored for an out-of-range index.
    public func rejectedTaps() -> Int { core.rejectedTaps }

    public func snapshot() -> Snapshot {
        Snapshot(guards: core.rollbackGuards, rollbacks: core.models.map(\.rollbacks))
    }

    public func restore(from snapshot: Snapshot) {
        core = pristine
        core.restoreRollbackState(guards: snapshot.guards, rollbacks: snapshot.rollbacks)
    }
}
