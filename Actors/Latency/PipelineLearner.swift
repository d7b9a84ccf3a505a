import Learning
import Logging
import Runtime

/// The learning side of the pipeline: trains a `ModelManager` (ONLINE_GD, SVM,
/// ARF or the ensemble, with drift detection and champion/challenger) on the
/// labelled samples the engine emits, and publishes the champion to the engine every
/// `publishEvery` samples and after every version change, compiled here (off the hot
/// path) into an immutable `InferenceModel`: the engine predicts with it inline —
/// exactly what the champion predicts, without allocation or reference counting — so
/// learning never delays a prediction, and dropping a replaced model frees a handful
/// of arrays rather than a forest of leaves.
public actor PipelineLearner: SupervisedActor {
    public enum Message: Sendable {
        case sample(LabelledSample)
        case rollback
    }

    /// Counters for status and tests.
    public struct Counters: Sendable, Equatable, Codable {
        public var learned = 0
        public var published = 0
        public var versions = 1
        public var drifts = 0
    }

    nonisolated public let executor: any ActorExecutor
    nonisolated public var unownedExecutor: UnownedSerialExecutor { executor.asUnownedSerialExecutor() }
    private var manager: ModelManager
    private let publish: @Sendable (InferenceModel) -> Void
    private let publishEvery: Int
    private var sincePublish = 0
    private var buffer = [Double](repeating: 0, count: FeatureVector.count)
    public private(set) var counters = Counters()
    let logger: Logger
    private let onVersion: @Sendable (ModelVersion) -> Void
    /// Time of the last labelled sample, s (versions created by a rollback are stamped with it).
    private var lastTime = 0.0

    /// What the control plane shows of the model, without copying it.
    public struct Summary: Sendable, Equatable {
        public var version: Int
        public var previousVersion: Int?
        public var samples: Int
    }

    /// - Parameters:
    ///   - onVersion: called on the learner's executor for every new champion version (a drift
    ///     swap, a regime reinstatement or a rollback); it must not block (monitor, journal).
    public init(executor: any ActorExecutor, manager: ModelManager, publishEvery: Int = 256,
                logger: Logger = Logger(label: "quantum-agent.learning"),
                onVersion: @escaping @Sendable (ModelVersion) -> Void = { _ in },
                publish: @escaping @Sendable (InferenceModel) -> Void) {
        self.executor = executor
        self.manager = manager
        self.publishEvery = max(1, publishEvery)
        self.publish = publish
        self.onVersion = onVersion
        self.logger = logger
    }

    public func receive(_ message: Message) {
        switch message {
        case .sample(let sample):
            sample.features.write(into: &buffer)
            lastTime = Double(sample.timeNanos) / 1e9
            let events = manager.learn(buffer, label: sample.label, time: lastTime)
            counters.learned += 1
            sincePublish += 1
            if events.drift { counters.drifts += 1 }
            if let version = events.newVersion {
                counters.versions += 1
                logger.info("model version changed", metadata: ["version": "\(version.id)", "reason": "\(version.reason.rawValue)"])
                onVersion(version)
            }
            if sincePublish >= publishEvery || events.newVersion != nil { publishNow() }
        case .rollback:
            _ = rollbackNow()
        }
    }

    private func publishNow() {
        sincePublish = 0
        counters.published += 1
        publish(InferenceModel(manager))
    }

    public func snapshot() -> ModelManager { manager }
    public func restore(from snapshot: ModelManager) { manager = snapshot }
    /// The current model (tests; the control plane uses `summary()`, which copies nothing).
    public func model() -> ModelManager { manager }

    /// Version, the version a rollback would restore, samples learned.
    public func summary() -> Summary {
        Summary(version: manager.currentVersion, previousVersion: manager.previous?.1, samples: manager.samples)
    }

    /// Restores the previous champion now, under a new version id, and publishes it to the
    /// engine (control plane, monitor's automatic rollback).
    /// - Returns: the version replaced and the new one, or nil when there is no previous version.
    public func rollbackNow() -> (from: Int, to: ModelVersion)? {
        let from = manager.currentVersion
        let restored = manager.previous?.1
        let version: ModelVersion
        do {
            version = try manager.rollback(time: lastTime)
        } catch {
            logger.warning("rollback refused", metadata: ["error": "\(error)"])
            return nil
        }
        counters.versions += 1
        logger.notice("model rolled back", metadata: ["from": "\(from)", "to": "\(version.id)",
                                                      "restored": "\(restored.map { "\($0)" } ?? "-")"])
        onVersion(version)
        publishNow()
        return (from, version)
    }
}
