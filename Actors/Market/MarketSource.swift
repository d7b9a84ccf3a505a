/// Where ticks come from. A source runs on a thread of its own (it may block on
/// a socket or sleep to pace a replay) and hands every record it reads to `emit`,
/// or reports an unparseable one through `malformed`.
public protocol MarketSource: AnyObject, Sendable {
    /// Shown in logs and status (e.g. `synthetic`, `csv:/data/ticks.csv`).
    var name: String { get }
    /// The symbols it will produce, when known in advance.
    var symbols: [String] { get }
    /// Reads until the source ends or `shouldStop()` returns true.
    /// - Throws: `MarketError` when the source cannot start (missing file, bad address).
    func run(emit: (RawTick) -> Void, malformed: (String) -> Void, shouldStop: () -> Bool) throws(MarketError)
}

/// A source that can also be polled from another loop — the latency engine's executor —
/// instead of running on a feed thread of its own: no thread, no queue and no hop between
/// cores between the record and the pipeline (the way a market-data handler busy-polls its
/// NIC ring on the trading thread).
public protocol PollableMarketSource: MarketSource {
    /// A cursor over the same records `run` emits, from the beginning, paced from now.
    func makePoller() -> any MarketPoller
}

/// Pacing and records of a polled source. Used from one thread at a time.
public protocol MarketPoller: AnyObject {
    /// Monotonic ns at which the next record is due: 0 when records are not paced (as fast
    /// as possible), nil when the source has ended.
    var nextDue: UInt64? { get }
    /// The next record; call it once `nextDue` has come. `now` is the current monotonic time.
    func next(now: UInt64) -> RawTick
}

/// Errors of market sources, naming the source and what went wrong.
public enum MarketError: Error, Equatable, Sendable, CustomStringConvertible {
    case cannotOpen(source: String, reason: String)
    case invalidSpecification(String)

    public var description: String {
        switch self {
        case .cannotOpen(let source, let reason): return "cannot open feed \(source): \(reason)"
        case .invalidSpecification(let text): return text
        }
    }
}
