// Automatic-rollback decision for a degrading model version (seed 004:
// `performance_degradation_threshold`, `auto_rollback_enabled`), with a minimum dwell time
// and a confirmation period against flapping. Pure state machine: the shell passes `now`.

/// Options of the rollback guard.
public struct RollbackPolicy: Sendable, Codable, Equatable {
    /// Relative drop below the version's baseline that counts as degradation (seed: 0.1 = 10 %).
    public var degradationThreshold: Double
    /// `auto_rollback_enabled`: when false the guard reports degradation but never orders a rollback.
    public var autoRollbackEnabled: Bool
    /// Minimum time a version must have been live before it may be rolled back, ns (default 300 s).
    public var minimumDwellNanoseconds: UInt64
    /// How long degradation must persist without interruption before acting, ns (default 30 s).
    public var confirmationNanoseconds: UInt64
    /// Minimum number of labelled samples behind a performance value (default 100).
    public var minimumSamples: Int

    public init(degradationThreshold: Double = 0.1, autoRollbackEnabled: Bool = true,
                minimumDwellNanoseconds: UInt64 = 300_000_000_000, confirmationNanoseconds: UInt64 = 30_000_000_000,
                minimumSamples: Int = 100) {
        self.degradationThreshold = degradationThreshold
        self.autoRollbackEnabled = autoRollbackEnabled
        self.minimumDwellNanoseconds = minimumDwellNanoseconds
        self.confirmationNanoseconds = confirmationNanoseconds
        self.minimumSamples = minimumSamples
    }

    /// Checks the ranges. - Throws: `MonitoringError.parameterOutOfRange` naming the key.
    public func validate() throws(MonitoringError) {
        guard degradationThreshold > 0, degradationThreshold < 1 else {
            throw .parameterOutOfRange(name: "performance_degradation_threshold", value: degradationThreshold, allowed: "(0, 1)")
        }
        guard minimumSamples >= 1 else {
            throw .parameterOutOfRange(name: "minimumSamples", value: Double(minimumSamples), allowed: ">= 1")
        }
    }
}

/// What the monitor must do after an observation.
public enum RollbackDecision: Sendable, Equatable {
    /// No version is registered yet, or too few samples back the value.
    case insufficientData
    /// Performance is within the threshold; `degradation` is the relative drop (may be < 0).
    case healthy(degradation: Double)
    /// Degraded, waiting for the confirmation period or the dwell time to pass.
    case degrading(degradation: Double, sinceNanoseconds: UInt64)
    /// Degraded and confirmed, but `auto_rollback_enabled` is false: alert only.
    case degradedRollbackDisabled(degradation: Double)
    /// Roll `version` back now (sent once; then the guard waits for the next `versionDeployed`).
    case rollback(version: String, degradation: Double)
    /// A rollback was ordered and no new version has been registered yet.
    case rollbackPending(version: String)
}

/// The rollback state machine of one model.
///
/// Degradation = `(baseline − performance) / baseline` for a baseline > 0 (higher-is-better
/// metric such as accuracy or AUC); `baseline − performance` when the baseline is ≤ 0.
/// A rollback is ordered when degradation > threshold has held continuously for the
/// confirmation period and the version has been live for the minimum dwell time.
public struct RollbackGuard: Sendable {
    public let policy: RollbackPolicy
    public private(set) var version: String?
    public private(set) var baseline = 0.0
    public private(set) var deployedAtNanoseconds: UInt64 = 0
    public private(set) var degradingSinceNanoseconds: UInt64?
    public private(set) var pendingRollback = false

    /// - Throws: `MonitoringError.parameterOutOfRange` when the policy is invalid.
    public init(policy: RollbackPolicy = RollbackPolicy()) throws(MonitoringError) {
        try policy.validate()
        self.policy = policy
    }

    /// Registers the version now serving (new deploy, champion swap or the result of a rollback).
    /// - Throws: `MonitoringError.parameterOutOfRange` when `baseline` is not finite.
    public mutating func versionDeployed(_ version: String, baseline: Double, now: UInt64) throws(MonitoringError) {
        guard baseline.isFinite else {
            throw .parameterOutOfRange(name: "baseline", value: baseline, allowed: "finite")
        }
        self.version = version
        self.baseline = baseline
        deployedAtNanoseconds = now
        degradingSinceNanoseconds = nil
        pendingRollback = false
    }

    /// Relative degradation of `performance` against the current baseline.
    public func degradation(of performance: Double) -> Double {
        baseline > 0 ? (baseline - performance) / baseline : baseline - performance
    }

    /// Feeds one performance value computed over `samples` labelled predictions at `now` (ns).
    public mutating func observe(performance: Double, samples: Int, now: UInt64) -> RollbackDecision {
        guard let version else { return .insufficientData }
        if pendingRollback { return .rollbackPending(version: version) }
        guard samples >= policy.minimumSamples, performance.isFinite else { return .insufficientData }
        let drop = degradation(of: performance)
        guard drop > policy.degradationThreshold else {
            degradingSinceNanoseconds = nil
            return .healthy(degradation: drop)
        }
        let since = degradingSinceNanoseconds ?? now
        degradingSinceNanoseconds = since
        let confirmed = now >= since && now - since >= policy.confirmationNanoseconds
        let dwelt = now >= deployedAtNanoseconds && now - deployedAtNanoseconds >= policy.minimumDwellNanoseconds
        guard confirmed, dwelt else { return .degrading(degradation: drop, sinceNanoseconds: since) }
        guard policy.autoRollbackEnabled else { return .degradedRollbackDisabled(degradation: drop) }
        pendingRollback = true
        return .rollback(version: version, degradation: drop)
    }
}
