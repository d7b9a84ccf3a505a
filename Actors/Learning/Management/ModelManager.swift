// Champion/challenger management of an online model (catastrophic-forgetting
// prevention), in the spirit of ARF's background learners (Gomes et al., 2017) applied
// to the whole model:
// - the champion's 0/1 error stream feeds two ADWIN detectors (warning δ, drift δ);
// - on warning a challenger (a fresh model of the same configuration) starts learning
//   in the background;
// - on drift the challenger replaces the champion only if it was more accurate on the
//   recent paired window (same examples); the replaced champion is kept for rollback;
// - with regime labels, the champion is stored per regime when the regime changes; when
//   a regime returns, its stored model is trialled on a paired window and reinstated if
//   it beats the current champion.
// Every change creates a `ModelVersion` (id, parent, reason, caller-supplied time, metrics).

/// Champion/challenger manager around one model (plain value type, no clock or I/O).
public struct ModelManager: Sendable, Codable, Equatable {
    /// Hyper-parameters (CLI names: warning_delta_champion, drift_delta_champion,
    /// recent_window, min_challenger_samples, regime_trial).
    public struct Configuration: Sendable, Codable, Equatable {
        public var warningDelta = 0.01
        public var driftDelta = 0.002
        /// Examples in the paired comparison window.
        public var recentWindow = 500
        /// Examples a challenger must have been compared on before it can be promoted.
        public var minChallengerSamples = 30
        /// Examples a stored regime model is trialled before the reinstatement decision.
        public var regimeTrial = 200
        /// Versions kept in `versions` (oldest dropped first).
        public var maxVersions = 1000
        public init() {}

        /// Throws `ParameterError.outOfRange` naming the first invalid parameter.
        public func validate() throws(ParameterError) {
            if !(warningDelta > 0 && warningDelta < 1) {
                throw .outOfRange(name: "warning_delta_champion", value: "\(warningDelta)", allowed: "0 < x < 1")
            }
            if !(driftDelta > 0 && driftDelta < 1) {
                throw .outOfRange(name: "drift_delta_champion", value: "\(driftDelta)", allowed: "0 < x < 1")
            }
            if recentWindow < 1 || recentWindow > 1_000_000 {
                throw .outOfRange(name: "recent_window", value: "\(recentWindow)", allowed: "integer in [1, 1000000]")
            }
            if minChallengerSamples < 1 {
                throw .outOfRange(name: "min_challenger_samples", value: "\(minChallengerSamples)", allowed: "integer >= 1")
            }
            if regimeTrial < 1 || regimeTrial > 1_000_000 {
                throw .outOfRange(name: "regime_trial", value: "\(regimeTrial)", allowed: "integer in [1, 1000000]")
            }
            if maxVersions < 1 {
                throw .outOfRange(name: "max_versions", value: "\(maxVersions)", allowed: "integer >= 1")
            }
        }
    }

    /// What one `learn` call changed.
    public struct Events: Sendable, Equatable {
        public var warning = false
        public var drift = false
        /// The new version, when the champion changed.
        public var newVersion: ModelVersion?
        /// The champion's label for the example before learning it (prequential prediction).
        public var championPrediction = false
    }

    public let configuration: Configuration
    /// The model a fresh challenger is a copy of (untrained).
    public let blueprint: AnyOnlineModel
    public private(set) var champion: AnyOnlineModel
    public private(set) var challenger: AnyOnlineModel?
    /// The champion replaced last (for `rollback`), with its version id.
    public private(set) var previous: (AnyOnlineModel, Int)? {
        get { previousModel.map { ($0, previousVersion) } }
        set { previousModel = newValue?.0; previousVersion = newValue?.1 ?? -1 }
    }
    private var previousModel: AnyOnlineModel?
    private var previousVersion = -1
    private var warningDetector: ADWIN
    private var driftDetector: ADWIN
    private var challengerWindow: PairedWindow
    private var regimeWindow: PairedWindow
    private var regimeCandidate: AnyOnlineModel?
    private var regimeModels: [String: AnyOnlineModel] = [:]
    private var currentRegime: String?
    public private(set) var versions: [ModelVersion] = []
    public private(set) var currentVersion = 0
    private var nextVersionID = 1
    /// Examples learned.
    public private(set) var samples = 0

    /// A manager whose first champion is `model` (untrained copy kept as blueprint).
    public init(model: AnyOnlineModel, configuration: Configuration = Configuration(), time: Double)
        throws(ParameterError) {
        try configuration.validate()
        self.configuration = configuration
        blueprint = model
        champion = model
        warningDetector = try ADWIN(.init(delta: configuration.warningDelta))
        driftDetector = try ADWIN(.init(delta: configuration.driftDelta))
        challengerWindow = PairedWindow(capacity: configuration.recentWindow)
        regimeWindow = PairedWindow(capacity: configuration.regimeTrial)
        appendVersion(ModelVersion(id: 0, parent: nil, reason: .initial, time: time, regime: nil,
                                   metrics: VersionMetrics(recentAccuracy: nil, replacedAccuracy: nil, samples: 0)))
    }

    /// Probability of class 1 by the champion, and the champion's version id.
    public func predict(_ features: [Double]) -> (probability: Double, version: Int) {
        (champion.predictProbability(features), currentVersion)
    }

    /// Learns one labelled example at caller time `time`, optionally tagged with a regime.
    /// `championPrediction` in the result is the champion's label for `features` before
    /// learning it (the prequential prediction).
    public mutating func learn(_ features: [Double], label: Bool, time: Double, regime: String? = nil) -> Events {
        var events = Events()
        if let regime, regime != currentRegime { switchRegime(to: regime) }
        let championPrediction = champion.predictLabelThenLearn(features, label: label)
        events.championPrediction = championPrediction
        let championRight = championPrediction == label
        if challenger != nil, let right = challenger?.predictLabelThenLearn(features, label: label) {
            challengerWindow.record(aCorrect: championRight, bCorrect: right == label)
        }
        if regimeCandidate != nil, let right = regimeCandidate?.predictLabelThenLearn(features, label: label) {
            regimeWindow.record(aCorrect: championRight, bCorrect: right == label)
        }
        samples += 1

        let error: Double = championRight ? 0 : 1
        warningDetector.update(error)
        if warningDetector.driftDetected {
            events.warning = true
            if challenger == nil { startChallenger() }
        }
        driftDetector.update(error)
        if driftDetector.driftDetected {
            events.drift = true
            events.newVersion = resolveDrift(time: time)
        }
        if regimeCandidate != nil && regimeWindow.count >= configuration.regimeTrial {
            events.newVersion = resolveRegimeTrial(time: time) ?? events.newVersion
        }
        return events
    }

    private mutating func startChallenger() {
        challenger = blueprint
        challengerWindow.clear()
    }

    private mutating func resolveDrift(time: Double) -> ModelVersion? {
        guard let c = challenger else {
            startChallenger()
            return nil
        }
        guard challengerWindow.count >= configuration.minChallengerSamples,
              let champ = challengerWindow.accuracyA, let chall = challengerWindow.accuracyB, chall > champ
        else { return nil }
        let version = promote(c, reason: .challengerPromoted, time: time,
                              metrics: VersionMetrics(recentAccuracy: chall, replacedAccuracy: champ, samples: samples))
        challenger = nil
        challengerWindow.clear()
        return version
    }

    private mutating func resolveRegimeTrial(time: Double) -> ModelVersion? {
        defer { regimeCandidate = nil; regimeWindow.clear() }
        guard let r = regimeCandidate, let champ = regimeWindow.accuracyA, let cand = regimeWindow.accuracyB,
              cand > champ else { return nil }
        return promote(r, reason: .regimeReinstated, time: time,
                       metrics: VersionMetrics(recentAccuracy: cand, replacedAccuracy: champ, samples: samples))
    }

    private mutating func switchRegime(to regime: String) {
        if let old = currentRegime { regimeModels[old] = champion }
        currentRegime = regime
        regimeCandidate = regimeModels[regime]
        regimeWindow.clear()
    }

    private mutating func promote(_ model: AnyOnlineModel, reason: VersionReason, time: Double,
                                  metrics: VersionMetrics) -> ModelVersion {
        previous = (champion, currentVersion)
        champion = model
        warningDetector.reset()
        driftDetector.reset()
        let version = ModelVersion(id: nextVersionID, parent: currentVersion, reason: reason, time: time,
                                   regime: currentRegime, metrics: metrics)
        nextVersionID += 1
        currentVersion = version.id
        appendVersion(version)
        return version
    }

    private mutating func appendVersion(_ version: ModelVersion) {
        versions.append(version)
        if versions.count > configuration.maxVersions { versions.removeFirst(versions.count - configuration.maxVersions) }
    }

    /// Restores the previous champion (the current one becomes the previous).
    /// - Throws: `ModelManagerError.nothingToRollBack` when no earlier champion is kept.
    public mutating func rollback(time: Double) throws(ModelManagerError) -> ModelVersion {
        guard let (model, _) = previous else { throw .nothingToRollBack }
        challenger = nil
        challengerWindow.clear()
        return promote(model, reason: .rollback, time: time,
                       metrics: VersionMetrics(recentAccuracy: nil, replacedAccuracy: nil, samples: samples))
    }

    /// Regimes for which a model is stored.
    public var storedRegimes: [String] { regimeModels.keys.sorted() }

    /// The regime of the last `learn` call, if any.
    public var regime: String? { currentRegime }

    /// Whether every model held (champion, blueprint, challenger, previous champion,
    /// regime models) reads exactly `dimension` features.
    public func modelsRead(dimension: Int) -> Bool {
        let all = [blueprint, champion] + [challenger, previousModel, regimeCandidate].compactMap { $0 }
            + Array(regimeModels.values)
        return all.allSatisfy { $0.dimension == dimension }
    }

    var isConsistent: Bool {
        (try? configuration.validate()) != nil && blueprint.isConsistent && champion.isConsistent
            && (challenger?.isConsistent ?? true) && (previousModel?.isConsistent ?? true)
            && (regimeCandidate?.isConsistent ?? true) && regimeModels.values.allSatisfy(\.isConsistent)
            && warningDetector.isConsistent && driftDetector.isConsistent
            && challengerWindow.isConsistent && regimeWindow.isConsistent && samples >= 0
    }
}
