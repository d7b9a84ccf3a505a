// The taps from the latency engine to the modules off its hot path: the regime detector
// (one return per tick), the learner (one labelled sample per tick) and the monitor
// (sampled). They run on the engine's thread, never block and never make it wait: a module
// that falls behind gets a subsample (`ModuleTap` sheds above a mailbox watermark, and
// every shed message is counted in the pipeline metrics).

import Latency
import Market
import Monitoring
import Protocols
import Regime
import Runtime
import Synchronization

/// The engine's taps to the regime detector and the learner (either may be disabled).
struct ModuleTaps: Sendable {
    private let regimeTap: ModuleTap<RegimeDetector.Message>?
    private let learnerTap: ModuleTap<PipelineLearner.Message>?
    private let names: [String]

    init(regime: ActorRef<RegimeDetector>?, learner: ActorRef<PipelineLearner>?, symbols: SymbolTable,
         metrics: PipelineMetrics) {
        regimeTap = regime.map { ModuleTap(channel: $0.cell.channel, tap: .regime, metrics: metrics) }
        learnerTap = learner.map { ModuleTap(channel: $0.cell.channel, tap: .learning, metrics: metrics) }
        names = symbols.names
    }

    /// A tick's log return for the regime detector (engine thread).
    @inline(__always)
    func regime(symbol: Int32, value: Double) {
        guard let regimeTap, Int(symbol) >= 0, Int(symbol) < names.count else { return }
        regimeTap.send(.observation(symbol: names[Int(symbol)], value: value))
    }

    /// A matured label for the learner (engine thread).
    @inline(__always)
    func learn(_ sample: LabelledSample) {
        learnerTap?.send(.sample(sample))
    }
}

/// Sampled taps from the pipeline to the monitor. Each closure runs on one thread (the feed
/// thread for ticks, the engine's for the rest), never blocks (a channel send that drops the
/// oldest tap when the monitor lags) and does not allocate. Taps do not wake the parked
/// monitor one by one (a futex syscall each): every `wakeEvery`-th tap of a thread does, so
/// the monitor drains in batches and the pipeline pays one wake-up per batch at most. With
/// `shedWhenBehind`, the engine's taps go through a `ModuleTap`: above its watermark they are
/// counted as shed instead of evicting older taps on the engine's thread.
struct MonitorTaps: Sendable {
    let monitor: ActorRef<ModelMonitor>
    /// Every `featureEvery`-th labelled sample sends its features (drift windows).
    let featureEvery: UInt64
    let wakeEvery: UInt64
    // One counter per producing thread (feed, engine), each in its own box so copies share it.
    private final class Counter: Sendable { let value = Atomic<UInt64>(0) }
    private let feedTaps = Counter()
    private let engineTaps = Counter()
    private let labelled = Counter()
    /// The engine's gate (nil: taps are sent whatever the monitor's backlog).
    private var engineGate: ModuleTap<MonitorTap>?

    init(monitor: ActorRef<ModelMonitor>, featureEvery: UInt64 = 4, wakeEvery: UInt64 = 256) {
        self.monitor = monitor
        self.featureEvery = max(1, featureEvery)
        self.wakeEvery = max(1, wakeEvery)
    }

    /// Sheds the engine's taps while the monitor's mailbox is above the gate's watermark,
    /// counting them in `metrics` (call before the taps are copied into the pipeline).
    mutating func shedWhenBehind(metrics: PipelineMetrics) {
        engineGate = ModuleTap(channel: monitor.cell.channel, tap: .monitoring, metrics: metrics)
    }

    @inline(__always)
    private func wakes(_ counter: Counter) -> Bool {
        counter.value.wrappingAdd(1, ordering: .relaxed).newValue % wakeEvery == 0
    }

    @inline(__always)
    private func send(_ tap: MonitorTap, counter: Counter) {
        if wakes(counter) {
            monitor.send(tap)
        } else {
            monitor.sendWithoutWaking(tap)
        }
    }

    /// One tap from the engine's thread, through the gate when there is one.
    @inline(__always)
    private func sendFromEngine(_ tap: MonitorTap, admitted: Bool = false) {
        guard let engineGate else { return send(tap, counter: engineTaps) }
        if admitted {
            engineGate.sendAdmitted(tap, wake: wakes(engineTaps))
        } else {
            engineGate.send(tap, wake: wakes(engineTaps))
        }
    }

    /// A validated tick (feed thread).
    func tick(_ tick: Tick) {
        send(.tick(TickSample(symbol: Int(tick.symbol), sequence: tick.sequence,
                              timestampNanoseconds: tick.exchangeTimeNanos, price: tick.price, size: tick.size)),
             counter: feedTaps)
    }

    /// A matured prediction (engine thread).
    func prediction(probability: Double, label: Bool) {
        sendFromEngine(.prediction(PredictionSample(model: 0, probability: probability, label: label)))
    }

    /// A labelled sample's features, every `featureEvery`-th (engine thread): all six or none.
    func features(_ sample: LabelledSample) {
        let n = labelled.value.wrappingAdd(1, ordering: .relaxed).newValue
        guard n % featureEvery == 0 else { return }
        if let engineGate, !engineGate.admit(count: 6) { return }
        let f = sample.features
        // Indices follow `FeatureVector.names`.
        sendFromEngine(.feature(FeatureSample(feature: 0, value: f.logReturn)), admitted: true)
        sendFromEngine(.feature(FeatureSample(feature: 1, value: f.volatility)), admitted: true)
        sendFromEngine(.feature(FeatureSample(feature: 2, value: f.momentum)), admitted: true)
        sendFromEngine(.feature(FeatureSample(feature: 3, value: f.zScore)), admitted: true)
        sendFromEngine(.feature(FeatureSample(feature: 4, value: f.spreadBps)), admitted: true)
        sendFromEngine(.feature(FeatureSample(feature: 5, value: f.imbalance)), admitted: true)
    }

    /// An order sent: its tick-to-order latency (stamps carried by the order, no clock read).
    func order(_ order: OrderRequest) {
        sendFromEngine(.order)
        if order.createdNanos >= order.ingressNanos {
            sendFromEngine(.latency(LatencySample(stage: .endToEnd, nanoseconds: order.createdNanos - order.ingressNanos)))
        }
    }
}

/// Which regime signals reach the engine: the regime detector emits one per observation
/// (per tick of a symbol), but the engine's decision reads only the state and whether the
/// confidence is below `decision.min_regime_confidence`. A signal is forwarded when either
/// changes, or when the confidence moved by `confidenceStep` or more since the last one
/// forwarded (so that the confidence journalled with a decision stays within that step);
/// the others would only cost the engine a control message each.
final class RegimeSignalFilter: @unchecked Sendable {
    // @unchecked: `last*` are touched only by the regime detector's executor thread (its
    // emit callback), one symbol index at a time.
    let minConfidence: Double
    let confidenceStep: Double
    private var lastState: [Int8]
    private var lastConfidence: [Double]
    private var forwarded: [Bool]

    init(symbols: Int, minConfidence: Double, confidenceStep: Double = 0.01) {
        self.minConfidence = minConfidence
        self.confidenceStep = confidenceStep
        lastState = Array(repeating: -1, count: max(1, symbols))
        lastConfidence = Array(repeating: 0, count: max(1, symbols))
        forwarded = Array(repeating: false, count: max(1, symbols))
    }

    /// Whether the engine needs this signal; records it as the last forwarded when it does.
    func shouldForward(symbol: Int, state: Int8, confidence: Double) -> Bool {
        guard symbol >= 0, symbol < lastState.count else { return true }
        let previous = lastConfidence[symbol]
        let needed = !forwarded[symbol] || state != lastState[symbol]
            || (confidence < minConfidence) != (previous < minConfidence)
            || !(abs(confidence - previous) < confidenceStep)
        if needed {
            forwarded[symbol] = true
            lastState[symbol] = state
            lastConfidence[symbol] = confidence
        }
        return needed
    }

    /// Forgets what was forwarded for `symbol`, so its next signal goes through: call it
    /// when the send of a forwarded signal was not accepted (else a regime change refused
    /// by a full engine mailbox would be filtered out until the state changes again).
    func invalidate(symbol: Int) {
        guard symbol >= 0, symbol < forwarded.count else { return }
        forwarded[symbol] = false
    }
}
