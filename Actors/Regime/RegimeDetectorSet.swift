// A bit-mask set of detectors, so a signal can name its triggers without allocating.

/// A set of detectors as a bit mask (no allocation), e.g. the detectors that triggered a change.
public struct RegimeDetectorSet: Sendable, Equatable, Hashable, Codable {
    public var rawValue: UInt16
    public init(rawValue: UInt16 = 0) { self.rawValue = rawValue }
    public mutating func insert(_ k: RegimeDetectorKind) { rawValue |= k.bit }
    public func contains(_ k: RegimeDetectorKind) -> Bool { rawValue & k.bit != 0 }
    public var isEmpty: Bool { rawValue == 0 }
    /// Members in declaration order (allocates; for reports).
    public var kinds: [RegimeDetectorKind] { RegimeDetectorKind.allCases.filter(contains) }
    /// Member names (allocates; for reports).
    public var names: [String] { kinds.map(\.rawValue) }
    public init(from decoder: any Decoder) throws {
        let names = try decoder.singleValueContainer().decode([String].self)
        rawValue = 0
        for n in names { if let k = RegimeDetectorKind(rawValue: n) { insert(k) } }
    }
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(names)
    }
}
