// A candidate split of a Hoeffding-tree leaf (River's `BranchFactory`).

/// A candidate split; the null split (no feature) has merit -∞ as River's `BranchFactory()`.
struct SplitSuggestion: Sendable {
    var merit: Double
    var feature: Int?
    var threshold: Double
    var left: ClassStats
    var right: ClassStats

    static let null = SplitSuggestion(merit: -.infinity, feature: nil, threshold: 0,
                                      left: ClassStats(), right: ClassStats())
}
