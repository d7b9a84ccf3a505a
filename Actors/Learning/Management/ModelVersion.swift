// Version records of the champion model: every promotion, rollback or reinstatement
// creates one. Times are supplied by the caller (no clock inside the algorithms).

/// Why a model version was created.
public enum VersionReason: String, Sendable, Codable, Equatable {
    /// The first model.
    case initial
    /// A challenger started on warning beat the champion on the recent window at a drift.
    case challengerPromoted = "challenger-promoted"
    /// The operator restored the previous champion.
    case rollback
    /// The model stored for a returning regime beat the current champion.
    case regimeReinstated = "regime-reinstated"
}

/// Metrics recorded with a version, measured when it was created.
public struct VersionMetrics: Sendable, Codable, Equatable {
    /// Accuracy of this model on the recent comparison window (fraction; nil if none).
    public var recentAccuracy: Double?
    /// Accuracy of the model it replaced on the same window (fraction; nil if none).
    public var replacedAccuracy: Double?
    /// Examples learned by the manager when the version was created.
    public var samples: Int
}

/// One champion version.
public struct ModelVersion: Sendable, Codable, Equatable {
    public var id: Int
    /// The version this one replaced (nil for the first).
    public var parent: Int?
    public var reason: VersionReason
    /// Caller-supplied time (the CLI uses the 0-based row index; the actor, Unix seconds).
    public var time: Double
    /// Regime label at creation, if the caller tracks regimes.
    public var regime: String?
    public var metrics: VersionMetrics
}
