// Messages, outputs, configuration and errors of the `OnlineLearner` actor.

import Runtime

/// What the `OnlineLearner` receives through its channel.
public enum OnlineLearnerMessage: Sendable {
    /// Features of `symbol` observed at event time `time` (ns): the learner predicts at
    /// once and keeps the features until their label arrives.
    case features(symbol: String, time: UInt64, values: [Double])
    /// The forward return, over the configured horizon, of the features `symbol` had at
    /// `observedAt` (the `time` of a `features` message). Its sign is the label
    /// (> 0: up); an exact 0 teaches nothing.
    case label(symbol: String, observedAt: UInt64, forwardReturn: Double)
    /// The current market regime (e.g. from the regime detector). Features are tagged
    /// with it; the champion is stored per regime when the regime changes, and a stored
    /// model is reinstated when its regime returns and it beats the current one.
    case regime(String)
    /// Restores the previous champion (operator command).
    case rollback
    /// Writes the model state to the configured file now.
    case save
}

/// One prediction: probability that the forward return of `symbol` is positive.
public struct OnlinePrediction: Sendable, Equatable, Codable {
    public var symbol: String
    /// Event time of the features (ns).
    public var time: UInt64
    public var probabilityUp: Double
    /// Id of the champion version that predicted.
    public var modelVersion: Int

    public init(symbol: String, time: UInt64, probabilityUp: Double, modelVersion: Int) {
        self.symbol = symbol
        self.time = time
        self.probabilityUp = probabilityUp
        self.modelVersion = modelVersion
    }
}

/// Where the learner's results go (called on the learner's executor; keep them short:
/// typically a `send` to the next actor's channel).
public struct OnlineLearnerOutputs: Sendable {
    public var prediction: @Sendable (OnlinePrediction) -> Void
    /// Every new champion version (promotion, rollback, regime reinstatement).
    public var version: @Sendable (ModelVersion) -> Void

    public init(prediction: @escaping @Sendable (OnlinePrediction) -> Void,
                version: @escaping @Sendable (ModelVersion) -> Void = { _ in }) {
        self.prediction = prediction
        self.version = version
    }
}

/// Configuration of an `OnlineLearner` (the seed's `online_learning` section).
public struct OnlineLearnerConfiguration: Sendable, Equatable {
    /// Model family: online-gd, incremental-svm, stream-rf, ensemble (`eval learn --model`).
    public var model: String
    /// `NAME=VALUE` model and manager parameters, as `eval learn --param`.
    public var parameters: [String]
    /// Seed of the stochastic models.
    public var seed: Int?
    /// Features per row (every `features` message must have this many).
    public var featureCount: Int
    /// Horizon of the forward return that labels a row (ns). Features whose label has
    /// not come within two horizons of the symbol's latest features are dropped.
    public var horizonNanos: UInt64
    /// File the model state is restored from at start and written to on `save`.
    public var statePath: String?
    /// Also save after every this many learned examples (0: only on `save`).
    public var saveEvery: Int
    /// Features kept per symbol while waiting for their label.
    public var maxPendingPerSymbol: Int
    /// Labelled examples waiting to be learned while messages are queued; beyond it the
    /// oldest are learned even though messages wait.
    public var maxBacklog: Int

    public init(model: String = "online-gd", parameters: [String] = [], seed: Int? = nil, featureCount: Int,
                horizonNanos: UInt64, statePath: String? = nil, saveEvery: Int = 0,
                maxPendingPerSymbol: Int = 4096, maxBacklog: Int = 10_000) {
        self.model = model
        self.parameters = parameters
        self.seed = seed
        self.featureCount = featureCount
        self.horizonNanos = horizonNanos
        self.statePath = statePath
        self.saveEvery = saveEvery
        self.maxPendingPerSymbol = maxPendingPerSymbol
        self.maxBacklog = maxBacklog
    }
}

/// Errors of the online learner: configuration, bad messages, persistence.
public enum OnlineLearnerError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A model or manager parameter is invalid.
    case invalidParameter(ParameterError)
    /// A configuration value is out of range.
    case invalidConfiguration(name: String, value: String, allowed: String)
    /// A `features` message with the wrong number of values.
    case featureCount(symbol: String, time: UInt64, expected: Int, found: Int)
    /// A `features` message with a NaN or infinite value.
    case nonFiniteFeature(symbol: String, time: UInt64, index: Int)
    /// A `label` message with a NaN or infinite forward return.
    case nonFiniteReturn(symbol: String, observedAt: UInt64)
    /// A `label` message for features the learner does not hold (never seen, expired or already labelled).
    case unmatchedLabel(symbol: String, observedAt: UInt64)
    /// The state file could not be read or decoded; the learner started a fresh model.
    case stateUnreadable(path: String, ModelStoreError)
    /// The state file holds a model of another family or feature count; fresh model used.
    case stateIncompatible(path: String, detail: String)
    /// The state could not be written.
    case saveFailed(path: String, detail: String)
    /// `rollback` with no previous champion.
    case rollback(ModelManagerError)
    /// Spawning the actor failed.
    case spawn(RuntimeError)

    public var description: String {
        switch self {
        case let .invalidParameter(e): return "online learner: \(e)"
        case let .invalidConfiguration(name, value, allowed):
            return "online learner: \(name) = \(value) is out of range; allowed: \(allowed)"
        case let .featureCount(symbol, time, expected, found):
            return "online learner: features of \(symbol) at \(time): \(found) values, expected \(expected)"
        case let .nonFiniteFeature(symbol, time, index):
            return "online learner: features of \(symbol) at \(time): value \(index) is NaN or infinite"
        case let .nonFiniteReturn(symbol, observedAt):
            return "online learner: label of \(symbol) at \(observedAt): forward return is NaN or infinite"
        case let .unmatchedLabel(symbol, observedAt):
            return "online learner: label of \(symbol) at \(observedAt) matches no pending features"
        case let .stateUnreadable(path, e):
            return "online learner: state file \(path): \(e); starting a fresh model"
        case let .stateIncompatible(path, detail):
            return "online learner: state file \(path) is incompatible (\(detail)); starting a fresh model"
        case let .saveFailed(path, detail): return "online learner: cannot write state file \(path): \(detail)"
        case let .rollback(e): return "online learner: \(e)"
        case let .spawn(e): return "online learner: cannot spawn: \(e)"
        }
    }
}
