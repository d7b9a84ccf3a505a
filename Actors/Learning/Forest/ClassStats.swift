// Class-weight distribution of a binary Hoeffding-tree node, keeping River's dict
// semantics that matter for results: which classes are present (even with weight 0)
// and their insertion order (Python's `max` keeps the first of equal maxima).

import Foundation

/// Weights of classes 0 and 1 with presence and insertion order.
struct ClassStats: Sendable, Codable, Equatable {
    var weight = Pair(0.0, 0.0)
    var order = ClassOrder()

    mutating func add(_ c: Int, _ w: Double) {
        if !order.contains(c) { order.append(c) }
        weight[c] += w
    }

    var isEmpty: Bool { order.classes.isEmpty }
    var count: Int { order.classes.count }
    var total: Double {
        var t = 0.0
        for c in order.classes { t += weight[c] }
        return t
    }

    /// Argmax over present classes, first-inserted on ties; nil when empty.
    var argmax: Int? {
        var best: Int?
        for c in order.classes where best == nil || weight[c] > weight[best ?? c] { best = c }
        return best
    }

    /// Fewer than two classes with non-zero weight.
    var isPure: Bool {
        var nonZero = 0
        for c in order.classes where weight[c] != 0 { nonZero += 1 }
        return nonZero < 2
    }
}
