// The eight detector names as they appear in configuration (`detectors: [hmm, gmm, …]`).

import Foundation

/// A detector of the regime module, by configuration name.
public enum RegimeDetectorKind: String, CaseIterable, Sendable, Codable, Hashable {
    case hmm, gmm, cusum, threshold, bocpd, garch, trend, rvcluster

    /// Bit of this detector in a ``RegimeDetectorSet``.
    public var bit: UInt16 { 1 << UInt16(Self.allCases.firstIndex(of: self) ?? 0) }

    /// Parses a configuration name (case-insensitive; `volatility_threshold` and `changepoint`
    /// are accepted aliases). - Throws: ``RegimeError/unknownDetector(name:known:)``.
    public static func parse(_ s: String) throws(RegimeError) -> RegimeDetectorKind {
        let t = s.trimmingCharacters(in: .whitespaces).lowercased()
        switch t {
        case "volatility_threshold", "vol_threshold": return .threshold
        case "changepoint", "bocd": return .bocpd
        case "garch11", "garch(1,1)": return .garch
        default:
            guard let k = RegimeDetectorKind(rawValue: t) else { throw .unknownDetector(name: s, known: allCases.map(\.rawValue)) }
            return k
        }
    }

    /// A detector of this kind with default options and `states` states (trend always has 3).
    /// - Throws: ``RegimeError/invalidParameter(name:value:allowed:)`` if `states` is outside 2...8.
    public func make(states: Int, seed: UInt64 = 0) throws(RegimeError) -> any RegimeModel {
        switch self {
        case .hmm:
            var c = GaussianHMM.FitConfiguration(states: states); c.seed = seed
            return try HMMRegimeModel(configuration: c)
        case .gmm:
            // A regime detector needs the maximum-likelihood mixture, not scikit-learn's early stop:
            // with tol 1e-3 EM halts on a location split (left tail, centre, right tail) of what is
            // a scale mixture. Converge tightly, initialise by scale, keep the best of 3 restarts.
            var c = GaussianMixture1D.Configuration(components: states); c.seed = seed
            c.initialisation = .scale
            c.tolerance = 1e-6
            c.maxIterations = 1000
            c.restarts = 3
            return try GMMRegimeModel(configuration: c)
        case .cusum: return try CUSUMRegimeModel(configuration: .init(states: states))
        case .threshold: return try VolatilityThresholdModel(configuration: .init(states: states))
        case .bocpd: return try BOCPDRegimeModel(configuration: .init(states: states))
        case .garch: return try GARCHRegimeModel(states: states)
        case .trend: return try TrendRegimeModel()
        case .rvcluster: return try RealizedVolatilityClusterModel(states: states)
        }
    }
}
