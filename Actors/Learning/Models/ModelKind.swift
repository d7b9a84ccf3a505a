// The model families of the seed's Online Learning Framework and a value that holds
// any one of them (enum dispatch: no existential boxing on the hot path).

/// Model families, named as the CLI (`--model`) and the seed's `model_types`.
public enum ModelKind: String, CaseIterable, Sendable, Codable {
    case onlineGD = "online-gd"
    case incrementalSVM = "incremental-svm"
    case streamRF = "stream-rf"
    case ensemble

    /// The seed's configuration name (`ONLINE_GD`, `INCREMENTAL_SVM`, `STREAM_RF`, `ENSEMBLE`).
    public var seedName: String {
        switch self {
        case .onlineGD: return "ONLINE_GD"
        case .incrementalSVM: return "INCREMENTAL_SVM"
        case .streamRF: return "STREAM_RF"
        case .ensemble: return "ENSEMBLE"
        }
    }
}

/// One model of any family. Stored as optionals of the concrete types rather than an
/// enum so that `learn` mutates the model in place (optional chaining) without moving
/// the payload: an enum round trip cost more than the logistic regression itself.
public struct AnyOnlineModel: OnlineClassifier, Equatable {
    private var gd: LogisticRegression?
    private var svm: PegasosSVM?
    private var rf: AdaptiveRandomForest?
    private var ensembleModel: WeightedEnsemble?

    public static func onlineGD(_ m: LogisticRegression) -> AnyOnlineModel { AnyOnlineModel(gd: m) }
    public static func incrementalSVM(_ m: PegasosSVM) -> AnyOnlineModel { AnyOnlineModel(svm: m) }
    public static func streamRF(_ m: AdaptiveRandomForest) -> AnyOnlineModel { AnyOnlineModel(rf: m) }
    public static func ensemble(_ m: WeightedEnsemble) -> AnyOnlineModel { AnyOnlineModel(ensembleModel: m) }

    public var kind: ModelKind {
        if gd != nil { return .onlineGD }
        if svm != nil { return .incrementalSVM }
        if rf != nil { return .streamRF }
        return .ensemble
    }

    /// The logistic regression, when this is ONLINE_GD.
    public var onlineGD: LogisticRegression? { gd }
    /// The SVM, when this is INCREMENTAL_SVM.
    public var incrementalSVM: PegasosSVM? { svm }
    /// The forest, when this is STREAM_RF.
    public var streamRF: AdaptiveRandomForest? { rf }
    /// The ensemble, when this is ENSEMBLE.
    public var ensemble: WeightedEnsemble? { ensembleModel }

    // Optional chaining borrows the stored model (no copy, no retain traffic).
    public func predictProbability(_ features: [Double]) -> Double {
        if let p = gd?.predictProbability(features) { return p }
        if let p = svm?.predictProbability(features) { return p }
        if let p = rf?.predictProbability(features) { return p }
        return ensembleModel?.predictProbability(features) ?? 0.5
    }

    /// The family's own label rule (River's `predict_one` for ONLINE_GD and STREAM_RF).
    public func predictLabel(_ features: [Double]) -> Bool {
        if let p = gd?.predictProbability(features) { return p > 1 - p }
        if let m = svm?.margin(features) { return m > 0 }
        if rf != nil { return rf?.predictLabel(features) ?? false }
        return (ensembleModel?.predictProbability(features) ?? 0) > 0.5
    }

    /// Prequential step: `predictLabel`, then `learn` (STREAM_RF shares the per-tree
    /// predictions between both; results are identical to the two calls).
    public mutating func predictLabelThenLearn(_ features: [Double], label: Bool) -> Bool {
        if rf != nil { return rf?.predictLabelThenLearn(features, label: label) ?? false }
        let predicted = predictLabel(features)
        learn(features, label: label)
        return predicted
    }

    public mutating func learn(_ features: [Double], label: Bool) {
        if gd != nil { gd?.learn(features, label: label); return }
        if svm != nil { svm?.learn(features, label: label); return }
        if rf != nil { rf?.learn(features, label: label); return }
        ensembleModel?.learn(features, label: label)
    }

    /// Whether decoded state is structurally valid (exactly one family present).
    public var isConsistent: Bool {
        let present = [gd != nil, svm != nil, rf != nil, ensembleModel != nil].filter { $0 }.count
        guard present == 1 else { return false }
        return (gd?.isConsistent ?? true) && (svm?.isConsistent ?? true) && (rf?.isConsistent ?? true)
            && (ensembleModel?.isConsistent ?? true)
    }
}
