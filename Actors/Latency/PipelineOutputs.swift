import Journal
import Protocols

/// A labelled sample for the learner: the features of a tick and whether the
/// price was higher `horizon` ticks later.
public struct LabelledSample: Sendable, Equatable {
    public var symbol: Int32
    public var features: FeatureVector
    public var label: Bool
    /// Monotonic ns of the tick that matured the label.
    public var timeNanos: UInt64
}

/// Where the hot path sends what it produces. Every closure must be non-blocking
/// (a channel send, an atomic): they run on the engine's thread.
public struct PipelineOutputs: Sendable {
    /// A tick's log return for the regime detector (symbol, return).
    public var regimeTap: @Sendable (Int32, Double) -> Void
    /// A matured label for the learner.
    public var learnTap: @Sendable (LabelledSample) -> Void
    /// Durable records (decisions, orders, executions).
    public var journal: @Sendable (JournalRecord) -> Void
    /// Whether the journal can still record (false → new orders are refused).
    public var journalHealthy: @Sendable () -> Bool
    /// Whether the cluster allows trading (halt / self-halt).
    public var tradingAllowed: @Sendable () -> Bool
    /// A prediction with its eventual label, for monitoring (probability, label).
    public var predictionTap: @Sendable (Int32, Double, Bool) -> Void

    public init(regimeTap: @escaping @Sendable (Int32, Double) -> Void = { _, _ in },
                learnTap: @escaping @Sendable (LabelledSample) -> Void = { _ in },
                journal: @escaping @Sendable (JournalRecord) -> Void = { _ in },
                journalHealthy: @escaping @Sendable () -> Bool = { true },
                tradingAllowed: @escaping @Sendable () -> Bool = { true },
                predictionTap: @escaping @Sendable (Int32, Double, Bool) -> Void = { _, _, _ in }) {
        self.regimeTap = regimeTap
        self.learnTap = learnTap
        self.journal = journal
        self.journalHealthy = journalHealthy
        self.tradingAllowed = tradingAllowed
        self.predictionTap = predictionTap
    }
}
