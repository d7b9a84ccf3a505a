// The ensemble's hot-path state in raw blocks: arrays stored in a class are checked for exclusive
// access and uniqueness on every write, which cost more than the arithmetic (perf showed ~25 % of
// a tick in swift_beginAccess and retain/release).

/// Raw, fixed-size storage of one ``RegimeEnsemble``. Allocated once at init, freed at deinit;
/// touched only by the ensemble (which is not Sendable: one owner thread).
final class RegimeEnsembleStorage {
    let modelCount, voterCount, states, realizedWindow, historyCapacity: Int
    /// Detector probabilities, modelCount × capacity.
    let probs: UnsafeMutablePointer<Double>
    let weights, agreement: UnsafeMutablePointer<Double>
    /// The last `historyCapacity` finite observations (ring).
    let history: UnsafeMutablePointer<Double>
    let lastArgmax, lastSwitchTick, stateCounts: UnsafeMutablePointer<Int>
    /// Voters' most probable states of the last `realizedWindow` ticks, ring × voters.
    let pastVotes: UnsafeMutablePointer<Int>
    /// Indices of the voters among the models.
    let voters: UnsafeMutablePointer<Int>
    /// The detectors, retained here so the hot loop calls them without retain/release.
    let models: UnsafeMutablePointer<any RegimeModel>

    init(models ms: [any RegimeModel], voters vs: [Int], states k: Int, realizedWindow w: Int, historyCapacity h: Int) {
        modelCount = ms.count; voterCount = vs.count; states = k; realizedWindow = w; historyCapacity = h
        let cap = RegimeProbabilities.capacity
        func doubles(_ n: Int, _ v: Double) -> UnsafeMutablePointer<Double> {
            let p = UnsafeMutablePointer<Double>.allocate(capacity: max(n, 1)); p.initialize(repeating: v, count: max(n, 1)); return p
        }
        func ints(_ n: Int, _ v: Int) -> UnsafeMutablePointer<Int> {
            let p = UnsafeMutablePointer<Int>.allocate(capacity: max(n, 1)); p.initialize(repeating: v, count: max(n, 1)); return p
        }
        probs = doubles(ms.count * cap, 0)
        weights = doubles(vs.count, 1)
        // Prior agreement 1/2: every voter starts with the same weight ln(K − 1).
        agreement = doubles(vs.count, 0.5)
        history = doubles(h, 0)
        lastArgmax = ints(ms.count, -1)
        lastSwitchTick = ints(ms.count, 0)
        stateCounts = ints(ms.count, 0)
        for (i, m) in ms.enumerated() { stateCounts[i] = m.stateCount }
        pastVotes = ints(w * vs.count, 0)
        voters = ints(vs.count, 0)
        for (i, v) in vs.enumerated() { voters[i] = v }
        models = .allocate(capacity: max(ms.count, 1))
        models.initialize(from: ms, count: ms.count)
    }

    /// Replaces the detectors (same count and state counts, checked by the caller).
    func replaceModels(_ ms: [any RegimeModel]) {
        for (i, m) in ms.enumerated() { models[i] = m }
    }

    deinit {
        models.deinitialize(count: modelCount)
        models.deallocate()
        for p in [probs, weights, agreement, history] { p.deallocate() }
        for p in [lastArgmax, lastSwitchTick, stateCounts, pastVotes, voters] { p.deallocate() }
    }
}
