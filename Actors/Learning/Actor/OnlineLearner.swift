// The online-learning actor: a thin shell over `ModelManager` on its own executor.
//
// - `features` → predict with the champion and emit (probability of up, version) at
//   once; the features wait for their label.
// - `label` (forward return over the configured horizon, when known) → the matching
//   features become a labelled example in a backlog.
// - Learning never delays a prediction: the backlog is learned only when the mailbox
//   is empty (between bursts of messages), after the message's own prediction has been
//   emitted; only a backlog over `maxBacklog` is learned while messages wait (counted
//   as `forcedLearns`).
// - Model state is restored at start from `statePath` (a corrupt or incompatible file
//   logs a typed error and the learner starts a fresh model) and written there on
//   `save` (and every `saveEvery` learned examples).
// Bad messages are counted and logged, never thrown: a throw would restart the actor.

import Foundation
import Logging
import Runtime

/// Online learner for one feature schema, shared by all symbols.
public actor OnlineLearner: SupervisedActor {
    public typealias Message = OnlineLearnerMessage
    public typealias Snapshot = OnlineLearnerState

    public nonisolated let executor: any ActorExecutor
    public nonisolated var unownedExecutor: UnownedSerialExecutor { executor.asUnownedSerialExecutor() }

    /// A validated configuration with its fresh model.
    public struct Setup: Sendable {
        public let configuration: OnlineLearnerConfiguration
        let fresh: ModelManager

        /// - Throws: `OnlineLearnerError.invalidConfiguration` / `.invalidParameter` naming the value.
        public init(_ c: OnlineLearnerConfiguration) throws(OnlineLearnerError) {
            guard (1...100_000).contains(c.featureCount) else {
                throw .invalidConfiguration(name: "feature_count", value: "\(c.featureCount)", allowed: "1...100000")
            }
            guard c.horizonNanos > 0 && c.horizonNanos <= UInt64.max / 4 else {
                throw .invalidConfiguration(name: "horizon", value: "\(c.horizonNanos) ns", allowed: "> 0")
            }
            guard c.maxPendingPerSymbol >= 1 else {
                throw .invalidConfiguration(name: "max_pending_per_symbol", value: "\(c.maxPendingPerSymbol)", allowed: ">= 1")
            }
            guard c.maxBacklog >= 0 else {
                throw .invalidConfiguration(name: "max_backlog", value: "\(c.maxBacklog)", allowed: ">= 0")
            }
            guard c.saveEvery >= 0 else {
                throw .invalidConfiguration(name: "save_every", value: "\(c.saveEvery)", allowed: ">= 0 (0: on command only)")
            }
            do {
                let evaluation = try LearnEvaluation(model: c.model, parameters: c.parameters, seed: c.seed)
                fresh = try evaluation.makeManager(dimension: c.featureCount)
            } catch {
                throw .invalidParameter(error)
            }
            configuration = c
        }
    }

    public let configuration: OnlineLearnerConfiguration
    private let outputs: OnlineLearnerOutputs
    private let logger: Logger
    private var state: OnlineLearnerState
    private var mailboxDepth: (@Sendable () -> Int)?
    private var lastError: OnlineLearnerError?
    /// Why the state file was not used at start (nil when it was, or when there was none).
    public let loadError: OnlineLearnerError?

    /// A learner on `executor`, restored from `statePath` when that file holds a usable model.
    public init(executor: any ActorExecutor, setup: Setup, outputs: OnlineLearnerOutputs,
                logger: Logger = Logger(label: "quantum-agent.learning")) {
        self.executor = executor
        configuration = setup.configuration
        self.outputs = outputs
        self.logger = logger
        var manager = setup.fresh
        var loadError: OnlineLearnerError?
        if let path = setup.configuration.statePath {
            switch Self.load(path: path, setup: setup) {
            case .none: break
            case let .loaded(m):
                manager = m
                logger.info("model state restored", metadata: ["path": "\(path)", "version": "\(m.currentVersion)"])
            case let .failed(error):
                loadError = error
                logger.error("\(error)", metadata: ["path": "\(path)"])
            }
        }
        self.loadError = loadError
        state = OnlineLearnerState(manager: manager)
    }

    /// Validates, spawns the learner in `system` and lets it see its mailbox depth
    /// (so that it learns between messages).
    /// - Throws: `OnlineLearnerError` for an invalid configuration or a failed spawn.
    public static func spawn(
        in system: ActorSystem, name: String = "learning", configuration: OnlineLearnerConfiguration,
        outputs: OnlineLearnerOutputs, mailbox: ChannelConfiguration? = nil,
        supervision: SupervisionPolicy = SupervisionPolicy(),
        logger: Logger = Logger(label: "quantum-agent.learning")
    ) async throws(OnlineLearnerError) -> ActorRef<OnlineLearner> {
        let setup = try Setup(configuration)
        let ref: ActorRef<OnlineLearner>
        do {
            ref = try await system.spawn(name, mailbox: mailbox, supervision: supervision) { executor in
                OnlineLearner(executor: executor, setup: setup, outputs: outputs, logger: logger)
            }
        } catch {
            throw .spawn(error)
        }
        let cell = ref.cell
        await ref.actor.attachMailbox { cell.channel.depth }
        return ref
    }

    /// Gives the learner its mailbox depth (control plane; `spawn` does it).
    public func attachMailbox(_ depth: @escaping @Sendable () -> Int) { mailboxDepth = depth }

    // MARK: Messages

    public func receive(_ message: OnlineLearnerMessage) {
        switch message {
        case let .features(symbol, time, values): onFeatures(symbol: symbol, time: time, values: values)
        case let .label(symbol, observedAt, forwardReturn):
            onLabel(symbol: symbol, observedAt: observedAt, forwardReturn: forwardReturn)
        case let .regime(name): state.regime = name
        case .rollback:
            learnBacklog()
            onRollback()
        case .save:
            learnBacklog()
            save()
        }
        learnBetweenMessages()
    }

    private func onFeatures(symbol: String, time: UInt64, values: [Double]) {
        guard values.count == configuration.featureCount else {
            return reject(.featureCount(symbol: symbol, time: time, expected: configuration.featureCount, found: values.count))
        }
        if let bad = values.firstIndex(where: { !$0.isFinite }) {
            return reject(.nonFiniteFeature(symbol: symbol, time: time, index: bad))
        }
        let (probability, version) = state.manager.predict(values)
        state.counters.predictions += 1
        state.lastEventTime = max(state.lastEventTime, time)
        outputs.prediction(OnlinePrediction(symbol: symbol, time: time, probabilityUp: probability, modelVersion: version))

        var queue = state.pending.removeValue(forKey: symbol) ?? PendingQueue()
        let window = 2 * configuration.horizonNanos
        let cutoff = time > window ? time - window : 0
        while let oldest = queue.oldest, oldest.time < cutoff {
            queue.removeOldest()
            state.counters.expired += 1
        }
        if queue.count >= configuration.maxPendingPerSymbol {
            queue.removeOldest()
            state.counters.expired += 1
        }
        queue.append(PendingRow(time: time, features: values, regime: state.regime))
        state.pending[symbol] = queue
    }

    private func onLabel(symbol: String, observedAt: UInt64, forwardReturn: Double) {
        guard forwardReturn.isFinite else { return reject(.nonFiniteReturn(symbol: symbol, observedAt: observedAt)) }
        guard var queue = state.pending.removeValue(forKey: symbol) else {
            return reject(.unmatchedLabel(symbol: symbol, observedAt: observedAt))
        }
        // Labels of a symbol come in event-time order: older rows will never get theirs.
        while let oldest = queue.oldest, oldest.time < observedAt {
            queue.removeOldest()
            state.counters.expired += 1
        }
        let row = queue.oldest?.time == observedAt ? queue.removeOldest() : nil
        if queue.count > 0 { state.pending[symbol] = queue }
        guard let row else { return reject(.unmatchedLabel(symbol: symbol, observedAt: observedAt)) }
        state.counters.labels += 1
        guard forwardReturn != 0 else {
            state.counters.zeroReturns += 1
            return
        }
        state.enqueue(LabelledRow(features: row.features, label: forwardReturn > 0, time: row.time, regime: row.regime))
    }

    private func onRollback() {
        do {
            let version = try state.manager.rollback(time: Double(state.lastEventTime) / 1e9)
            state.counters.rollbacks += 1
            logger.notice("model rolled back", metadata: ["version": "\(version.id)", "parent": "\(version.parent ?? -1)"])
            outputs.version(version)
        } catch {
            reject(.rollback(error))
        }
    }

    // MARK: Learning

    /// Learns the whole backlog when no message waits; otherwise only what exceeds `maxBacklog`.
    private func learnBetweenMessages() {
        if (mailboxDepth?() ?? 0) == 0 {
            learnBacklog()
            return
        }
        while state.backlogCount > configuration.maxBacklog, let row = state.dequeue() {
            learn(row)
            state.counters.forcedLearns += 1
        }
    }

    private func learnBacklog() {
        while let row = state.dequeue() { learn(row) }
    }

    private func learn(_ row: LabelledRow) {
        let events = state.manager.learn(row.features, label: row.label, time: Double(row.time) / 1e9, regime: row.regime)
        state.counters.learned += 1
        if events.drift {
            logger.notice("concept drift on the champion's error stream", metadata: ["samples": "\(state.manager.samples)"])
        }
        if let version = events.newVersion {
            logger.notice("new champion version", metadata: [
                "version": "\(version.id)", "reason": "\(version.reason.rawValue)", "regime": "\(version.regime ?? "-")",
            ])
            outputs.version(version)
        }
        state.sinceSave += 1
        if configuration.saveEvery > 0 && state.sinceSave >= configuration.saveEvery { save() }
    }

    // MARK: Persistence

    private enum Loaded { case none, loaded(ModelManager), failed(OnlineLearnerError) }

    private static func load(path: String, setup: Setup) -> Loaded {
        guard FileManager.default.fileExists(atPath: path) else { return .none }
        let data: Data
        do { data = try Data(contentsOf: URL(fileURLWithPath: path)) } catch {
            return .failed(.stateUnreadable(path: path, .corrupt("cannot read the file: \(error.localizedDescription)")))
        }
        let manager: ModelManager
        do { manager = try ModelStore.decode(data) } catch { return .failed(.stateUnreadable(path: path, error)) }
        let expected = setup.fresh.blueprint.kind
        guard manager.blueprint.kind == expected else {
            return .failed(.stateIncompatible(path: path, detail: "model \(manager.blueprint.kind.rawValue), configured \(expected.rawValue)"))
        }
        guard manager.modelsRead(dimension: setup.configuration.featureCount) else {
            return .failed(.stateIncompatible(
                path: path, detail: "its models do not read \(setup.configuration.featureCount) features"))
        }
        return .loaded(manager)
    }

    private func save() {
        state.sinceSave = 0
        guard let path = configuration.statePath else { return }
        do {
            let data = try ModelStore.encode(state.manager)
            try data.write(to: URL(fileURLWithPath: path), options: .atomic)
            state.counters.saves += 1
        } catch {
            state.counters.saveFailures += 1
            let failure = OnlineLearnerError.saveFailed(path: path, detail: "\(error)")
            lastError = failure
            logger.error("\(failure)")
        }
    }

    private func reject(_ error: OnlineLearnerError) {
        state.counters.rejected += 1
        lastError = error
        logger.warning("\(error)")
    }

    // MARK: Supervision and control plane

    public func snapshot() -> OnlineLearnerState { state }

    public func restore(from snapshot: OnlineLearnerState) { state = snapshot }

    /// Counters, versions and errors (control plane).
    public func status() -> OnlineLearnerStatus {
        OnlineLearnerStatus(
            counters: state.counters, modelVersion: state.manager.currentVersion, versions: state.manager.versions,
            samples: state.manager.samples, pending: state.pendingCount, backlog: state.backlogCount,
            regime: state.regime, storedRegimes: state.manager.storedRegimes, loadError: loadError, lastError: lastError)
    }

    /// The prediction the champion would make now (control plane; no side effect).
    public func predict(_ features: [Double]) -> (probability: Double, version: Int)? {
        features.count == configuration.featureCount ? state.manager.predict(features) : nil
    }
}
