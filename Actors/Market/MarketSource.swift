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
