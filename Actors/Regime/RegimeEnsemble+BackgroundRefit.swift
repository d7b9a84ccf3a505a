// Refits that run off the ensemble's thread: the owner takes a job (a copy of the recent
// observations), fits fresh detectors anywhere, and installs the result between two ticks.

/// A refit to run off the hot path: the window to fit and the tick it was taken at.
public struct RegimeRefitJob: Sendable, Equatable {
    /// The ensemble's configuration (detectors, K, seed).
    public var configuration: RegimeEnsembleConfiguration
    /// Observations to fit, oldest first.
    public var window: [Double]
    /// The ensemble's tick when the window was taken (its last observation).
    public var tick: Int
    /// Finite observations the ensemble had stored then (locates the window in its history).
    var stored: Int
    /// The ensemble that made the job (a result installs only there).
    var ensemble: ObjectIdentifier
    /// Each detector's ``RegimeModel/slotAnchors`` when the job was made, so the fresh detectors
    /// place their states in the slots the running ones use.
    var anchors: [[Double?]] = []
}

/// Fitted detectors, brought up to the end of their window, ready to install.
public final class RegimeRefitResult: @unchecked Sendable {
    // @unchecked: built by the fitting thread, then handed over whole; after `fit` returns only
    // the ensemble that installs it touches the detectors (ownership moves with the value).

    /// The job this result answers.
    public let job: RegimeRefitJob
    /// Detectors that failed to fit, and why (they are installed unfitted: uniform votes).
    public let failures: [RegimeDetectorKind: RegimeError]
    let models: [any RegimeModel]
    let realized: (levels: VolatilityLevels, mean: Double)?

    init(job: RegimeRefitJob, failures: [RegimeDetectorKind: RegimeError], models: [any RegimeModel],
         realized: (levels: VolatilityLevels, mean: Double)?) {
        self.job = job; self.failures = failures; self.models = models; self.realized = realized
    }

    /// Builds fresh detectors, fits them on the job's window and replays the window through them
    /// so their online state (filters, sums, run lengths) is at the window's last observation.
    /// Runs on any thread; allocates.
    public static func fit(_ job: RegimeRefitJob) -> RegimeRefitResult {
        var models: [any RegimeModel] = []
        var failures: [RegimeDetectorKind: RegimeError] = [:]
        var scratch = [Double](repeating: 0, count: RegimeProbabilities.capacity)
        for (i, kind) in job.configuration.detectors.enumerated() {
            do {
                let m = try kind.make(states: job.configuration.states, seed: job.configuration.seed)
                if i < job.anchors.count { m.slotAnchors = job.anchors[i] }
                do { try m.fit(job.window) } catch { failures[kind] = error }
                scratch.withUnsafeMutableBufferPointer { b in for v in job.window { m.update(v, into: b) } }
                models.append(m)
            } catch {
                failures[kind] = error
            }
        }
        return RegimeRefitResult(job: job, failures: failures, models: models,
                                 realized: RegimeEnsemble.realizedLevels(job.window, configuration: job.configuration, models: models))
    }
}

extension RegimeEnsemble {
    /// A refit job on the recent observations (allocates a copy of them; call when `refitDue`).
    public func makeRefitJob() -> RegimeRefitJob {
        RegimeRefitJob(configuration: configuration, window: recentObservations, tick: tick, stored: storedCount,
                       ensemble: ObjectIdentifier(self), anchors: models.map(\.slotAnchors))
    }

    /// Installs a background refit between two ticks: swaps in its detectors, replays through
    /// them the observations that arrived since its window was taken, and relearns the realised
    /// levels. Returns false (and changes nothing) if the result belongs to another configuration,
    /// lacks a detector, was made by another ensemble, or is older than the history ring.
    @discardableResult
    public func install(_ result: RegimeRefitResult) -> Bool {
        let missed = storedCount - result.job.stored
        guard result.job.ensemble == ObjectIdentifier(self), result.job.configuration == configuration, result.models.count == models.count,
              missed >= 0, missed <= store.historyCapacity,
              zip(result.models, models).allSatisfy({ $0.stateCount == $1.stateCount }) else { return false }
        let n = store.historyCapacity
        var scratch = [Double](repeating: 0, count: RegimeProbabilities.capacity)
        scratch.withUnsafeMutableBufferPointer { b in
            for m in result.models {
                for i in 0..<missed { m.update(store.history[(historyHead - missed + i + 2 * n) % n], into: b) }
            }
        }
        models = result.models
        store.replaceModels(result.models)
        if let r = result.realized { installRealized(r.levels, mean: r.mean) }
        return true
    }
}
