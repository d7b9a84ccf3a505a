// Once per `metrics_interval`: every metric value of the interval, and the rollback decisions.

import Runtime

extension MonitorCore {
    /// Computes every metric at `now` (ns), runs the rollback guards and starts a new interval
    /// (per-interval latency histograms and rate counters are reset).
    public mutating func evaluate(now: UInt64) -> MonitorEvaluationResult {
        var out: [MetricSample] = []
        out.reserveCapacity(64 + 8 * symbolSlots)
        var rollbacks: [RollbackOrder] = []
        let seconds = now > lastEvaluation ? Double(now - lastEvaluation) / 1e9 : 0
        evaluateDataQuality(now: now, into: &out)
        let featureDrift = evaluateFeatureDrift(into: &out)
        for index in models.indices {
            evaluateModel(index, featureScore: featureDrift, now: now, into: &out, rollbacks: &rollbacks)
        }
        evaluateLatency(seconds: seconds, into: &out)
        evaluateRuntime(into: &out)
        evaluateCluster(into: &out)
        lastEvaluation = now
        return MonitorEvaluationResult(samples: out, rollbacks: rollbacks)
    }

    private func symbolName(_ index: Int) -> String {
        index < configuration.symbols.count ? configuration.symbols[index] : "\(index)"
    }

    private func evaluateDataQuality(now: UInt64, into out: inout [MetricSample]) {
        for s in 0..<symbolSlots {
            guard let q = dataQuality.counters(symbol: s), q.ticks > 0 else { continue }
            let label = [symbolName(s)]
            out.append(MetricSample(.dataTicksTotal, label, Double(q.ticks)))
            out.append(MetricSample(.dataMissingFieldsTotal, label, Double(q.missingFields)))
            out.append(MetricSample(.dataNonFiniteValuesTotal, label, Double(q.nonFiniteValues)))
            out.append(MetricSample(.dataOutOfRangeTotal, label, Double(q.outOfRange)))
            out.append(MetricSample(.dataDuplicateTicksTotal, label, Double(q.duplicates)))
            out.append(MetricSample(.dataOutOfOrderTicksTotal, label, Double(q.outOfOrder)))
            out.append(MetricSample(.dataFeedAgeSeconds, label, dataQuality.feedAgeSeconds(symbol: s, now: now) ?? 0))
            out.append(MetricSample(.dataQualityRatio, label, dataQuality.qualityRatio(symbol: s)))
        }
    }

    private static func appendDrift(_ drift: DriftStatistics, series: String, into out: inout [MetricSample]) {
        out.append(MetricSample(.driftPsiRatio, [series], drift.psi))
        out.append(MetricSample(.driftKsStatisticRatio, [series], drift.ksStatistic))
        out.append(MetricSample(.driftWassersteinDistance, [series], drift.wasserstein))
    }

    /// Drift of every feature; returns the largest per-series score (nil: none available yet).
    private mutating func evaluateFeatureDrift(into out: inout [MetricSample]) -> Double? {
        var score: Double?
        for index in features.indices {
            guard let drift = features[index].statistics() else { continue }
            Self.appendDrift(drift, series: configuration.features[index], into: &out)
            score = max(score ?? 0, drift.score)
        }
        return score
    }

    private mutating func evaluateModel(_ index: Int, featureScore: Double?, now: UInt64,
                                        into out: inout [MetricSample], rollbacks: inout [RollbackOrder]) {
        let name = configuration.models[index]
        let model = [name]
        let report = models[index].classification.report()
        if let report {
            out.append(MetricSample(.modelAccuracyRatio, model, report.accuracy))
            out.append(MetricSample(.modelPrecisionRatio, model, report.precision))
            out.append(MetricSample(.modelRecallRatio, model, report.recall))
            out.append(MetricSample(.modelF1Ratio, model, report.f1))
            out.append(MetricSample(.modelLogLossNats, model, report.logLoss))
            out.append(MetricSample(.modelBrierScoreRatio, model, report.brierScore))
            out.append(MetricSample(.modelCalibrationErrorRatio, model, report.calibrationError))
            if let auc = report.rocAUC { out.append(MetricSample(.modelRocAucRatio, model, auc)) }
        }
        // Drift: predictions, labels, detectors, combined score.
        var score = featureScore
        if let drift = models[index].predictionDrift.statistics() {
            Self.appendDrift(drift, series: models.count == 1 ? "prediction" : "prediction_\(name)", into: &out)
            score = max(score ?? 0, drift.score)
        }
        if let shift = models[index].labels.shift {
            out.append(MetricSample(.driftLabelShiftRatio, model, shift))
            score = max(score ?? 0, shift)
        }
        for (detector, state) in models[index].detectors.sorted(by: { $0.key < $1.key }) {
            out.append(MetricSample(.driftDetectorState, [name, detector], Double(state)))
        }
        if let score { out.append(MetricSample(.driftScoreRatio, model, min(max(score, 0), 1))) }
        // Degradation against the version's baseline, and the rollback guard.
        if let report, models[index].rollbackGuard.version != nil,
           report.count >= configuration.rollbackMinimumSamples {
            out.append(MetricSample(.modelDegradationRatio, model,
                                    models[index].rollbackGuard.degradation(of: report.accuracy)))
            let decision = models[index].rollbackGuard.observe(performance: report.accuracy, samples: report.count, now: now)
            if case let .rollback(version, degradation) = decision {
                models[index].rollbacks += 1
                rollbacks.append(RollbackOrder(model: name, modelIndex: index, version: version,
                                               degradation: degradation, at: now))
            }
        }
        out.append(MetricSample(.modelRollbacksTotal, model, Double(models[index].rollbacks)))
        // Decisions per symbol.
        for key in pnl.keys.sorted() where key / symbolSlots == index {
            guard let pnlReport = pnl[key]?.report() else { continue }
            let labels = [name, symbolName(key % symbolSlots)]
            if let hit = pnlReport.hitRate { out.append(MetricSample(.modelHitRateRatio, labels, hit)) }
            out.append(MetricSample(.decisionPnlQuote, labels, pnlReport.rollingPnL))
            if let sharpe = pnlReport.sharpe { out.append(MetricSample(.decisionSharpeRatio, labels, sharpe)) }
            out.append(MetricSample(.decisionMaxDrawdownQuote, labels, pnlReport.maxDrawdown))
        }
    }

    private mutating func evaluateLatency(seconds: Double, into out: inout [MetricSample]) {
        for stage in PipelineStage.allCases where latency[stage.rawValue].totalCount > 0 {
            let summary = LatencySummary(latency[stage.rawValue])
            out.append(MetricSample(.stageLatencySeconds, [stage.label, "0.5"], Double(summary.p50) / 1e9))
            out.append(MetricSample(.stageLatencySeconds, [stage.label, "0.99"], Double(summary.p99) / 1e9))
            out.append(MetricSample(.stageLatencySeconds, [stage.label, "0.999"], Double(summary.p999) / 1e9))
            latency[stage.rawValue].reset()
        }
        out.append(MetricSample(.deadlineMissesTotal, [PipelineStage.endToEnd.label], Double(deadlineMisses)))
        let ticks = runtimeRate(\.ticksProcessed) ?? (seconds > 0 ? Double(ticksInInterval) / seconds : 0)
        let orders = runtimeRate(\.ordersSent) ?? (seconds > 0 ? Double(ordersInInterval) / seconds : 0)
        out.append(MetricSample(.ticksPerSecond, [], ticks))
        out.append(MetricSample(.ordersPerSecond, [], orders))
        ticksInInterval = 0
        ordersInInterval = 0
    }

    /// Rate of a pipeline total between the last two runtime samples.
    private func runtimeRate(_ total: KeyPath<RuntimeSample, UInt64?>) -> Double? {
        guard let current = runtime, let previous = previousRuntime, current.at > previous.at,
              let now = current.sample[keyPath: total], let before = previous.sample[keyPath: total], now >= before
        else { return nil }
        return Double(now - before) / (Double(current.at - previous.at) / 1e9)
    }

    private mutating func evaluateRuntime(into out: inout [MetricSample]) {
        guard let (sample, at) = runtime else { return }
        var errors: UInt64 = 0, handled: UInt64 = 0
        for actor in sample.actors {
            let label = [actor.name]
            out.append(MetricSample(.queueDepthMessages, label, Double(actor.mailbox.depth)))
            out.append(MetricSample(.queueHighWaterMarkMessages, label, Double(actor.mailbox.highWater)))
            out.append(MetricSample(.queueDroppedMessagesTotal, label, Double(actor.mailbox.dropped)))
            out.append(MetricSample(.actorRestartsTotal, label, Double(actor.restarts)))
            errors &+= UInt64(max(0, actor.restarts))
            handled &+= actor.processed
        }
        if let previous = previousRuntime, at > previous.at {
            let elapsed = Double(at - previous.at) / 1e9
            for (executor, cpu) in sample.cpuSeconds.sorted(by: { $0.key < $1.key }) {
                guard let before = previous.sample.cpuSeconds[executor] else { continue }
                out.append(MetricSample(.executorCpuUsageRatio, [executor], max(0, cpu - before) / elapsed))
            }
        }
        out.append(MetricSample(.residentMemoryBytes, [], Double(sample.residentBytes)))
        if sample.memoryLimitBytes > 0 {
            out.append(MetricSample(.memoryUsageRatio, [], Double(sample.residentBytes) / Double(sample.memoryLimitBytes)))
        }
        // Error ratio over the sliding window: one (errors, handled) total per runtime sample.
        if errorHistory.last?.at != at { errorHistory.append((errors, handled, at)) }
        let window = UInt64(configuration.errorWindowSeconds) * 1_000_000_000
        // Keep as baseline the newest total at least `window` old (bounded: samples per window).
        while errorHistory.count >= 2, at &- errorHistory[1].at >= window { errorHistory.removeFirst() }
        if let first = errorHistory.first {
            let newErrors = errors >= first.errors ? errors - first.errors : 0
            let newHandled = handled >= first.handled ? handled - first.handled : 0
            let ratio = errorHistory.count == 1
                ? (handled > 0 ? Double(errors) / Double(handled) : 0)
                : (newHandled > 0 ? Double(newErrors) / Double(newHandled) : 0)
            out.append(MetricSample(.errorRatio, [], ratio))
        }
    }

    private func evaluateCluster(into out: inout [MetricSample]) {
        guard let c = cluster else { return }
        out.append(MetricSample(.clusterMembersAlive, [], Double(c.membersAlive)))
        let interval = c.heartbeatIntervalSeconds > 0 ? c.heartbeatIntervalSeconds : 1
        for (member, age) in c.heartbeatAgeSeconds.sorted(by: { $0.key < $1.key }) {
            out.append(MetricSample(.clusterHeartbeatAgeSeconds, [member], age))
            out.append(MetricSample(.clusterHeartbeatsMissed, [member], (max(0, age) / interval).rounded(.down)))
        }
        for (id, summary) in [(MetricID.clusterConsensusLatencySeconds, c.consensusLatency),
                              (.clusterRedisRoundTripSeconds, c.redisRoundTrip)] where summary.count > 0 {
            out.append(MetricSample(id, ["0.5"], Double(summary.p50) / 1e9))
            out.append(MetricSample(id, ["0.99"], Double(summary.p99) / 1e9))
            out.append(MetricSample(id, ["0.999"], Double(summary.p999) / 1e9))
        }
        out.append(MetricSample(.clusterHalted, [], c.halted ? 1 : 0))
    }
}
