// Options of the regime ensemble, named after the seed's `regime_detection_config`.

/// Ensemble options. Defaults are the seed's: detectors hmm, gmm, cusum, threshold;
/// `weighted_average`; adaptation on; confidence threshold 0.6; ensemble size 4.
public struct RegimeEnsembleConfiguration: Sendable, Equatable, Codable {
    /// `ensemble_voting_method`.
    public enum VotingMethod: String, Sendable, Codable, CaseIterable {
        case weightedAverage = "weighted_average"
        case majority
    }

    /// `detectors`: every listed detector runs; the first `ensembleSize` volatility-axis ones vote.
    public var detectors: [RegimeDetectorKind] = [.hmm, .gmm, .cusum, .threshold]
    /// `ensemble_size`: how many of `detectors` vote.
    public var ensembleSize: Int = 4
    /// `ensemble_voting_method`.
    public var votingMethod: VotingMethod = .weightedAverage
    /// `regime_adaptation_enabled`: weights follow each voter's agreement with the realised regime
    /// (log-odds weights, see ``RegimeEnsemble``); off, the voters weigh the same.
    public var adaptationEnabled = true
    /// `confidence_threshold`: below it the signal is uncertain (fraction, 0...1).
    public var confidenceThreshold = 0.6
    /// Number of canonical states K (2...8).
    public var states = 3
    /// Observations before the first fit.
    public var warmUp = 250
    /// Observations between refits (0 = never refit).
    public var refitInterval = 500
    /// Factor by which the observations seen grow between two refits until the history fills
    /// `fitWindow` (> 1; 2 = each time they double).
    public var refitGrowth = 1.25
    /// Trailing window used by refits (observations, ≥ warmUp).
    public var fitWindow = 2000
    /// Window of the realised volatility that labels the regime after the fact (observations).
    public var realizedWindow = 20
    /// When an HMM runs, label the realised regime against its fitted states' volatilities
    /// instead of k-means levels of the window's realised volatility (see
    /// ``RegimeEnsemble/realizedLevels(_:configuration:models:)``).
    public var realizedLevelsFromHMM = true
    /// Forgetting rate of each voter's agreement with the realised regime: each labelled
    /// observation, a ← (1 − rate)·a + rate·[vote = label]. 0.01 keeps an effective memory of ~100
    /// labelled observations.
    public var adaptationRate = 0.01
    /// Largest tolerated error rate ε of the after-the-fact label (realised volatility against the
    /// realised levels): while adjacent levels are too close for the label to err less than ε, the
    /// weights are held (see ``RegimeEnsemble/realizedInformative``).
    public var labelErrorRate = 0.1
    /// Floor of an adaptive weight, so a voter can recover.
    public var minimumWeight = 0.05
    /// Seed of the detectors' random restarts.
    public var seed: UInt64 = 0

    public init() {}

    /// Parses the seed's `ensemble_voting_method` value.
    /// - Throws: ``RegimeError/invalidParameter(name:value:allowed:)``.
    public static func votingMethod(_ s: String) throws(RegimeError) -> VotingMethod {
        guard let m = VotingMethod(rawValue: s) else {
            throw .invalidParameter(name: "ensemble_voting_method", value: s, allowed: "weighted_average, majority")
        }
        return m
    }

    /// The voters: the first `ensembleSize` volatility-axis detectors of `detectors`.
    public var voters: [RegimeDetectorKind] {
        Array(detectors.filter { $0 != .trend }.prefix(ensembleSize))
    }

    /// - Throws: ``RegimeError/invalidParameter(name:value:allowed:)`` naming the bad option.
    public func validate() throws(RegimeError) {
        try RegimeCheck.states(states)
        guard !detectors.isEmpty, Set(detectors).count == detectors.count else {
            throw .invalidParameter(name: "detectors", value: detectors.map(\.rawValue).joined(separator: ","), allowed: "a non-empty list without repeats")
        }
        let volCount = detectors.filter { $0 != .trend }.count
        guard ensembleSize >= 1, ensembleSize <= volCount else {
            throw .invalidParameter(name: "ensemble_size", value: "\(ensembleSize)", allowed: "1...\(volCount) (volatility detectors configured)")
        }
        guard (0...1).contains(confidenceThreshold) else {
            throw .invalidParameter(name: "confidence_threshold", value: "\(confidenceThreshold)", allowed: "0...1")
        }
        guard warmUp >= 40 else { throw .invalidParameter(name: "warm_up", value: "\(warmUp)", allowed: ">= 40") }
        guard refitInterval >= 0 else { throw .invalidParameter(name: "refit_interval", value: "\(refitInterval)", allowed: ">= 0") }
        guard refitGrowth > 1, refitGrowth.isFinite else { throw .invalidParameter(name: "refit_growth", value: "\(refitGrowth)", allowed: "> 1") }
        guard fitWindow >= warmUp else { throw .invalidParameter(name: "fit_window", value: "\(fitWindow)", allowed: ">= warm_up (\(warmUp))") }
        guard realizedWindow >= 2 else { throw .invalidParameter(name: "realized_window", value: "\(realizedWindow)", allowed: ">= 2") }
        guard (0...1).contains(adaptationRate) else { throw .invalidParameter(name: "adaptation_rate", value: "\(adaptationRate)", allowed: "0...1") }
        guard labelErrorRate > 0, labelErrorRate < 0.5 else { throw .invalidParameter(name: "label_error_rate", value: "\(labelErrorRate)", allowed: "(0, 0.5)") }
        guard minimumWeight > 0, minimumWeight <= 1 else { throw .invalidParameter(name: "minimum_weight", value: "\(minimumWeight)", allowed: "(0, 1]") }
    }
}

extension RegimeEnsembleConfiguration {
    /// A configuration that passed ``RegimeEnsembleConfiguration/validate()``, so what is built
    /// from it (a ``RegimeBook``, the ``RegimeDetector`` actor) cannot fail.
    public struct Validated: Sendable, Equatable {
        public let value: RegimeEnsembleConfiguration
    }

    /// - Throws: ``RegimeError/invalidParameter(name:value:allowed:)`` naming the bad option.
    public func validated() throws(RegimeError) -> Validated {
        try validate()
        return Validated(value: self)
    }
}
