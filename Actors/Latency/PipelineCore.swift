import Execution
import Journal
import Learning
import Protocols
import Risk
import Runtime

/// The hot path of the agent as plain state, driven by the `LatencyEngine` actor
/// (or directly by `perf e2e` and replay): Features → regime (latest signal, computed
/// by the regime actor) and learning (the latest model copy predicts; the learner
/// trains elsewhere) → decision → pre-trade risk → execution on the paper venue.
/// Every stage is timed; nothing here allocates per tick.
public struct PipelineCore: Sendable {
    /// Options of the hot path.
    public struct Configuration: Sendable {
        public var symbols: SymbolTable
        /// Per-tick deadline, ns (`target_latency_ms`).
        public var targetLatencyNanos: UInt64
        /// Ticks ahead (per symbol) of the forward return that labels a sample.
        public var labelHorizon: Int
        public var rule: DecisionRule
        public var features: FeatureEngine.Configuration
        /// Ticks of a symbol after one of its orders went out during which no new order is
        /// attempted on it (`decision.cooldown_ticks`; 0: the next tick may trade).
        public var cooldownTicks: Int
        /// After an order attempt on a symbol is refused (risk, halt, pause, an unwritable
        /// journal), how long no new attempt is made on it, ns (`decision.retry_after_rejection_ms`).
        /// Without it a refused target is retried on every tick of the symbol: at 100k ticks/s a
        /// refusal that lasts (the order-rate window, a halt) made ~25k decisions and refusals a
        /// second, each journalled twice, which flooded the journal until it dropped records.
        public var retryAfterRejectionNanos: UInt64

        public init(symbols: SymbolTable, targetLatencyNanos: UInt64 = 50_000_000, labelHorizon: Int = 10,
                    rule: DecisionRule = DecisionRule(), features: FeatureEngine.Configuration = .init(),
                    cooldownTicks: Int = 0, retryAfterRejectionNanos: UInt64 = 10_000_000) {
            self.symbols = symbols
            self.targetLatencyNanos = targetLatencyNanos
            self.labelHorizon = max(1, labelHorizon)
            self.rule = rule
            self.features = features
            // Below Int.max, so that `cooldownTicks + 1` cannot overflow.
            self.cooldownTicks = min(max(0, cooldownTicks), Int.max - 1)
            self.retryAfterRejectionNanos = retryAfterRejectionNanos
        }
    }

    public let configuration: Configuration
    public let metrics: PipelineMetrics
    let outputs: PipelineOutputs
    var featureEngine: FeatureEngine
    /// The learner's latest model, compiled for inference (see `InferenceModel`); owns it.
    var predictor: InferenceModel? {
        didSet {
            predictorRef = predictor.map { Unmanaged.passUnretained($0) }
            compiledVersion = predictor?.version ?? 0
        }
    }
    /// The same model without reference counting per tick (`predictor` keeps it alive).
    private var predictorRef: Unmanaged<InferenceModel>?
    private var compiledVersion = 0
    public private(set) var regimes: [Int8]
    public private(set) var confidences: [Double]
    public private(set) var lastProbability: [Double]
    var risk: PreTradeRisk
    public private(set) var venue: PaperVenue
    public private(set) var book: PositionBook
    var reports: ExecutionReportBuffer
    /// Signed units on the way (sent, not yet filled, cancelled or rejected).
    var openQuantity: [Double]
    var pendingFeatures: [FeatureVector]
    var pendingPrices: [Double]
    var pendingProbability: [Double]
    /// Per symbol: its ticks so far (this one included once `matureLabel` has run).
    var pendingCount: [Int]
    /// Per symbol: the first of its ticks (as `pendingCount` counts them) that may trade
    /// after its last order went out (`cooldownTicks`).
    var nextOrderTick: [Int]
    /// Per symbol: no order attempt before this clock reading (set by a refusal).
    var retryAfter: [UInt64]
    var nextDecisionID: UInt64 = 0
    var nextOrderID: UInt64 = 0
    /// Set by pause/halt control messages.
    public var paused = false
    public var halted = false
    /// Set at shutdown before the journal closes: no new order (refused as `.halted`, not
    /// shown as a halt).
    public var closing = false

    public init(configuration: Configuration, risk: PreTradeRisk, venue: PaperVenue, initialEquity: Double,
                outputs: PipelineOutputs, metrics: PipelineMetrics = PipelineMetrics()) {
        let n = max(configuration.symbols.count, 1)
        self.configuration = configuration
        self.metrics = metrics
        self.outputs = outputs
        featureEngine = FeatureEngine(symbols: n, configuration: configuration.features)
        regimes = Array(repeating: -1, count: n)
        confidences = Array(repeating: 0, count: n)
        lastProbability = Array(repeating: 0.5, count: n)
        self.risk = risk
        self.venue = venue
        book = PositionBook(symbols: n, initialEquity: initialEquity)
        reports = ExecutionReportBuffer(capacity: 1024)
        openQuantity = Array(repeating: 0, count: n)
        let slots = n * configuration.labelHorizon
        pendingFeatures = Array(repeating: FeatureVector(), count: slots)
        pendingPrices = Array(repeating: 0, count: slots)
        pendingProbability = Array(repeating: 0.5, count: slots)
        pendingCount = Array(repeating: 0, count: n)
        nextOrderTick = Array(repeating: 0, count: n)
        retryAfter = Array(repeating: 0, count: n)
    }

    /// Replaces the model that predicts (compiled and published by the learner).
    public mutating func setPredictor(_ model: InferenceModel) { predictor = model }

    /// Compiles the champion of `manager` and predicts with it from now on (tests, replay).
    public mutating func setPredictor(_ manager: ModelManager) { predictor = InferenceModel(manager) }

    /// The version of the model that predicts (−1 without one).
    public var predictorVersion: Int { predictor?.version ?? -1 }

    /// The latest regime signal of a symbol (state −1 = uncertain).
    public mutating func setRegime(symbol: Int32, state: Int8, confidence: Double) {
        guard regimes.indices.contains(Int(symbol)) else { return }
        regimes[Int(symbol)] = state
        confidences[Int(symbol)] = confidence
    }

    /// Re-arms the drawdown kill switch.
    public mutating func resetKillSwitch() { risk.reset() }
    /// Scales risk down (e.g. after a VaR breach), 0...1.
    public mutating func setRiskScale(_ scale: Double) { risk.setRiskScale(scale) }
    public var killSwitchTripped: Bool { risk.isKilled }
    public func riskRejections(_ reason: RejectReason) -> UInt64 { risk.count(reason) }

    /// Runs one tick through every stage, timed by the monotonic clock (the engine's
    /// clock in production: a direct vDSO read per stage, no existential call).
    public mutating func process(_ tick: Tick, clock: MonotonicClock) { run(tick, clock: clock) }

    /// Runs one tick through every stage, timed by `clock` (virtual clocks in tests and replay).
    public mutating func process(_ tick: Tick, clock: any NanoClock) { run(tick, clock: clock) }

    /// The stages. Generic over the clock so that the engine's `MonotonicClock` reads
    /// inline (nine reads per tick); no allocation, no reference counting.
    @inline(__always)
    mutating func run<C: NanoClock>(_ tick: Tick, clock: C) {
        let symbol = Int(tick.symbol)
        guard symbol >= 0, symbol < regimes.count else { return }
        let t0 = clock.now()
        metrics.stage(.queue, t0 &- tick.ingressNanos)

        let features = featureEngine.update(tick)
        let t1 = clock.now()
        metrics.stage(.features, t1 &- t0)

        outputs.regimeTap(tick.symbol, features.logReturn)
        let regime = Int(regimes[symbol])
        let t2 = clock.now()
        metrics.stage(.regime, t2 &- t1)

        var probability = 0.5
        var version = 0
        if let model = predictorRef {
            let p = features.withUnsafeBufferPointer { x in model._withUnsafeGuaranteedRef { $0.predictProbability(x) } }
            probability = p.isFinite ? p : 0.5
            version = compiledVersion
        }
        lastProbability[symbol] = probability
        let t3 = clock.now()
        metrics.stage(.learning, t3 &- t2)

        matureLabel(symbol: symbol, tick: tick, features: features, probability: probability, now: t3)
        let t3b = clock.now()
        metrics.stage(.labels, t3b &- t3)

        let position = book.position(tick.symbol)
        let expected = position + openQuantity[symbol]
        let target = configuration.rule.target(probabilityUp: probability, regime: regime, confidence: confidences[symbol],
                                               current: expected)
        let delta = target - expected
        venue.mark(symbol: tick.symbol, price: tick.price)
        book.mark(symbol: tick.symbol, price: tick.price)
        // No decision while the symbol cools down after an order or a refusal: the same
        // target would be tried again (and refused again) on every tick.
        guard abs(delta) >= configuration.rule.minTradeSize, pendingCount[symbol] >= nextOrderTick[symbol],
              t3b >= retryAfter[symbol] else {
            let t4 = clock.now()
            metrics.stage(.decision, t4 &- t3b)
            finish(tick, now: t4, clock: clock)
            return
        }
        nextDecisionID &+= 1
        let t4 = clock.now()
        let decision = TradeDecision(
            id: nextDecisionID, symbol: tick.symbol, regime: Int8(regime), probabilityUp: probability,
            confidence: confidences[symbol], targetPosition: target, currentPosition: expected,
            modelVersion: UInt32(clamping: version), ingressNanos: tick.ingressNanos, decidedNanos: t4)
        metrics.stage(.decision, t4 &- t3b)
        let t6 = sendOrder(decision: decision, tick: tick, delta: delta, position: position, clock: clock, riskStart: t4)
        finish(tick, now: t6, clock: clock)
    }

    /// Applies the venue reports due at `now` (the last stage's stamp) and records the
    /// tick's total latency.
    @inline(__always)
    private mutating func finish<C: NanoClock>(_ tick: Tick, now: UInt64, clock: C) {
        drainVenue(now: now)
        let done = clock.now()
        let elapsed = done &- tick.ingressNanos
        if elapsed > configuration.targetLatencyNanos { metrics.deadlineMiss() }
        metrics.tickDone(elapsed)
    }

    /// Risk-checks and submits one order; returns the clock reading after the last stage.
    ///
    /// Journalling is write-behind: the decision and the order are appended right after
    /// the order reaches the venue (the journal is an in-memory queue drained by its
    /// writer thread either way, so appending first would add two queue appends to the
    /// end-to-end latency and make nothing more durable). Records keep their order:
    /// decision, order (or rejection), then the venue's reports. A journal that cannot
    /// write still stops the order: `journalHealthy` is checked before risk.
    @inline(__always)
    private mutating func sendOrder<C: NanoClock>(decision: TradeDecision, tick: Tick, delta: Double, position: Double,
                                                  clock: C, riskStart: UInt64) -> UInt64 {
        nextOrderID &+= 1
        let side: Side = delta > 0 ? .buy : .sell
        let limit = side == .buy ? (tick.hasQuote ? tick.ask : tick.price) : (tick.hasQuote ? tick.bid : tick.price)
        let order = OrderRequest(id: nextOrderID, decisionID: decision.id, symbol: tick.symbol, side: side,
                                 quantity: abs(delta), limitPrice: limit, ingressNanos: tick.ingressNanos,
                                 createdNanos: riskStart)
        var reason = RejectReason.none
        if halted || closing || !outputs.tradingAllowed() {
            reason = .halted
        } else if !outputs.journalHealthy() {
            reason = .journalUnavailable
        } else if paused {
            reason = .halted
        } else {
            reason = risk.check(order, position: position + openQuantity[Int(tick.symbol)], lastPrice: tick.price,
                                equity: book.equity, peakEquity: book.peakEquity, now: riskStart,
                                grossNotional: book.grossNotional)
        }
        let t5 = clock.now()
        metrics.stage(.risk, t5 &- riskStart)
        guard reason == .none else {
            metrics.rejected()
            holdAfterRefusal(symbol: Int(tick.symbol), now: t5)
            outputs.journal(.decision(decision))
            outputs.journal(.execution(ExecutionReport(
                orderID: order.id, symbol: order.symbol, side: side, status: .rejected, cumulativeQuantity: 0,
                leavesQuantity: 0, reason: reason, timeNanos: t5)))
            return t5
        }
        let report = venue.submit(order, now: t5)
        let t6 = clock.now()
        metrics.stage(.execution, t6 &- t5)
        metrics.order(endToEnd: t6 &- tick.ingressNanos)
        outputs.journal(.decision(decision))
        outputs.journal(.order(order))
        let (next, overflow) = pendingCount[Int(tick.symbol)].addingReportingOverflow(configuration.cooldownTicks + 1)
        nextOrderTick[Int(tick.symbol)] = overflow ? .max : next
        if report.status != .rejected {
            openQuantity[Int(tick.symbol)] += order.signedQuantity
        } else {
            // Refused by the venue at once (full, invalid): the same wait as a risk refusal.
            holdAfterRefusal(symbol: Int(tick.symbol), now: t6)
        }
        apply(report)
        return t6
    }

    /// No new order attempt on `symbol` before `now + retryAfterRejectionNanos` (saturating).
    private mutating func holdAfterRefusal(symbol: Int, now: UInt64) {
        let (until, overflow) = now.addingReportingOverflow(configuration.retryAfterRejectionNanos)
        retryAfter[symbol] = overflow ? .max : until
    }

    private mutating func drainVenue(now: UInt64) {
        reports.removeAll()
        _ = venue.poll(now: now, into: &reports)
        for index in 0..<reports.count { apply(reports[index]) }
    }

    private mutating func apply(_ report: ExecutionReport) {
        outputs.journal(.execution(report))
        let symbol = Int(report.symbol)
        guard openQuantity.indices.contains(symbol) else { return }
        if report.lastQuantity > 0 {
            metrics.fill()
            _ = book.apply(report)
            openQuantity[symbol] -= report.side.sign * report.lastQuantity
        }
        if report.status == .cancelled || (report.status == .rejected && report.cumulativeQuantity > 0) {
            openQuantity[symbol] -= report.side.sign * report.leavesQuantity
        }
        if abs(openQuantity[symbol]) < 1e-9 { openQuantity[symbol] = 0 }
    }

    /// Stores this tick's features and, once `labelHorizon` ticks of the symbol have
    /// passed, labels the stored sample with the sign of the forward return.
    private mutating func matureLabel(symbol: Int, tick: Tick, features: FeatureVector, probability: Double, now: UInt64) {
        let horizon = configuration.labelHorizon
        let slot = symbol * horizon + pendingCount[symbol] % horizon
        if pendingCount[symbol] >= horizon {
            let label = tick.price > pendingPrices[slot]
            outputs.learnTap(LabelledSample(symbol: tick.symbol, features: pendingFeatures[slot], label: label, timeNanos: now))
            outputs.predictionTap(tick.symbol, pendingProbability[slot], label)
        }
        pendingFeatures[slot] = features
        pendingPrices[slot] = tick.price
        pendingProbability[slot] = probability
        pendingCount[symbol] += 1
    }
}
