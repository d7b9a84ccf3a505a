import Execution
import Foundation
import Hardware
import Journal
import Latency
import Logging
import Market
import Learning
import Protocols
import Regime
import Risk
import Runtime

/// The running agent: the actor system on its core plan, the feed thread, the
/// latency engine and the modules around it, and the journal. Built from an
/// `AgentConfiguration`; `shutdown()` stops the feed, drains, flushes and stops.
final class AgentAssembly: @unchecked Sendable {
    // @unchecked: all stored properties are immutable references to thread-safe objects.

    /// Actor names of the core plan.
    enum ActorName {
        static let engine = "latency-engine"
        static let regime = "regime"
        static let learning = "learning"
        static let monitoring = "monitoring"
    }

    let configuration: AgentConfiguration
    let symbols: SymbolTable
    let plan: CorePlan
    let system: ActorSystem
    let feed: FeedDriver
    let engine: ActorRef<LatencyEngine>
    let journal: Journal?
    let logger: Logger
    let startedAt = Date()

    /// Builds and starts everything except the feed (call `startFeed()`).
    /// - Parameters:
    ///   - source: the market source.
    ///   - deterministic: use deterministic executors (replay and tests).
    static func build(configuration: AgentConfiguration, source: any MarketSource, deterministic: Bool = false,
                      clock: any NanoClock = MonotonicClock(), logger: Logger) async throws -> AgentAssembly {
        let latency = configuration.modules.ultraLatency
        let hardware = latency.enableHardwareOptimization
        let symbolNames = source.symbols.isEmpty ? configuration.feeds.symbols : source.symbols
        let symbols = SymbolTable(symbolNames)

        let explicit = configuration.runtime.placement == .explicit ? configuration.runtime.cores : [:]
        let engineIdle: IdleStrategy = hardware ? .spin : configuration.runtime.idleStrategy
        let requests: [CorePlan.Request] = [
            .init(name: ActorName.engine, latencyClass: .critical, idleStrategy: engineIdle, cores: explicit[ActorName.engine]),
            .init(name: ActorName.regime, latencyClass: .normal, idleStrategy: configuration.runtime.idleStrategy,
                  cores: explicit[ActorName.regime]),
            .init(name: ActorName.learning, latencyClass: .normal, idleStrategy: configuration.runtime.idleStrategy,
                  cores: explicit[ActorName.learning]),
            .init(name: ActorName.monitoring, latencyClass: .background, idleStrategy: .park,
                  cores: explicit[ActorName.monitoring]),
        ]
        let plan = try CorePlan.make(requests, topology: Topology.current(logger: logger))
        let system = try ActorSystem(
            plan: plan,
            configuration: .init(pinThreads: hardware, nodeLocalMemory: hardware, deterministic: deterministic),
            clock: clock, logger: logger)

        var journal: Journal?
        if configuration.journal.enabled {
            journal = try Journal(path: configuration.journal.path, configuration: .init(
                synchronous: Journal.Synchronous(rawValue: configuration.journal.synchronous.rawValue) ?? .normal,
                batchSize: configuration.journal.batchSize, flushIntervalMs: configuration.journal.flushIntervalMs,
                symbols: symbols), onFailure: { error in
                    logger.critical("journal write failed: new orders are halted", metadata: ["error": "\(error)"])
                })
        }

        let journalRef = journal
        // The engine's mailbox exists before the modules that feed it back (regime, model copies).
        let engineMailbox = try Channel<LatencyEngine.Message>(ChannelConfiguration(
            name: ActorName.engine, capacity: latency.maxQueueSize, overflow: .dropOldest, producers: .multiple))
        let taps = try await Self.spawnModules(configuration: configuration, system: system, symbols: symbols,
                                               engineMailbox: engineMailbox, logger: logger)
        let regimeRef = taps.regime
        let learnerRef = taps.learner
        let names = symbols.names
        let outputs = PipelineOutputs(
            regimeTap: { symbol, value in
                if let regimeRef, Int(symbol) < names.count {
                    regimeRef.send(.observation(symbol: names[Int(symbol)], value: value))
                }
            },
            learnTap: { sample in learnerRef?.send(.sample(sample)) },
            journal: { record in _ = journalRef?.append(record) },
            journalHealthy: { journalRef?.isHealthy ?? true })
        let core = try makeCore(configuration: configuration, symbols: symbols, outputs: outputs)
        let engine = try await system.spawn(
            ActorName.engine, channel: engineMailbox,
            supervision: SupervisionPolicy(snapshotInterval: 100_000)) { executor in
                LatencyEngine(executor: executor, core: core)
            }
        let feed = FeedDriver(source: source, symbols: symbols, logger: logger)
        return AgentAssembly(configuration: configuration, symbols: symbols, plan: plan, system: system, feed: feed,
                             engine: engine, journal: journal, logger: logger)
    }

    /// The hot path's state: risk limits, paper venue, decision rule from config.
    static func makeCore(configuration: AgentConfiguration, symbols: SymbolTable, outputs: PipelineOutputs) throws -> PipelineCore {
        let latency = configuration.modules.ultraLatency
        let riskConfig = configuration.risk
        let limits = RiskLimits(maxPosition: riskConfig.maxPosition, maxOrderSize: riskConfig.maxOrderSize,
                                maxNotional: riskConfig.maxNotional, priceCollarBps: riskConfig.priceCollarBps,
                                orderRateLimit: Double(riskConfig.orderRateLimit), maxDrawdown: riskConfig.maxDrawdown)
        let risk = try PreTradeRisk(limits: limits)
        let venue = try PaperVenue(configuration: .init(seed: UInt64(max(0, configuration.feeds.seed)), symbols: symbols.count))
        let decision = configuration.decision
        let rule = DecisionRule(buyThreshold: decision.buyThreshold, sellThreshold: decision.sellThreshold,
                                minRegimeConfidence: decision.minRegimeConfidence, baseSize: decision.orderQuantity,
                                minTradeSize: min(1, decision.orderQuantity))
        return PipelineCore(
            configuration: .init(symbols: symbols, targetLatencyNanos: UInt64(latency.targetLatencyMs * 1_000_000), rule: rule),
            risk: risk, venue: venue, initialEquity: riskConfig.maxNotional, outputs: outputs)
    }

    /// The regime detector and the learner, both feeding the engine's mailbox.
    private static func spawnModules(configuration: AgentConfiguration, system: ActorSystem, symbols: SymbolTable,
                                     engineMailbox: Channel<LatencyEngine.Message>, logger: Logger) async throws
        -> (regime: ActorRef<RegimeDetector>?, learner: ActorRef<PipelineLearner>?) {
        let queue = configuration.modules.ultraLatency.maxQueueSize
        var regime: ActorRef<RegimeDetector>?
        let regimeConfig = configuration.modules.regimeDetection
        if regimeConfig.enabled {
            var ensemble = RegimeEnsembleConfiguration()
            ensemble.detectors = try regimeConfig.detectors.map { name throws(RegimeError) in try RegimeDetectorKind.parse(name) }
            ensemble.ensembleSize = regimeConfig.ensembleSize
            ensemble.confidenceThreshold = regimeConfig.confidenceThreshold
            ensemble.votingMethod = try RegimeEnsembleConfiguration.votingMethod(regimeConfig.ensembleVotingMethod)
            ensemble.adaptationEnabled = regimeConfig.regimeAdaptationEnabled
            let validated = try ensemble.validated()
            regime = try await system.spawn(
                ActorName.regime,
                mailbox: ChannelConfiguration(name: ActorName.regime, capacity: queue, overflow: .dropOldest)) { executor in
                    RegimeDetector(executor: executor, configuration: validated) { update in
                        guard let index = symbols.index(of: update.symbol) else { return }
                        let signal = update.signal
                        engineMailbox.send(.regime(symbol: index, state: signal.uncertain ? -1 : Int8(clamping: signal.state),
                                                   confidence: signal.confidence))
                    }
                }
        }
        var learner: ActorRef<PipelineLearner>?
        let learning = configuration.modules.onlineLearning
        if learning.enabled {
            let model = Self.modelName(learning.modelTypes)
            let manager = try LearnEvaluation(model: model, parameters: [], seed: max(0, configuration.feeds.seed))
                .makeManager(dimension: FeatureVector.count)
            engineMailbox.send(.model(manager))
            learner = try await system.spawn(
                ActorName.learning,
                mailbox: ChannelConfiguration(name: ActorName.learning, capacity: queue, overflow: .dropOldest)) { executor in
                    PipelineLearner(executor: executor, manager: manager, logger: logger) { model in
                        engineMailbox.send(.model(model))
                    }
                }
        }
        return (regime, learner)
    }

    /// The seed's model types → the learner's model: one type as itself, several as the ensemble.
    static func modelName(_ types: [String]) -> String {
        let map = ["ONLINE_GD": "online-gd", "INCREMENTAL_SVM": "incremental-svm", "STREAM_RF": "stream-rf"]
        let known = types.compactMap { map[$0.uppercased()] }
        return known.count == 1 ? known[0] : (known.isEmpty ? "online-gd" : "ensemble")
    }

    private init(configuration: AgentConfiguration, symbols: SymbolTable, plan: CorePlan, system: ActorSystem,
                 feed: FeedDriver, engine: ActorRef<LatencyEngine>, journal: Journal?, logger: Logger) {
        self.configuration = configuration
        self.symbols = symbols
        self.plan = plan
        self.system = system
        self.feed = feed
        self.engine = engine
        self.journal = journal
        self.logger = logger
    }

    /// Starts the feed thread; ticks go to the engine's channel.
    func startFeed() {
        let engine = self.engine
        feed.start { tick in engine.send(.tick(tick)).isAccepted }
    }

    /// Stops the feed, drains the mailboxes and flushes the journal; the actors keep
    /// running (so their state can still be read) until `stop()`.
    /// - Returns: problems met on the way (empty when clean).
    func quiesce(timeoutSeconds: Double = 4) async -> [String] {
        var problems: [String] = []
        if !feed.stop(timeoutSeconds: 1) { problems.append("feed thread did not stop within 1 s") }
        if !system.drain(timeoutNanos: UInt64(timeoutSeconds * 0.5 * 1e9)) { problems.append("mailboxes not drained in time") }
        engine.send(.control(.publish))
        _ = system.drain(timeoutNanos: 500_000_000)
        if let journal {
            do { try journal.close() } catch { problems.append("journal: \(error)") }
        }
        return problems
    }

    /// Stops every actor and executor thread. Awaiting an actor afterwards never returns.
    func stop() { system.stop() }
}
