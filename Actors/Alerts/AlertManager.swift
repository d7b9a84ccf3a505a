// The single alert engine of the agent: rules, dedup by key, cooldown, acknowledge, snooze,
// auto-resolve and a bounded history. A pure state machine: no clock, no I/O; every call
// takes `now` (ns) and returns the events the shell must deliver to the channels.

/// Options of the AlertManager.
public struct AlertManagerConfiguration: Sendable, Codable, Equatable {
    /// `alert_cooldown_minutes` in ns (default 15 min): minimum time between two
    /// notifications of the same key (first alert after a resolve included).
    public var cooldownNanoseconds: UInt64
    /// Resolved alerts kept in the history (default 1,000; oldest dropped).
    public var historyCapacity: Int
    /// Maximum simultaneously active alerts (default 10,000); further ones are counted and dropped.
    public var maximumActiveAlerts: Int
    /// Longest allowed snooze, ns (default 7 days).
    public var maximumSnoozeNanoseconds: UInt64

    public init(cooldownMinutes: Double = 15, historyCapacity: Int = 1000, maximumActiveAlerts: Int = 10_000,
                maximumSnoozeNanoseconds: UInt64 = 7 * 86_400 * 1_000_000_000) {
        self.cooldownNanoseconds = UInt64(max(0, min(cooldownMinutes, 10_080)) * 60 * 1e9)
        self.historyCapacity = historyCapacity
        self.maximumActiveAlerts = maximumActiveAlerts
        self.maximumSnoozeNanoseconds = maximumSnoozeNanoseconds
    }
}

/// The AlertManager state machine.
///
/// - A sample matching a rule raises (or updates) the alert of key `rule{series}`; a sample
///   of the same rule and series that does not match resolves it (auto-resolve).
/// - Dedup: one active alert per key; repeated matches increase `occurrences`.
/// - Cooldown: a key is notified at most once per `cooldownNanoseconds`; a firing,
///   unacknowledged alert gets a `reminder` each time the cooldown elapses; an alert raised
///   again within the cooldown after a resolve stays silent until the cooldown ends.
/// - Acknowledge stops reminders; snooze silences until a time, then reminds at once.
/// - `tick(now:)` must be called periodically (each `metrics_interval`) for reminders,
///   snooze expiry and the rate rules' windows.
/// - Rate rules (`AlertRule.rate`) take counters, not samples: `observe` of a counter they
///   read is its cumulative total, `count` an increment; they are evaluated at every `tick`
///   on the window ending then (not per counter: a numerator and its denominator arrive
///   separately, and a half-updated window must not fire or resolve anything).
public struct AlertManager: Sendable {
    public let configuration: AlertManagerConfiguration
    public private(set) var rules: [AlertRule] = []
    private var active: [String: Alert] = [:]
    private var activeKeyByID: [UInt64: String] = [:]
    private var lastNotified: [String: UInt64] = [:]
    private var historyRing: [Alert] = []
    private var historyHead = 0
    private var nextID: UInt64 = 1
    private var rates = RateWindows()
    /// Notifications withheld by the cooldown.
    public private(set) var suppressedNotifications = 0
    /// Alerts not created because `maximumActiveAlerts` was reached.
    public private(set) var droppedAlerts = 0
    /// Counter series a rate rule could not track because `maximumActiveAlerts` windows exist.
    public var droppedRateSeries: Int { rates.dropped }

    /// - Throws: `AlertError.duplicateRule` or `.invalidParameter` for a bad rule or configuration.
    public init(configuration: AlertManagerConfiguration = AlertManagerConfiguration(),
                rules: [AlertRule] = AlertRule.builtIn()) throws(AlertError) {
        guard configuration.historyCapacity >= 1 else {
            throw .invalidParameter(name: "historyCapacity", value: "\(configuration.historyCapacity)", allowed: ">= 1")
        }
        guard configuration.maximumActiveAlerts >= 1 else {
            throw .invalidParameter(name: "maximumActiveAlerts", value: "\(configuration.maximumActiveAlerts)", allowed: ">= 1")
        }
        self.configuration = configuration
        for rule in rules { try addRule(rule) }
    }

    /// Adds a rule. - Throws: `AlertError.duplicateRule`, `.invalidParameter`.
    public mutating func addRule(_ rule: AlertRule) throws(AlertError) {
        try rule.validate()
        guard !rules.contains(where: { $0.name == rule.name }) else { throw .duplicateRule(name: rule.name) }
        rules.append(rule)
    }

    // MARK: - Queries

    /// Active (not resolved) alerts, most severe first, then oldest first.
    public var activeAlerts: [Alert] {
        active.values.sorted { ($0.severity, $1.id) > ($1.severity, $0.id) }
    }

    /// Resolved alerts, oldest first (at most `historyCapacity`).
    public var history: [Alert] {
        historyRing.count < configuration.historyCapacity
            ? historyRing
            : Array(historyRing[historyHead...] + historyRing[..<historyHead])
    }

    /// The alert with this id, active or in the history.
    public func alert(id: UInt64) -> Alert? {
        if let key = activeKeyByID[id] { return active[key] }
        return historyRing.first { $0.id == id }
    }

    // MARK: - Events

    /// Evaluates every rule watching `metric` (and `series`, when the rule filters on it).
    /// For rate rules that read `metric` as a counter, `value` is its cumulative total.
    /// NaN samples are ignored.
    public mutating func observe(metric: String, value: Double, series: String = "", now: UInt64) -> [AlertEvent] {
        guard !value.isNaN else { return [] }
        var events: [AlertEvent] = []
        for rule in rules where rule.rate == nil && rule.metric == metric && (rule.series == nil || rule.series == series) {
            let key = rule.key(series: series)
            if rule.comparison.holds(value, rule.threshold) {
                events += fire(key: key, rule: rule.name, metric: metric, severity: rule.severity,
                               summary: rule.summary, value: value, threshold: rule.threshold, now: now)
            } else if let event = resolve(key: key, now: now) {
                events.append(event)
            }
        }
        rates.recordTotal(metric: metric, total: value, series: series, rules: rules, now: now,
                          limit: configuration.maximumActiveAlerts)
        return events
    }

    /// Adds `increment` (≥ 0; others are ignored) to counter `metric` for the rate rules that
    /// read it. Call it per event or with the increments of an interval; the rules are
    /// evaluated at the next `tick`.
    public mutating func count(metric: String, by increment: Double = 1, series: String = "", now: UInt64) {
        guard increment.isFinite, increment >= 0 else { return }
        rates.record(metric: metric, increase: increment, series: series, rules: rules, now: now,
                     limit: configuration.maximumActiveAlerts)
    }

    /// The current value of a rate rule's alert key (e.g. `high_error_rate`), or `nil` when
    /// it has no window or too few events.
    public func rateValue(key: String, now: UInt64) -> Double? {
        guard let entry = rates.entries[key], let rate = rules.first(where: { $0.name == entry.rule })?.rate,
              let sums = rates.sums(key: key, now: now) else { return nil }
        return rate.value(numerator: sums.numerator, denominator: sums.denominator)
    }

    /// Raises (or updates) an alert that no rule computes (e.g. a rollback, a channel failure).
    public mutating func raise(key: String, severity: AlertSeverity, summary: String, value: Double = 1,
                               now: UInt64) -> [AlertEvent] {
        fire(key: key, rule: key, metric: "", severity: severity, summary: summary, value: value, threshold: 0, now: now)
    }

    /// Resolves the active alert of `key` by hand; `nil` when none is active.
    public mutating func clear(key: String, now: UInt64) -> AlertEvent? {
        resolve(key: key, now: now)
    }

    /// Acknowledges an active alert; idempotent (returns `nil` when already acknowledged).
    /// - Throws: `AlertError.unknownAlert`, `.alreadyResolved`.
    public mutating func acknowledge(id: UInt64, by operatorName: String, now: UInt64) throws(AlertError) -> AlertEvent? {
        var alert = try activeAlert(id: id)
        guard alert.state != .acknowledged else { return nil }
        alert.state = .acknowledged
        alert.acknowledgedBy = operatorName
        alert.acknowledgedAt = now
        alert.snoozedUntil = nil
        active[alert.key] = alert
        return AlertEvent(kind: .acknowledged, alert: alert, at: now)
    }

    /// Snoozes an active alert for `nanoseconds` (1 s … `maximumSnoozeNanoseconds`).
    /// - Throws: `AlertError.unknownAlert`, `.alreadyResolved`, `.invalidSnoozeDuration`.
    public mutating func snooze(id: UInt64, forNanoseconds duration: UInt64, now: UInt64) throws(AlertError) -> AlertEvent {
        guard duration >= 1_000_000_000, duration <= configuration.maximumSnoozeNanoseconds else {
            throw .invalidSnoozeDuration(nanoseconds: duration, maximumNanoseconds: configuration.maximumSnoozeNanoseconds)
        }
        var alert = try activeAlert(id: id)
        alert.state = .snoozed
        alert.snoozedUntil = now &+ duration
        active[alert.key] = alert
        return AlertEvent(kind: .snoozed, alert: alert, at: now)
    }

    /// Time-driven transitions: the rate rules (fire or resolve on their window ending at
    /// `now`), snooze expiry (→ firing, immediate reminder) and reminders of firing alerts whose
    /// cooldown elapsed. Call once per `metrics_interval`.
    public mutating func tick(now: UInt64) -> [AlertEvent] {
        var events = evaluateRates(keys: rates.entries.keys.sorted(), now: now)
        rates.prune(now: now) { active[$0] != nil }
        for key in active.keys.sorted() {
            guard var alert = active[key] else { continue }
            if alert.state == .snoozed, let until = alert.snoozedUntil, now >= until {
                alert.state = .firing
                alert.snoozedUntil = nil
                events.append(notify(&alert, kind: .reminder, now: now))
                active[key] = alert
            } else if alert.state == .firing, notificationDue(key: key, now: now) {
                events.append(notify(&alert, kind: alert.notifiedAt == nil ? .raised : .reminder, now: now))
                active[key] = alert
            }
        }
        // Forget cooldown marks that can no longer suppress anything (bounded memory).
        lastNotified = lastNotified.filter { active[$0.key] != nil || now &- $0.value < configuration.cooldownNanoseconds }
        return events
    }

    // MARK: - Internals

    /// Fires or resolves the rate rules' alerts of `keys` on their window's value at `now`.
    private mutating func evaluateRates(keys: [String], now: UInt64) -> [AlertEvent] {
        var events: [AlertEvent] = []
        for key in keys {
            guard let entry = rates.entries[key], let rule = rules.first(where: { $0.name == entry.rule }),
                  let value = rateValue(key: key, now: now) else { continue }
            if rule.comparison.holds(value, rule.threshold) {
                events += fire(key: key, rule: rule.name, metric: rule.metric, severity: rule.severity,
                               summary: rule.summary, value: value, threshold: rule.threshold, now: now)
            } else if let event = resolve(key: key, now: now) {
                events.append(event)
            }
        }
        return events
    }

    private func activeAlert(id: UInt64) throws(AlertError) -> Alert {
        if let key = activeKeyByID[id], let alert = active[key] { return alert }
        if historyRing.contains(where: { $0.id == id }) { throw .alreadyResolved(id: id) }
        throw .unknownAlert(id: id)
    }

    private func notificationDue(key: String, now: UInt64) -> Bool {
        guard let last = lastNotified[key] else { return true }
        return now >= last && now - last >= configuration.cooldownNanoseconds
    }

    private mutating func notify(_ alert: inout Alert, kind: AlertEvent.Kind, now: UInt64) -> AlertEvent {
        alert.notifiedAt = now
        alert.notifications += 1
        lastNotified[alert.key] = now
        return AlertEvent(kind: kind, alert: alert, at: now)
    }

    private mutating func fire(key: String, rule: String, metric: String, severity: AlertSeverity, summary: String,
                               value: Double, threshold: Double, now: UInt64) -> [AlertEvent] {
        if var alert = active[key] {
            alert.value = value
            alert.lastSeenAt = now
            alert.occurrences += 1
            var events: [AlertEvent] = []
            if alert.state == .firing && notificationDue(key: key, now: now) {
                events.append(notify(&alert, kind: alert.notifiedAt == nil ? .raised : .reminder, now: now))
            }
            active[key] = alert
            return events
        }
        guard active.count < configuration.maximumActiveAlerts else {
            droppedAlerts += 1
            return []
        }
        var alert = Alert(id: nextID, key: key, rule: rule, metric: metric, severity: severity, summary: summary,
                          state: .firing, value: value, threshold: threshold, firstSeenAt: now, lastSeenAt: now,
                          occurrences: 1, notifiedAt: nil, notifications: 0, acknowledgedBy: nil, acknowledgedAt: nil,
                          snoozedUntil: nil, resolvedAt: nil)
        nextID += 1
        activeKeyByID[alert.id] = key
        var events: [AlertEvent] = []
        if notificationDue(key: key, now: now) {
            events.append(notify(&alert, kind: .raised, now: now))
        } else {
            suppressedNotifications += 1
        }
        active[key] = alert
        return events
    }

    private mutating func resolve(key: String, now: UInt64) -> AlertEvent? {
        guard var alert = active.removeValue(forKey: key) else { return nil }
        activeKeyByID[alert.id] = nil
        alert.state = .resolved
        alert.resolvedAt = now
        alert.snoozedUntil = nil
        appendToHistory(alert)
        // A resolve is announced only for alerts the channels heard about.
        return alert.notifiedAt == nil ? nil : AlertEvent(kind: .resolved, alert: alert, at: now)
    }

    private mutating func appendToHistory(_ alert: Alert) {
        if historyRing.count < configuration.historyCapacity {
            historyRing.append(alert)
        } else {
            historyRing[historyHead] = alert
            historyHead = (historyHead + 1) % configuration.historyCapacity
        }
    }
}
