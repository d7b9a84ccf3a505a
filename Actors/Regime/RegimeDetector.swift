// The regime module's actor: a thin SupervisedActor shell over RegimeBook. Ticks arrive on its
// channel; each produces a RegimeSignal for its symbol, handed to the downstream callback.
// Refits run on a background refitter and are installed between two ticks, so no tick waits
// for a fit.

import Runtime
import Synchronization

/// A message of the ``RegimeDetector`` actor.
public enum RegimeMessage: Sendable {
    /// One return of `symbol` (a non-finite value is counted and ignored).
    case observation(symbol: String, value: Double)
    /// Installs the refits that finished (also done at the start of every observation).
    case installRefits
    /// Forgets `symbol`'s state (its next observation starts a fresh ensemble).
    case forget(symbol: String)
}

/// What the actor emits per observation: the symbol and its ensemble signal.
public struct RegimeUpdate: Sendable, Equatable {
    public var symbol: String
    public var signal: RegimeSignal
    public init(symbol: String, signal: RegimeSignal) { self.symbol = symbol; self.signal = signal }
}

/// Runs refit jobs somewhere other than the actor's executor and hands each result to `done`
/// (from any thread). ``RegimeDetector/backgroundRefitter`` uses a detached task; tests pass
/// one that runs inline for determinism.
public typealias RegimeRefitter = @Sendable (_ job: RegimeRefitJob, _ done: @escaping @Sendable (RegimeRefitResult) -> Void) -> Void

/// Finished refits waiting for the actor: written by the refitter's thread, drained by the actor.
final class RegimeRefitInbox: Sendable {
    private let pending = Mutex<[(symbol: String, result: RegimeRefitResult)]>([])
    private let count = Atomic<Int>(0)

    func post(_ symbol: String, _ result: RegimeRefitResult) {
        pending.withLock { $0.append((symbol, result)) }
        count.add(1, ordering: .releasing)
    }

    /// The finished refits (empty without taking the lock when there are none).
    func take() -> [(symbol: String, result: RegimeRefitResult)] {
        guard count.load(ordering: .acquiring) > 0 else { return [] }
        let taken = pending.withLock { list -> [(symbol: String, result: RegimeRefitResult)] in
            let all = list
            list.removeAll()
            return all
        }
        count.subtract(taken.count, ordering: .releasing)
        return taken
    }
}

/// Per-symbol regime detection as a supervised actor. Owns a ``RegimeBook``; for every
/// observation it updates the symbol's ensemble and calls `emit` with the signal. When a refit is
/// due it hands a ``RegimeRefitJob`` to the refitter and keeps ticking on the current detectors;
/// the fitted detectors are installed before the next observation after they are ready.
public actor RegimeDetector: SupervisedActor {
    public typealias Message = RegimeMessage

    /// What a restart restores: the recent observations of every symbol, replayed (with
    /// synchronous refits, off the hot path) into fresh ensembles.
    public struct Snapshot: Sendable {
        public var recent: [String: [Double]]
    }

    /// Counters for the inspector.
    public struct Counters: Sendable, Equatable {
        public var observations = 0
        public var nonFinite = 0
        public var refitsStarted = 0
        public var refitsInstalled = 0
        public var refitsDiscarded = 0
    }

    /// One symbol's state, for the control plane.
    public struct SymbolStatus: Sendable, Equatable {
        /// Observations seen.
        public var tick: Int
        /// Detectors fitted so far, by name.
        public var fitted: [String]
        /// The last signal emitted.
        public var lastSignal: RegimeSignal
    }

    nonisolated public let executor: any ActorExecutor
    nonisolated public var unownedExecutor: UnownedSerialExecutor { executor.asUnownedSerialExecutor() }

    /// The per-symbol ensembles.
    public private(set) var book: RegimeBook
    public private(set) var counters = Counters()
    private let emit: @Sendable (RegimeUpdate) -> Void
    private let refitter: RegimeRefitter
    private let inbox = RegimeRefitInbox()
    private var refitting: Set<String> = []

    /// - Parameters:
    ///   - executor: the executor `ActorSystem.spawn` gives.
    ///   - configuration: of every symbol's ensemble, validated before spawning
    ///     (`try RegimeEnsembleConfiguration().validated()`).
    ///   - refitter: where fits run (default: ``backgroundRefitter``).
    ///   - emit: downstream for every signal, e.g. `{ channel.send($0) }`.
    public init(executor: any ActorExecutor, configuration: RegimeEnsembleConfiguration.Validated,
                refitter: @escaping RegimeRefitter = RegimeDetector.backgroundRefitter,
                emit: @escaping @Sendable (RegimeUpdate) -> Void) {
        self.executor = executor
        self.book = RegimeBook(configuration)
        self.refitter = refitter
        self.emit = emit
    }

    /// Fits on a detached background task (the cooperative pool, never the actor's executor).
    public static let backgroundRefitter: RegimeRefitter = { job, done in
        Task.detached(priority: .utility) { done(RegimeRefitResult.fit(job)) }
    }

    public func receive(_ message: RegimeMessage) {
        installFinishedRefits()
        switch message {
        case let .observation(symbol, value):
            guard value.isFinite else { counters.nonFinite += 1; return }
            counters.observations += 1
            let (signal, refitDue) = book.update(symbol: symbol, observation: value)
            emit(RegimeUpdate(symbol: symbol, signal: signal))
            if refitDue { startRefit(symbol) }
        case .installRefits:
            break
        case let .forget(symbol):
            book.remove(symbol: symbol)
            refitting.remove(symbol)
        }
    }

    private func startRefit(_ symbol: String) {
        // One refit per symbol at a time; a due refit while one runs is skipped (the next is due later).
        guard !refitting.contains(symbol) else { return }
        refitting.insert(symbol)
        counters.refitsStarted += 1
        let job = book.ensemble(for: symbol).makeRefitJob()
        let inbox = inbox
        refitter(job) { result in inbox.post(symbol, result) }
    }

    private func installFinishedRefits() {
        for (symbol, result) in inbox.take() {
            refitting.remove(symbol)
            guard let e = book.ensembles[symbol], e.install(result) else { counters.refitsDiscarded += 1; continue }
            counters.refitsInstalled += 1
        }
    }

    /// Symbols with state, sorted.
    public var symbols: [String] { book.ensembles.keys.sorted() }

    /// `symbol`'s state, or nil if it has none.
    public func status(of symbol: String) -> SymbolStatus? {
        guard let e = book.ensembles[symbol] else { return nil }
        return SymbolStatus(tick: e.tick, fitted: e.models.filter(\.isFitted).map(\.name), lastSignal: e.lastSignal)
    }

    public func snapshot() -> Snapshot {
        Snapshot(recent: book.ensembles.mapValues(\.recentObservations))
    }

    public func restore(from snapshot: Snapshot) {
        let fresh = RegimeBook(RegimeEnsembleConfiguration.Validated(value: book.configuration))
        for (symbol, values) in snapshot.recent {
            let e = fresh.ensemble(for: symbol)
            for v in values {
                e.update(v)
                if e.refitDue { e.refit() }
            }
        }
        book = fresh
        refitting.removeAll()
        _ = inbox.take()
    }
}
