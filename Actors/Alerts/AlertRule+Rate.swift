// Rate-based rules: a value computed from counters over a sliding time window
// (Prometheus-style `increase(errors[60s]) / increase(events[60s])`).

extension AlertRule {
    /// How a rate rule turns counters into its value.
    ///
    /// Counters reach the `AlertManager` in two ways, both feeding the same window:
    /// - `observe(metric:value:series:now:)` with the counter's cumulative total (what the
    ///   monitor exports for `_total` metrics): the increase since the previous total of the
    ///   same series is counted; the first total only sets the baseline; a smaller total is a
    ///   counter reset and counts as the increase (Prometheus `increase` semantics);
    /// - `count(metric:by:series:now:)` with an increment.
    ///
    /// Value: with a `denominator`, Σ numerator increases / Σ denominator increases in the
    /// window (e.g. errors / events); without, Σ numerator increases (a count in the window,
    /// e.g. restarts in 5 min). With a denominator and fewer than `minimumEvents` events in
    /// the window the rule is not evaluated (its alert keeps its state: 1 error in 2 events is
    /// not a 50 % error rate); with no event and no error at all the value is 0 (resolves).
    /// Rate rules are evaluated at every `AlertManager.tick` (each `metrics_interval`), so an
    /// alert also resolves once the errors have left the window when no counter arrives.
    public struct Rate: Sendable, Codable, Equatable {
        /// Counter whose increase is the numerator (e.g. `quantum_agent_handler_errors_total`).
        public var numerator: String
        /// Counter whose increase is the denominator (e.g. `quantum_agent_messages_handled_total`);
        /// `nil`: the value is the numerator's increase in the window.
        public var denominator: String?
        /// Window length, seconds (> 0, at most one day).
        public var windowSeconds: Double
        /// Buckets in the window: its time resolution is windowSeconds / bucketCount (1 ... 3,600).
        public var bucketCount: Int
        /// Events (denominator increase) the window needs before the ratio is evaluated.
        public var minimumEvents: Double

        public init(numerator: String, denominator: String? = nil, windowSeconds: Double, bucketCount: Int = 60,
                    minimumEvents: Double = 0) {
            self.numerator = numerator
            self.denominator = denominator
            self.windowSeconds = windowSeconds
            self.bucketCount = bucketCount
            self.minimumEvents = minimumEvents
        }

        /// Window length, ns.
        public var windowNanoseconds: UInt64 { UInt64(windowSeconds * 1e9) }

        /// Whether `metric` is one of the counters this rate reads.
        public func reads(_ metric: String) -> Bool { metric == numerator || metric == denominator }

        /// The rule's value from the window's sums, or `nil` when there are too few events.
        public func value(numerator n: Double, denominator d: Double) -> Double? {
            guard denominator != nil else { return n }
            if d <= 0 { return n > 0 ? nil : 0 }
            return d < minimumEvents ? nil : n / d
        }

        /// - Throws: `AlertError.invalidParameter` naming the field of rule `rule`.
        func validate(rule: String) throws(AlertError) {
            guard !numerator.isEmpty else {
                throw .invalidParameter(name: "rule.rate.numerator (\(rule))", value: "\"\"", allowed: "a counter name")
            }
            if let denominator, denominator.isEmpty || denominator == numerator {
                throw .invalidParameter(name: "rule.rate.denominator (\(rule))", value: "\"\(denominator)\"",
                                        allowed: "a counter name other than the numerator, or none")
            }
            guard windowSeconds.isFinite, windowSeconds >= 1e-6, windowSeconds <= 86_400 else {
                throw .invalidParameter(name: "rule.rate.windowSeconds (\(rule))", value: "\(windowSeconds)",
                                        allowed: "0.000001 ... 86400 seconds")
            }
            guard (1...3_600).contains(bucketCount) else {
                throw .invalidParameter(name: "rule.rate.bucketCount (\(rule))", value: "\(bucketCount)", allowed: "1 ... 3600")
            }
            guard minimumEvents.isFinite, minimumEvents >= 0 else {
                throw .invalidParameter(name: "rule.rate.minimumEvents (\(rule))", value: "\(minimumEvents)",
                                        allowed: "a finite number >= 0")
            }
        }
    }
}

/// The sliding windows of the rate rules, one per alert key, and the last total of each
/// counter series (for turning totals into increases). Internal to the `AlertManager`;
/// bounded: at most `limit` windows and `limit` remembered totals.
struct RateWindows: Sendable {
    struct Entry: Sendable {
        var rule: String
        var series: String
        var counter: SlidingWindowCounter
    }

    private(set) var entries: [String: Entry] = [:]
    private var lastTotals: [String: Double] = [:]
    /// Windows or totals not kept because `limit` was reached.
    private(set) var dropped = 0

    /// Records an increase of `metric` (series `series`) in the window of every rate rule that
    /// reads it. - Returns: the keys whose window changed.
    @discardableResult
    mutating func record(metric: String, increase: Double, series: String, rules: [AlertRule], now: UInt64,
                         limit: Int) -> [String] {
        var keys: [String] = []
        for rule in rules {
            guard let rate = rule.rate, rate.reads(metric), rule.series == nil || rule.series == series else { continue }
            let key = rule.key(series: series)
            if entries[key] == nil {
                guard entries.count < limit else {
                    dropped += 1
                    continue
                }
                entries[key] = Entry(rule: rule.name, series: series,
                                     counter: SlidingWindowCounter(windowNanoseconds: rate.windowNanoseconds,
                                                                   bucketCount: rate.bucketCount))
            }
            let isNumerator = metric == rate.numerator
            entries[key]?.counter.add(numerator: isNumerator ? increase : 0, denominator: isNumerator ? 0 : increase,
                                      now: now)
            keys.append(key)
        }
        return keys
    }

    /// Turns a cumulative total into an increase (first total: baseline, 0; smaller: reset)
    /// and records it. Totals of counters no rate rule reads are not remembered.
    @discardableResult
    mutating func recordTotal(metric: String, total: Double, series: String, rules: [AlertRule], now: UInt64,
                              limit: Int) -> [String] {
        guard total.isFinite, total >= 0, rules.contains(where: { $0.rate?.reads(metric) == true }) else { return [] }
        let id = metric + "{" + series + "}"
        let increase: Double
        if let last = lastTotals[id] {
            increase = total >= last ? total - last : total
        } else {
            guard lastTotals.count < limit else {
                dropped += 1
                return []
            }
            increase = 0
        }
        lastTotals[id] = total
        return record(metric: metric, increase: increase, series: series, rules: rules, now: now, limit: limit)
    }

    /// The sums of the window of `key` at `now`, or `nil` when it has none.
    func sums(key: String, now: UInt64) -> (numerator: Double, denominator: Double)? {
        entries[key]?.counter.sums(now: now)
    }

    /// Drops windows that are empty at `now` and whose key `keep` does not retain.
    mutating func prune(now: UInt64, keep: (String) -> Bool) {
        entries = entries.filter { key, entry in
            let s = entry.counter.sums(now: now)
            return s.numerator > 0 || s.denominator > 0 || keep(key)
        }
    }
}
