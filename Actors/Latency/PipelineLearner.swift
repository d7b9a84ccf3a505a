import Learning
import Logging
import Runtime

/// The learning side of the pipeline: trains a `ModelManager` (ONLINE_GD, SVM,
/// ARF or the ensemble, with drift detection and champion/challenger) on the
/// labelled samples the engine emits, and publishes a copy of the model to the
/// engine every `publishEvery` samples and after every version change. The engine
/// predicts with its copy inline, so learning never delays a prediction.
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
    private let publish: @Sendable (ModelManager) -> Void
    private let publishEvery: Int
    private var sincePublish = 0
    private var buffer = [Double](repeating: 0, count: FeatureVector.count)
    public private(set) var counters = Counters()
    let logger: Logger

    public init(executor: any ActorExecutor, manager: ModelManager, publishEvery: Int = 256,
                logger: Logger = Logger(label: "quantum-agent.learning"), publish: @escaping @Sendable (ModelManager) -> Void) {
        self.executor = executor
        self.manager = manager
        self.publishEvery = max(1, publishEvery)
        self.publish = publish
        self.logger = logger
    }

    public func receive(_ message: Message) {
        switch message {
        case .sample(let sample):
            sample.features.write(into: &buffer)
            let events = manager.learn(buffer, label: sample.label, time: Double(sample.timeNanos) / 1e9)
            counters.learned += 1
            sincePublish += 1
            if events.drift { counters.drifts += 1 }
            if events.newVersion != nil {
                counters.versions += 1
                logger.info("model version changed", metadata: ["versions": "\(counters.versions)"])
            }
            if sincePublish >= publishEvery || events.newVersion != nil { publishNow() }
        case .rollback:
            do {
                _ = try manager.rollback(time: 0)
                publishNow()
            } catch {
                logger.warning("rollback refused", metadata: ["error": "\(error)"])
            }
        }
    }

    private func publishNow() {
        sincePublish = 0
        counters.published += 1
        publish(manager)
    }

    public func snapshot() -> ModelManager { manager }
    public func restore(from snapshot: ModelManager) { manager = snapshot }
    /// The current model (control plane).
    public func model() -> ModelManager { manager }
}
