// Feature dimension of a model, used to check that a model restored from a file fits
// the rows its owner will feed it (a mismatch would index out of bounds later).

extension AnyOnlineModel {
    /// Number of features the model reads, or nil when an ensemble's members disagree.
    public var dimension: Int? {
        if let m = onlineGD { return m.weights.count }
        if let m = incrementalSVM { return m.weights.count }
        if let m = streamRF { return m.dimension }
        guard let e = ensemble, let first = e.members.first?.dimension else { return nil }
        return e.members.allSatisfy { $0.dimension == first } ? first : nil
    }
}
