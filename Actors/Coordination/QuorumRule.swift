// The quorum rule: approvals ≥ consensus_threshold × live members.

/// How many approvals decide a proposal among a given number of live members.
public struct QuorumRule: Sendable, Equatable {
    /// Fraction of live members required, (0, 1].
    public let threshold: Double

    /// - Throws: `CoordinationConfigurationError.outOfRange` unless `0 < threshold ≤ 1`.
    public init(threshold: Double) throws(CoordinationConfigurationError) {
        guard threshold > 0, threshold <= 1 else {
            throw .outOfRange(parameter: "consensus_threshold", value: "\(threshold)", allowed: "(0, 1]")
        }
        self.threshold = threshold
    }

    /// Smallest integer `a` with `a ≥ threshold × live` (at least 1). A 1e-9 tolerance keeps
    /// exact products such as 0.75 × 4 = 3 from rounding up.
    public func requiredApprovals(liveMembers: Int) -> Int {
        let exact = threshold * Double(max(liveMembers, 1))
        return max(1, Int((exact - 1e-9).rounded(.up)))
    }

    /// Rejections beyond which approval can no longer be reached: `live − required + 1`.
    public func decisiveRejections(liveMembers: Int) -> Int {
        max(1, max(liveMembers, 1) - requiredApprovals(liveMembers: liveMembers) + 1)
    }
}
