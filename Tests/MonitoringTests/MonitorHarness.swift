import Foundation
import Synchronization
import Testing
import Hardware
import Runtime
import Alerts
import CoreMetrics
import Prometheus
@testable import Monitoring

/// An alert channel that keeps every event it is given.
final class RecordingChannel: AlertChannel {
    let name = "recording"
    private let events = Mutex<[AlertEvent]>([])
    func send(_ event: AlertEvent) { events.withLock { $0.append(event) } }
    var droppedCount: Int { 0 }
    /// Events received since the last call.
    func take() -> [AlertEvent] {
        events.withLock { events in
            let taken = events
            events.removeAll()
            return taken
        }
    }
}

/// Rollback orders the monitor sent.
final class RollbackRecorder: Sendable {
    private let orders = Mutex<[RollbackOrder]>([])
    func record(_ order: RollbackOrder) { orders.withLock { $0.append(order) } }
    var all: [RollbackOrder] { orders.withLock { $0 } }
}

/// A deterministic actor system with a monitor, an alert center, a recording channel and a
/// Prometheus registry of its own, on a virtual clock.
struct MonitorHarness {
    static let second: UInt64 = 1_000_000_000
    static let minute: UInt64 = 60 * second

    let clock: VirtualClock
    let system: ActorSystem
    let monitor: ActorRef<ModelMonitor>
    let center: ActorRef<AlertCenter>
    let channel: RecordingChannel
    let rollbacks: RollbackRecorder
    let registry: PrometheusCollectorRegistry

    static func configuration() -> ModelMonitorConfiguration {
        ModelMonitorConfiguration(models: ["alpha"], symbols: ["BTCUSD", "ETHUSD"], features: ["spread"],
                                  classificationWindow: 200, pnlWindow: 100, driftReference: 100, driftWindow: 50,
                                  dataQualityWindow: 100, rollbackMinimumSamples: 50)
    }

    static func make(configuration: ModelMonitorConfiguration = configuration(),
                     mailboxCapacity: Int = 4096) async throws -> MonitorHarness {
        let clock = VirtualClock(start: 1_000 * second)
        let plan = try CorePlan.make([.init(name: "monitor", latencyClass: .background),
                                      .init(name: "alerts", latencyClass: .background)], topology: Topology.current())
        let system = try ActorSystem(plan: plan, configuration: .init(deterministic: true), clock: clock)
        let registry = PrometheusCollectorRegistry()
        let factory = PrometheusMetricsFactory(registry: registry)
        let channel = RecordingChannel()
        let rollbacks = RollbackRecorder()
        let manager = try AlertManager(configuration: AlertManagerConfiguration(cooldownMinutes: 15),
                                       rules: AlertRule.builtIn())
        let core = try MonitorCore(configuration: configuration, now: clock.now())
        let (center, monitor) = try await system.pumping {
            let center = try await system.spawn("alerts", mailbox: ChannelConfiguration(name: "alerts", capacity: 1024)) {
                AlertCenter(executor: $0, manager: manager, channels: [channel], metricsFactory: factory)
            }
            let monitor = try await system.spawn("monitor", mailbox: ModelMonitor.mailbox(capacity: mailboxCapacity)) {
                ModelMonitor(executor: $0, core: core, alerts: center, metricsFactory: factory,
                             rollback: { rollbacks.record($0) })
            }
            return (center, monitor)
        }
        return MonitorHarness(clock: clock, system: system, monitor: monitor, center: center, channel: channel,
                              rollbacks: rollbacks, registry: registry)
    }

    /// Sends taps, then `.evaluate`, and runs everything until idle.
    func evaluate(after taps: [MonitorTap] = []) {
        for tap in taps { monitor.send(tap) }
        monitor.send(.evaluate)
        system.runUntilIdle()
    }

    func advance(seconds: UInt64) { clock.advance(by: seconds * Self.second) }

    /// `count` ticks of `symbol` (sequences from `start`), the first `bad` with a missing field.
    static func ticks(symbol: Int, count: Int, bad: Int = 0, start: UInt64 = 1) -> [MonitorTap] {
        (0..<count).map { i in
            .tick(TickSample(symbol: symbol, sequence: start + UInt64(i), timestampNanoseconds: UInt64(i),
                             price: 100, size: 1, hasMissingField: i < bad))
        }
    }

    /// The Prometheus exposition of the harness's registry.
    var exposition: String { registry.emitToString() }
}
