// Builds validated model configurations from `NAME=VALUE` parameters and creates
// models once the feature dimension is known.

/// Validated configurations of one model family (or of an ensemble's members).
struct ModelFactory: Sendable {
    let kind: ModelKind
    var gd = LogisticRegression.Configuration()
    var svm = PegasosSVM.Configuration()
    var rf = AdaptiveRandomForest.Configuration()
    var ensemble = WeightedEnsemble.Configuration()
    var members: [ModelKind] = [.onlineGD, .incrementalSVM, .streamRF]

    static let gdNames = ["learning_rate", "intercept_lr", "l2", "schedule", "power_t", "clip_gradient"]
    static let svmNames = ["lambda", "eta0", "platt_lr"]
    static let rfNames = ["n_models", "lambda_value", "grace_period", "delta", "tau", "max_features",
                          "warning_delta", "drift_delta", "seed"]
    static let ensembleNames = ["models", "ensemble_update_frequency", "ensemble_sharpness"]
    static let managerNames = ["warning_delta_champion", "drift_delta_champion", "recent_window",
                               "min_challenger_samples", "regime_trial"]

    static func parameterNames(_ kind: ModelKind) -> [String] {
        switch kind {
        case .onlineGD: return gdNames
        case .incrementalSVM: return svmNames
        case .streamRF: return rfNames
        case .ensemble:
            var names = ensembleNames
            for n in gdNames + svmNames + rfNames where !names.contains(n) { names.append(n) }
            return names
        }
    }

    init(kind: ModelKind, _ p: ParameterAssignments, seed: Int?, used: inout [String: ParameterValue])
        throws(ParameterError) {
        self.kind = kind
        if kind == .ensemble {
            let text = p.values["models"] ?? "online-gd+incremental-svm+stream-rf"
            var list: [ModelKind] = []
            for part in text.split(separator: "+") {
                guard let k = ModelKind(rawValue: String(part)), k != .ensemble, !list.contains(k) else {
                    throw .invalidValue(name: "models", value: text,
                                        expected: "distinct families joined by '+' from online-gd, incremental-svm, stream-rf")
                }
                list.append(k)
            }
            guard !list.isEmpty else { throw .invalidValue(name: "models", value: text, expected: "at least one family") }
            members = list
            ensemble.updateFrequency = try p.int("ensemble_update_frequency", default: ensemble.updateFrequency)
            ensemble.sharpness = try p.double("ensemble_sharpness", default: ensemble.sharpness)
            try ensemble.validate()
            used["models"] = .string(list.map(\.rawValue).joined(separator: "+"))
            used["ensemble_update_frequency"] = .int(ensemble.updateFrequency)
            used["ensemble_sharpness"] = .double(ensemble.sharpness)
        } else {
            members = [kind]
        }
        if members.contains(.onlineGD) {
            gd.learningRate = try p.double("learning_rate", default: gd.learningRate)
            gd.interceptLearningRate = try p.double("intercept_lr", default: gd.interceptLearningRate)
            gd.l2 = try p.double("l2", default: gd.l2)
            let schedule = try p.choice("schedule", default: gd.schedule.rawValue,
                                        choices: LogisticRegression.Schedule.allCases.map(\.rawValue))
            gd.schedule = LogisticRegression.Schedule(rawValue: schedule) ?? .constant
            gd.powerT = try p.double("power_t", default: gd.powerT)
            gd.clipGradient = try p.double("clip_gradient", default: gd.clipGradient)
            try gd.validate()
            used["learning_rate"] = .double(gd.learningRate)
            used["intercept_lr"] = .double(gd.interceptLearningRate)
            used["l2"] = .double(gd.l2)
            used["schedule"] = .string(schedule)
            used["power_t"] = .double(gd.powerT)
            used["clip_gradient"] = .double(gd.clipGradient)
        }
        if members.contains(.incrementalSVM) {
            svm.lambda = try p.double("lambda", default: svm.lambda)
            svm.eta0 = try p.double("eta0", default: svm.eta0)
            svm.plattLearningRate = try p.double("platt_lr", default: svm.plattLearningRate)
            try svm.validate()
            used["lambda"] = .double(svm.lambda)
            used["eta0"] = .double(svm.eta0)
            used["platt_lr"] = .double(svm.plattLearningRate)
        }
        if members.contains(.streamRF) {
            rf.models = try p.int("n_models", default: rf.models)
            rf.lambda = try p.double("lambda_value", default: rf.lambda)
            rf.gracePeriod = try p.int("grace_period", default: rf.gracePeriod)
            rf.delta = try p.double("delta", default: rf.delta)
            rf.tau = try p.double("tau", default: rf.tau)
            rf.maxFeatures = try p.int("max_features", default: rf.maxFeatures)
            rf.warningDelta = try p.double("warning_delta", default: rf.warningDelta)
            rf.driftDelta = try p.double("drift_delta", default: rf.driftDelta)
            if let seed { rf.seed = seed } else { rf.seed = try p.int("seed", default: rf.seed) }
            try rf.validate()
            used["n_models"] = .int(rf.models)
            used["lambda_value"] = .double(rf.lambda)
            used["grace_period"] = .int(rf.gracePeriod)
            used["delta"] = .double(rf.delta)
            used["tau"] = .double(rf.tau)
            used["max_features"] = .int(rf.maxFeatures)
            used["warning_delta"] = .double(rf.warningDelta)
            used["drift_delta"] = .double(rf.driftDelta)
            used["seed"] = .int(rf.seed)
        }
    }

    func make(dimension: Int) throws(ParameterError) -> AnyOnlineModel {
        if kind == .ensemble {
            var list: [AnyOnlineModel] = []
            for k in members { list.append(try single(k, dimension: dimension)) }
            return .ensemble(try WeightedEnsemble(members: list, configuration: ensemble))
        }
        return try single(kind, dimension: dimension)
    }

    private func single(_ k: ModelKind, dimension: Int) throws(ParameterError) -> AnyOnlineModel {
        switch k {
        case .onlineGD: return .onlineGD(try LogisticRegression(dimension: dimension, configuration: gd))
        case .incrementalSVM: return .incrementalSVM(try PegasosSVM(dimension: dimension, configuration: svm))
        case .streamRF: return .streamRF(try AdaptiveRandomForest(dimension: dimension, configuration: rf))
        case .ensemble: throw .invalidValue(name: "models", value: "ensemble", expected: "a single model family")
        }
    }
}
