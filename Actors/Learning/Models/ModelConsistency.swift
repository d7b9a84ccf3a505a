// Structural checks run on decoded model state: every index the algorithms use must be
// in bounds, so a tampered or corrupt snapshot is rejected with a typed error instead
// of trapping later.

extension StandardScaler {
    func isConsistent(dimension: Int) -> Bool {
        means.count == dimension && variances.count == dimension && deviations.count == dimension && count >= 0
    }
}

extension LogisticRegression {
    var isConsistent: Bool {
        (try? configuration.validate()) != nil && scaler.isConsistent(dimension: weights.count) && iterations >= 0
    }
}

extension PegasosSVM {
    var isConsistent: Bool {
        (try? configuration.validate()) != nil && scaler.isConsistent(dimension: weights.count) && steps >= 0
    }
}

extension ClassStats {
    var isConsistent: Bool { weight.count == 2 && order.isConsistent }
}

extension GaussianSplitter {
    var isConsistent: Bool {
        gaussians.count == 2 && minimum.count == 2 && maximum.count == 2 && classOrder.isConsistent
    }
}

extension RandomLeaf {
    func isConsistent(dimension: Int) -> Bool {
        stats.isConsistent && features.allSatisfy { (0..<dimension).contains($0) }
            && (splitters.isEmpty || splitters.count == features.count)
            && splitters.allSatisfy(\.isConsistent)
    }
}

extension HoeffdingTree {
    func isConsistent(dimension: Int) -> Bool {
        guard seen.count == 2, parameters.maxFeatures >= 1, parameters.maxFeatures <= dimension,
              leaves.allSatisfy({ $0.isConsistent(dimension: dimension) }) else { return false }
        if nodes.isEmpty { return leaves.isEmpty }
        for (i, n) in nodes.enumerated() {
            if n.leaf >= 0 {
                if n.leaf >= leaves.count { return false }
            } else {
                // Children are always appended after their parent: this also rules out cycles.
                guard (0..<dimension).contains(n.feature), n.left > i, n.right > i,
                      n.left < nodes.count, n.right < nodes.count else { return false }
            }
        }
        return true
    }
}

extension AdaptiveRandomForest {
    var isConsistent: Bool {
        (try? configuration.validate()) != nil && dimension >= 1 && members.count == configuration.models
            && rng.isConsistent && treeParameters.maxFeatures >= 1 && treeParameters.maxFeatures <= dimension
            && members.allSatisfy {
                $0.tree.isConsistent(dimension: dimension) && ($0.background?.isConsistent(dimension: dimension) ?? true)
                    && $0.warning.isConsistent && $0.drift.isConsistent
            }
    }
}
