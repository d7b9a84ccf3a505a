import Alerts
import Coordination
import Execution
import Foundation
import Hardware
import Journal
import Latency
import Logging
import Market
import Learning
import Monitoring
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
        static let alerts = "alerts"
        static let coordination = "coordination"
    }

    let configuration: AgentConfiguration
    let symbols: SymbolTable
    let plan: CorePlan
    let system: ActorSystem
    let feed: FeedDriver
    /// CPU the feed thread is pinned to (nil: unpinned), never a critical executor's.
    let feedCore: Int?
    /// The feed is polled on the engine's executor thread (`feeds.poll_on_engine`), not run on a thread.
    let pollsFeed: Bool
    let engine: ActorRef<LatencyEngine>
    let journal: Journal?
    let logger: Logger
    let startedAt = Date()
    /// The modules around the engine (nil when disabled in config).
    let modules: Modules

    /// The actors and services around the engine.
    struct Modules: Sendable {
        var regime: ActorRef<RegimeDetector>?
        var learner: ActorRef<PipelineLearner>?
        var monitor: ActorRef<ModelMonitor>?
        var alerts: ActorRef<AlertCenter>
        /// The cluster member (nil in local mode).
        var cluster: ClusterNode?
        /// Sends the monitor its runtime sample and `.evaluate` every `metrics_interval` (nil when deterministic).
        var ticker: MonitorTicker?
        /// The learner's model name (`online-gd`, `ensemble`, …).
        var modelName: String
        var monitorTaps: MonitorTaps?
        /// Rate-rule counters, memory, cluster state and the periodic risk report (nil when deterministic).
        var operations: Task<Void, Never>?
        /// The cluster-wide alert channel (cluster mode).
        var redisAlerts: RedisAlertChannel?
        /// Operator pause / halt, read before every order.
        var operatorGate: OperatorGate
        /// Keeps the other threads off the critical executors' CPUs (`runtime.reserve_critical_cpus`).
        var cpuGuard: CriticalCPUGuard?
        /// The CPU wake-up latency limit held while running (`runtime.cpu_wake_latency_us`).
        var wakeLatency: CPUWakeLatencyHold?
    }

    /// Builds and starts everything except the feed (call `startFeed()`).
    /// - Parameters:
    ///   - source: the market source.
    ///   - deterministic: use deterministic executors (replay and tests).
    ///   - cluster: join this cluster (nil: local mode); orders pass only while its trading gate is open.
    ///   - priorities: nice values of the executor threads by latency class (`perf e2e`);
    ///     nil leaves every thread at the process's own. `run` passes nil: on a shared
    ///     host a niced regime detector or learner starves behind other processes (a loaded
    ///     test run saw the regime stay uncertain and no order for 30 s).
    static func build(configuration: AgentConfiguration, source: any MarketSource, deterministic: Bool = false,
                      clock: any NanoClock = MonotonicClock(), cluster: CoordinationSettings? = nil,
                      priorities: ThreadPriorities? = nil, logger: Logger) async throws -> AgentAssembly {
        let latency = configuration.modules.ultraLatency
        let hardware = latency.enableHardwareOptimization
        let symbolNames = source.symbols.isEmpty ? configuration.feeds.symbols : source.symbols
        let symbols = SymbolTable(symbolNames)

        let explicit = configuration.runtime.placement == .explicit ? configuration.runtime.cores : [:]
        let engineIdle: IdleStrategy = hardware ? .spin : configuration.runtime.idleStrategy
        var requests: [CorePlan.Request] = [
            .init(name: ActorName.engine, latencyClass: .critical, idleStrategy: engineIdle, cores: explicit[ActorName.engine]),
            .init(name: ActorName.regime, latencyClass: .normal, idleStrategy: configuration.runtime.idleStrategy,
                  cores: explicit[ActorName.regime]),
            .init(name: ActorName.learning, latencyClass: .normal, idleStrategy: configuration.runtime.idleStrategy,
                  cores: explicit[ActorName.learning]),
            .init(name: ActorName.monitoring, latencyClass: .background, idleStrategy: .park,
                  cores: explicit[ActorName.monitoring]),
            .init(name: ActorName.alerts, latencyClass: .background, idleStrategy: .park, cores: explicit[ActorName.alerts]),
        ]
        if cluster != nil {
            // Normal, not background: it renews the leader lease and carries halts, so it must
            // not wait behind a busy feed or engine thread at the background nice value.
            requests.append(.init(name: ActorName.coordination, latencyClass: .normal, idleStrategy: .park,
                                  cores: explicit[ActorName.coordination]))
        }
        let topology = Topology.current(logger: logger)
        let plan = try CorePlan.make(requests, topology: topology)
        let system = try ActorSystem(
            plan: plan,
            configuration: .init(pinThreads: hardware, nodeLocalMemory: hardware, deterministic: deterministic),
            clock: clock, logger: logger)
        if !deterministic, let priorities { applyPriorities(priorities, system: system, logger: logger) }
        let wakeLatency = hardware && !deterministic
            ? holdWakeLatency(microseconds: configuration.runtime.cpuWakeLatencyUs, logger: logger) : nil
        var cpuGuard: CriticalCPUGuard?
        if hardware, !deterministic, configuration.runtime.reserveCriticalCPUs {
            cpuGuard = CriticalCPUGuard(plan: plan, system: system, topology: topology)
            await cpuGuard?.start(logger: logger)
        }

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
        // It carries no ticks (they have a conflating `TickMailbox`), so nothing is evicted from it.
        let engineMailbox = try Channel<LatencyEngine.Message>(ChannelConfiguration(
            name: ActorName.engine, capacity: latency.maxQueueSize, overflow: .reject, producers: .multiple))
        var redisAlerts: RedisAlertChannel?
        if let cluster {
            redisAlerts = RedisAlertChannel(configuration: try RedisAlertConfiguration(
                redis: cluster.redis, channel: "\(cluster.namespace):alerts", stream: "\(cluster.namespace):alerts:history",
                agent: cluster.agentID))
        }
        var extraChannels: [any AlertChannel] = []
        if let journal { extraChannels.append(JournalAlertChannel(journal: journal)) }
        if let redisAlerts { extraChannels.append(redisAlerts) }
        let alerts = try await Self.spawnAlerts(configuration: configuration, system: system, extraChannels: extraChannels,
                                                logger: logger)
        var node: ClusterNode?
        if let cluster {
            node = try await ClusterNode.start(cluster, hooks: Self.clusterHooks(alerts: alerts, logger: logger), system: system,
                                               actorName: ActorName.coordination)
        }
        let monitorBox = LateBound<ActorRef<ModelMonitor>>()
        let journalForVersions = journal
        let spawned = try await Self.spawnModules(
            configuration: configuration, system: system, symbols: symbols, engineMailbox: engineMailbox, logger: logger,
            onVersion: { version in
                if let baseline = version.metrics.recentAccuracy, baseline > 0, baseline <= 1 {
                    monitorBox.value?.send(.deployed(ModelVersionSample(model: 0, version: "\(version.id)",
                                                                        baselineAccuracy: baseline)))
                }
                _ = journalForVersions?.append(.modelSwap(
                    id: "v\(version.id)", parent: version.parent.map { "v\($0)" } ?? "", reason: version.reason.rawValue,
                    timeNanos: UInt64(max(0, version.time) * 1e9)))
            })
        let regimeRef = spawned.regime
        let learnerRef = spawned.learner
        let modelName = Self.modelName(configuration.modules.onlineLearning.modelTypes)
        var monitorTaps: MonitorTaps?
        if configuration.modules.modelMonitoring.enabled {
            let monitor = try await Self.spawnMonitor(configuration: configuration, system: system, symbols: symbols,
                                                      alerts: alerts, learner: learnerRef, modelName: modelName)
            monitorTaps = MonitorTaps(monitor: monitor)
            monitorBox.set(monitor)
        }
        let gate = node?.gate
        let operatorGate = OperatorGate()
        let metrics = PipelineMetrics()
        monitorTaps?.shedWhenBehind(metrics: metrics)
        let monitoring = monitorTaps
        let taps = ModuleTaps(regime: regimeRef, learner: learnerRef, symbols: symbols, metrics: metrics)
        let outputs = PipelineOutputs(
            regimeTap: { symbol, value in taps.regime(symbol: symbol, value: value) },
            learnTap: { sample in
                taps.learn(sample)
                monitoring?.features(sample)
            },
            journal: { record in
                _ = journalRef?.append(record)
                if case .order(let order) = record { monitoring?.order(order) }
            },
            journalHealthy: { journalRef?.acceptsOrders ?? true },
            tradingAllowed: { operatorGate.allowsOrders && (gate?.isTradingAllowed ?? true) },
            predictionTap: { _, probability, label in monitoring?.prediction(probability: probability, label: label) })
        let core = try makeCore(configuration: configuration, symbols: symbols, outputs: outputs, metrics: metrics)
        let engineTicks = try TickMailbox(.init(capacity: latency.maxQueueSize, symbols: symbols.count), metrics: core.metrics)
        let engine = try await system.spawn(
            ActorName.engine, channel: engineMailbox,
            supervision: SupervisionPolicy(snapshotInterval: 100_000)) { executor in
                LatencyEngine(executor: executor, core: core, ticks: engineTicks, control: engineMailbox)
            }
        let feed = FeedDriver(source: source, symbols: symbols, logger: logger)
        let pollsFeed = hardware && !deterministic && configuration.feeds.pollOnEngine && source is any PollableMarketSource
        let feedCore = hardware && !deterministic && !pollsFeed ? Self.feedCore(plan: plan, cpus: topology.cpuIDs) : nil
        var ticker: MonitorTicker?
        if let monitorTaps, !deterministic {
            let metrics = engine.actor.metrics
            ticker = MonitorTicker(monitor: monitorTaps.monitor, system: system,
                                   intervalMilliseconds: configuration.modules.modelMonitoring.metricsIntervalMs) {
                let totals = metrics.snapshot()
                return (totals.ticks, totals.orders)
            }
        }
        var operations: Task<Void, Never>?
        if !deterministic {
            let limits = Self.riskLimits(configuration)
            let report = RiskReportConfiguration(confidence: configuration.risk.varConfidence,
                                                 methods: configuration.risk.varMethods.compactMap(VaRMethod.init(rawValue:)))
            let riskMonitor = try RiskMonitor(symbols: symbols, initialEquity: configuration.risk.maxNotional,
                                              configuration: .init(limits: limits, report: report))
            operations = OperationsLoop(
                system: system, engine: engine, alerts: alerts, monitor: monitorTaps?.monitor, cluster: node, feed: feed,
                heartbeatIntervalMs: cluster?.protocolConfiguration.heartbeatIntervalMs ?? 1000,
                metricsIntervalMs: configuration.modules.modelMonitoring.metricsIntervalMs,
                riskIntervalMs: configuration.risk.varIntervalMs, riskLimits: limits, cpuGuard: cpuGuard, logger: logger
            ).start(risk: riskMonitor)
        }
        let modules = Modules(regime: regimeRef, learner: learnerRef, monitor: monitorTaps?.monitor, alerts: alerts,
                              cluster: node, ticker: ticker, modelName: modelName, monitorTaps: monitorTaps,
                              operations: operations, redisAlerts: redisAlerts, operatorGate: operatorGate,
                              cpuGuard: cpuGuard, wakeLatency: wakeLatency)
        return AgentAssembly(configuration: configuration, symbols: symbols, plan: plan, system: system, feed: feed,
                             feedCore: feedCore, pollsFeed: pollsFeed, engine: engine, journal: journal, modules: modules, logger: logger)
    }

    /// The hot path's state: risk limits, paper venue, decision rule from config.
    static func makeCore(configuration: AgentConfiguration, symbols: SymbolTable, outputs: PipelineOutputs,
                         metrics: PipelineMetrics = PipelineMetrics()) throws -> PipelineCore {
        let latency = configuration.modules.ultraLatency
        let riskConfig = configuration.risk
        let risk = try PreTradeRisk(limits: riskLimits(configuration))
        let venue = try PaperVenue(configuration: .init(seed: UInt64(max(0, configuration.feeds.seed)), symbols: symbols.count))
        let decision = configuration.decision
        let rule = DecisionRule(buyThreshold: decision.buyThreshold, sellThreshold: decision.sellThreshold,
                                minRegimeConfidence: decision.minRegimeConfidence, baseSize: decision.orderQuantity,
                                minTradeSize: min(1, decision.orderQuantity))
        return PipelineCore(
            configuration: .init(symbols: symbols, targetLatencyNanos: UInt64(latency.targetLatencyMs * 1_000_000), rule: rule,
                                 cooldownTicks: decision.cooldownTicks,
                                 retryAfterRejectionNanos: UInt64((decision.retryAfterRejectionMs * 1_000_000).rounded())),
            risk: risk, venue: venue, initialEquity: riskConfig.maxNotional, outputs: outputs, metrics: metrics)
    }

    /// The pre-trade limits of `risk:`.
    static func riskLimits(_ configuration: AgentConfiguration) -> RiskLimits {
        let risk = configuration.risk
        return RiskLimits(maxPosition: risk.maxPosition, maxOrderSize: risk.maxOrderSize, maxNotional: risk.maxNotional,
                          priceCollarBps: risk.priceCollarBps, orderRateLimit: Double(risk.orderRateLimit),
                          maxDrawdown: risk.maxDrawdown)
    }

    /// The regime detector and the learner, both feeding the engine's mailbox.
    static func spawnModules(configuration: AgentConfiguration, system: ActorSystem, symbols: SymbolTable,
                             engineMailbox: Channel<LatencyEngine.Message>, logger: Logger,
                             onVersion: @escaping @Sendable (ModelVersion) -> Void = { _ in }) async throws
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
            let filter = RegimeSignalFilter(symbols: symbols.count,
                                            minConfidence: configuration.decision.minRegimeConfidence)
            regime = try await system.spawn(
                ActorName.regime,
                mailbox: ChannelConfiguration(name: ActorName.regime, capacity: queue, overflow: .dropOldest)) { executor in
                    RegimeDetector(executor: executor, configuration: validated) { update in
                        guard let index = symbols.index(of: update.symbol) else { return }
                        let signal = update.signal
                        let state: Int8 = signal.uncertain ? -1 : Int8(clamping: signal.state)
                        guard filter.shouldForward(symbol: Int(index), state: state, confidence: signal.confidence) else {
                            return
                        }
                        // Refused (engine mailbox full): the next signal must go through again.
                        if !engineMailbox.send(.regime(symbol: index, state: state, confidence: signal.confidence)).isAccepted {
                            filter.invalidate(symbol: Int(index))
                        }
                    }
                }
        }
        var learner: ActorRef<PipelineLearner>?
        let learning = configuration.modules.onlineLearning
        if learning.enabled {
            let model = Self.modelName(learning.modelTypes)
            let manager = try LearnEvaluation(model: model, parameters: [], seed: max(0, configuration.feeds.seed))
                .makeManager(dimension: FeatureVector.count)
            engineMailbox.send(.model(InferenceModel(manager)))
            learner = try await system.spawn(
                ActorName.learning,
                mailbox: ChannelConfiguration(name: ActorName.learning, capacity: queue, overflow: .dropOldest)) { executor in
                    PipelineLearner(executor: executor, manager: manager, logger: logger, onVersion: onVersion) { model in
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
                 feed: FeedDriver, feedCore: Int?, pollsFeed: Bool, engine: ActorRef<LatencyEngine>, journal: Journal?, modules: Modules,
                 logger: Logger) {
        self.configuration = configuration
        self.symbols = symbols
        self.plan = plan
        self.system = system
        self.feed = feed
        self.feedCore = feedCore
        self.pollsFeed = pollsFeed
        self.engine = engine
        self.journal = journal
        self.modules = modules
        self.logger = logger
    }

    /// The CPU for the feed thread: off every critical executor's CPU (a feed that spins
    /// to keep its pace would otherwise take turns with a spinning engine), the least
    /// loaded of the others, the highest id on a tie (CPU 0 takes interrupts). Nil when
    /// every CPU runs a critical executor.
    static func feedCore(plan: CorePlan, cpus: [Int]) -> Int? {
        let critical = Set(plan.executors.filter { $0.latencyClass == .critical }.map(\.core))
        let load = { (cpu: Int) in plan.executors.filter { $0.core == cpu }.count }
        return cpus.filter { !critical.contains($0) }.min { (load($0), -$0) < (load($1), -$1) }
    }

    /// Starts the feed: polled on the engine's executor, each tick straight into the pipeline
    /// (`pollsFeed`), or on its thread (pinned to `feedCore`), ticks going to the engine's mailbox.
    func startFeed() {
        let engine = self.engine
        if pollsFeed, let source = feed.source as? any PollableMarketSource {
            let process = engine.actor.inlineTickHandler()
            let taps = modules.monitorTaps
            feed.startPolled(source, on: engine.actor.executor) { tick in
                process(tick)
                taps?.tick(tick)  // after the pipeline: not on this tick's latency path
                return true
            }
            return
        }
        if let taps = modules.monitorTaps {
            feed.start(core: feedCore) { tick in
                let accepted = engine.actor.submit(tick).isAccepted
                taps.tick(tick)  // after the engine has the tick: the tap is not on its latency path
                return accepted
            }
        } else {
            feed.start(core: feedCore) { tick in engine.actor.submit(tick).isAccepted }
        }
    }

    /// Starts the feed for the floor of `perf e2e`: polled on the engine's executor thread
    /// exactly as `startFeed` polls it, but each tick is only timed into `floor`
    /// (`PipelineMetrics.recordFloor`), never processed — what the machine costs a pipeline
    /// that does no work. The engine and the modules stay up and idle.
    /// - Returns: false, starting nothing, when the source cannot be polled.
    func startFloorFeed(into floor: PipelineMetrics) -> Bool {
        guard let source = feed.source as? any PollableMarketSource else { return false }
        let clock = MonotonicClock()
        feed.startPolled(source, on: engine.actor.executor) { tick in
            floor.recordFloor(ingressNanos: tick.ingressNanos, now: clock.now())
            return true
        }
        return true
    }

    /// Stops the feed, drains the mailboxes and flushes the journal; the actors keep
    /// running (so their state can still be read) until `stop()`.
    /// - Returns: problems met on the way (empty when clean).
    /// The whole sequence stays within `timeoutSeconds` plus the Redis steps (each bounded), so
    /// `run` exits within the 5 s a SIGTERM allows.
    func quiesce(timeoutSeconds: Double = 3) async -> [String] {
        var problems: [String] = []
        if !feed.stop(timeoutSeconds: 0.5) { problems.append("feed thread did not stop within 0.5 s") }
        modules.ticker?.stop()
        if let operations = modules.operations {
            operations.cancel()
            await operations.value  // it may be awaiting an actor: let it finish before the actors stop
        }
        let ticksDrained = engine.actor.ticks?.waitUntilEmpty(timeoutNanos: UInt64(timeoutSeconds * 0.25 * 1e9)) ?? true
        if !system.drain(timeoutNanos: UInt64(timeoutSeconds * 0.5 * 1e9)) || !ticksDrained {
            problems.append("mailboxes not drained in time")
        }
        // No order may go out once the journal closes (its record would be refused): the engine
        // stops sending orders first. An actor call runs between two of its messages, so when
        // it returns no order is half sent.
        await engine.actor.stopOrders()
        engine.send(.control(.publish))
        _ = system.drain(timeoutNanos: 300_000_000)
        if let journal {
            do { try journal.close() } catch { problems.append("journal: \(error)") }
        }
        modules.redisAlerts?.close(drainSeconds: 0.5)
        // Leaving needs Redis; a self-halted agent cannot reach it (its key expires by itself).
        if let cluster = modules.cluster { await cluster.stop(leave: !cluster.gate.isSelfHalted) }
        return problems
    }

    /// Stops every actor and executor thread. Awaiting an actor afterwards never returns.
    func stop() {
        system.stop()
        modules.wakeLatency?.release()
    }
}
