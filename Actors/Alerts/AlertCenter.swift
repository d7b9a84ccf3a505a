// The agent's one alert engine as an actor: a thin shell over the `AlertManager` state machine
// that routes its events to the channels and serves the control plane.

import CoreMetrics
import Runtime

/// One metric value for the rules: `metric` with its series labels (`symbol="BTCUSD"`).
public struct MetricObservation: Sendable, Equatable {
    public var metric: String
    public var series: String
    public var value: Double

    public init(metric: String, series: String = "", value: Double) {
        self.metric = metric
        self.series = series
        self.value = value
    }
}

/// A message to the alert center (sent through its channel by the monitor and other modules).
public enum AlertRequest: Sendable {
    /// Metric values of one interval; rules are evaluated, then time-driven transitions run.
    /// A counter read by a rate rule is given as its cumulative total.
    case observe([MetricObservation])
    /// Counter increments (`value` = the increase, e.g. 1 per error) for the rate rules,
    /// such as `high_error_rate` on `quantum_agent_handler_errors_total` and
    /// `quantum_agent_messages_handled_total`. Rate rules are evaluated at the next `.tick`
    /// or `.observe`.
    case count([MetricObservation])
    /// An alert no rule computes (a rollback, a halt …).
    case raise(key: String, severity: AlertSeverity, summary: String, value: Double)
    /// Resolves the alert of `key` by hand.
    case clear(key: String)
    /// Time-driven transitions only (reminders after the cooldown, snooze expiry, channel drops).
    case tick
}

/// The alert engine shell. Times given to the `AlertManager` are the executor clock plus
/// `epochOffsetNanoseconds` (Unix-epoch ns in production, the virtual clock in tests).
/// Every event goes to every channel (`send` never blocks). Each tick also turns the
/// channels' drop counts into `quantum_agent_alerts_dropped_total{channel}` and into the
/// `alert_channel_drops` rule (value: drops during the interval).
public actor AlertCenter: SupervisedActor {
    public typealias Message = AlertRequest
    public typealias Snapshot = AlertManager

    nonisolated public let executor: any ActorExecutor
    nonisolated public var unownedExecutor: UnownedSerialExecutor { executor.asUnownedSerialExecutor() }
    private var manager: AlertManager
    private let channels: [any AlertChannel]
    private let epochOffset: UInt64
    private var lastDrops: [String: Int] = [:]
    private var dropCounters: [String: Counter] = [:]
    private let factory: any MetricsFactory
    /// Events handed to channels so far (each event counts once, whatever the channel count).
    public private(set) var eventsRouted = 0

    /// - Parameters:
    ///   - manager: the state machine with its rules and configuration.
    ///   - channels: where events go (log, webhook, Redis).
    ///   - epochOffsetNanoseconds: added to the executor clock; nil: wall-clock offset when the
    ///     clock is a `MonotonicClock`, 0 otherwise (virtual time in tests).
    ///   - metricsFactory: where the drop counters are made (default: the system factory).
    public init(executor: any ActorExecutor, manager: AlertManager, channels: [any AlertChannel],
                epochOffsetNanoseconds: UInt64? = nil, metricsFactory: (any MetricsFactory)? = nil) {
        self.executor = executor
        self.manager = manager
        self.channels = channels
        self.factory = metricsFactory ?? MetricsSystem.factory
        if let epochOffsetNanoseconds {
            epochOffset = epochOffsetNanoseconds
        } else if executor.clock is MonotonicClock {
            epochOffset = WallClock.nowNanos() &- executor.clock.now()
        } else {
            epochOffset = 0
        }
    }

    /// The alert time now (ns).
    private var now: UInt64 { executor.clock.now() &+ epochOffset }

    public func receive(_ request: AlertRequest) {
        let now = self.now
        switch request {
        case .observe(let observations):
            var events: [AlertEvent] = []
            for o in observations {
                events += manager.observe(metric: o.metric, value: o.value, series: o.series, now: now)
            }
            route(events)
            timeDriven(now: now)
        case .count(let increments):
            for o in increments { manager.count(metric: o.metric, by: o.value, series: o.series, now: now) }
        case let .raise(key, severity, summary, value):
            route(manager.raise(key: key, severity: severity, summary: summary, value: value, now: now))
        case .clear(let key):
            if let event = manager.clear(key: key, now: now) { route([event]) }
        case .tick:
            timeDriven(now: now)
        }
    }

    private func timeDriven(now: UInt64) {
        var events = manager.tick(now: now)
        for channel in channels {
            let total = channel.droppedCount
            let delta = max(0, total - (lastDrops[channel.name] ?? 0))
            lastDrops[channel.name] = total
            let counter = dropCounters[channel.name] ?? Counter(
                label: "quantum_agent_alerts_dropped_total", dimensions: [("channel", channel.name)], factory: factory)
            dropCounters[channel.name] = counter
            counter.increment(by: delta)
            events += manager.observe(metric: "quantum_agent_alerts_dropped_total", value: Double(delta),
                                      series: "channel=\"\(channel.name)\"", now: now)
        }
        route(events)
    }

    private func route(_ events: [AlertEvent]) {
        for event in events {
            for channel in channels { channel.send(event) }
        }
        eventsRouted += events.count
    }

    public func snapshot() -> AlertManager { manager }
    public func restore(from snapshot: AlertManager) { manager = snapshot }

    // MARK: - Control plane (await from the HTTP handlers)

    /// Active alerts, most severe first.
    public func activeAlerts() -> [Alert] { manager.activeAlerts }

    /// Resolved alerts, oldest first (bounded).
    public func history() -> [Alert] { manager.history }

    /// One alert by id (active or resolved).
    public func alert(id: UInt64) -> Alert? { manager.alert(id: id) }

    /// Acknowledges an active alert (idempotent) and notifies the channels once.
    /// - Returns: the alert after the change.
    /// - Throws: `AlertError.unknownAlert`, `.alreadyResolved`.
    @discardableResult
    public func acknowledge(id: UInt64, by operatorName: String) throws(AlertError) -> Alert {
        let now = self.now
        if let event = try manager.acknowledge(id: id, by: operatorName, now: now) { route([event]) }
        guard let alert = manager.alert(id: id) else { throw .unknownAlert(id: id) }
        return alert
    }

    /// Snoozes an active alert for `seconds` (1 s … the configured maximum).
    /// - Throws: `AlertError.unknownAlert`, `.alreadyResolved`, `.invalidSnoozeDuration`.
    @discardableResult
    public func snooze(id: UInt64, seconds: Double) throws(AlertError) -> Alert {
        let maximum = manager.configuration.maximumSnoozeNanoseconds
        guard seconds.isFinite, seconds >= 0, seconds <= Double(maximum) / 1e9 else {
            throw .invalidSnoozeDuration(nanoseconds: seconds.isFinite && seconds > 0 ? UInt64.max : 0, maximumNanoseconds: maximum)
        }
        let event = try manager.snooze(id: id, forNanoseconds: UInt64(seconds * 1e9), now: now)
        route([event])
        return event.alert
    }

    /// Resolves an active alert by hand (its condition may raise it again).
    /// - Throws: `AlertError.unknownAlert`, `.alreadyResolved`.
    @discardableResult
    public func resolve(id: UInt64) throws(AlertError) -> Alert {
        guard let alert = manager.alert(id: id) else { throw .unknownAlert(id: id) }
        guard alert.state != .resolved else { throw .alreadyResolved(id: id) }
        let event = manager.clear(key: alert.key, now: now)
        if let event { route([event]) }
        return manager.alert(id: id) ?? alert
    }

    /// Counters of the state machine: withheld notifications and alerts not created.
    public func counters() -> (suppressedNotifications: Int, droppedAlerts: Int, eventsRouted: Int) {
        (manager.suppressedNotifications, manager.droppedAlerts, eventsRouted)
    }
}
