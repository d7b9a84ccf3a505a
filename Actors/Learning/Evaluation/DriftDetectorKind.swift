// The detectors of `eval drift` and their River parameter names.

/// The drift detectors offered by `eval drift`.
public enum DriftDetectorKind: String, CaseIterable, Sendable, Codable {
    case adwin
    case ddm
    case eddm
    case pageHinkley = "page-hinkley"
    case kswin

    /// River's parameter names accepted by this detector.
    public var parameterNames: [String] {
        switch self {
        case .adwin: return ["delta", "clock", "max_buckets", "min_window_length", "grace_period"]
        case .ddm: return ["warm_start", "warning_threshold", "drift_threshold"]
        case .eddm: return ["warm_start", "alpha", "beta"]
        case .pageHinkley: return ["min_instances", "delta", "threshold", "alpha", "mode"]
        case .kswin: return ["alpha", "window_size", "stat_size", "seed"]
        }
    }

    /// Whether the detector reads 0/1 error indicators only.
    public var isBinary: Bool { self == .ddm || self == .eddm }

    /// Whether the detector has a warning zone.
    public var hasWarningZone: Bool { isBinary }
}
