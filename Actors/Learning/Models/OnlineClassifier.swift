// Common protocol of the online binary classifiers (ONLINE_GD, INCREMENTAL_SVM,
// STREAM_RF, and the weighted ensemble over them).

/// An online binary classifier: predict a probability, then learn the true label.
///
/// Conforming types are plain value types (copying one yields an independent model,
/// which the champion/challenger logic relies on) and are `Codable` for versioned
/// persistence. They contain no clock, I/O or actor.
public protocol OnlineClassifier: Sendable, Codable {
    /// Probability that the label is 1 (`true`) for this feature vector, in [0, 1].
    func predictProbability(_ features: [Double]) -> Double
    /// Learns one labelled example.
    mutating func learn(_ features: [Double], label: Bool)
}

extension OnlineClassifier {
    /// Predicted label: `true` iff the probability of class 1 exceeds 0.5 (ties go to
    /// `false`, as River's `max` over `{False: p0, True: p1}`).
    public func predict(_ features: [Double]) -> Bool { predictProbability(features) > 0.5 }
}
