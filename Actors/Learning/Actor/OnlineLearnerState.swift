// The whole state of an `OnlineLearner` as a value: the managed model, the features
// waiting for their labels, the labelled examples waiting to be learned, and counters.
// The actor's snapshot is a copy of it (copy-on-write: O(1) to take), so a restart
// after a failed message resumes from the last snapshot without re-encoding anything.

/// Features of one row waiting for the label that arrives a horizon later.
struct PendingRow: Sendable, Equatable {
    var time: UInt64
    var features: [Double]
    var regime: String?
}

/// A labelled example waiting to be learned.
struct LabelledRow: Sendable, Equatable {
    var features: [Double]
    var label: Bool
    /// Event time of the label's features (ns).
    var time: UInt64
    var regime: String?
}

/// FIFO of a symbol's pending rows, in event-time order (head index, compacted lazily).
struct PendingQueue: Sendable, Equatable {
    private var rows: [PendingRow] = []
    private var head = 0

    var count: Int { rows.count - head }
    var oldest: PendingRow? { head < rows.count ? rows[head] : nil }

    mutating func append(_ row: PendingRow) { rows.append(row) }

    @discardableResult
    mutating func removeOldest() -> PendingRow? {
        guard head < rows.count else { return nil }
        let row = rows[head]
        head += 1
        if head >= 64 && head * 2 >= rows.count {
            rows.removeFirst(head)
            head = 0
        }
        return row
    }
}

/// Counters of what the learner did (read with `OnlineLearner.status()`).
public struct OnlineLearnerCounters: Sendable, Equatable, Codable {
    public var predictions = 0
    public var labels = 0
    public var learned = 0
    /// Messages refused (wrong feature count, NaN, label without pending features).
    public var rejected = 0
    /// Pending features dropped without a label (expired, or over the per-symbol bound).
    public var expired = 0
    /// Labels with a forward return of exactly 0 (nothing learned).
    public var zeroReturns = 0
    /// Examples learned while messages were waiting (backlog over its bound).
    public var forcedLearns = 0
    public var saves = 0
    public var saveFailures = 0
    public var rollbacks = 0
}

/// The learner's state.
public struct OnlineLearnerState: Sendable {
    public internal(set) var manager: ModelManager
    var pending: [String: PendingQueue] = [:]
    var backlog: [LabelledRow] = []
    var backlogHead = 0
    var regime: String?
    /// Latest event time seen in a `features` message (ns).
    var lastEventTime: UInt64 = 0
    var sinceSave = 0
    public internal(set) var counters = OnlineLearnerCounters()

    init(manager: ModelManager) { self.manager = manager }

    var backlogCount: Int { backlog.count - backlogHead }
    var pendingCount: Int { pending.values.reduce(0) { $0 + $1.count } }

    mutating func enqueue(_ row: LabelledRow) { backlog.append(row) }

    mutating func dequeue() -> LabelledRow? {
        guard backlogHead < backlog.count else { return nil }
        let row = backlog[backlogHead]
        backlogHead += 1
        if backlogHead == backlog.count {
            backlog.removeAll(keepingCapacity: true)
            backlogHead = 0
        } else if backlogHead >= 1024 && backlogHead * 2 >= backlog.count {
            backlog.removeFirst(backlogHead)
            backlogHead = 0
        }
        return row
    }
}

/// What `OnlineLearner.status()` reports.
public struct OnlineLearnerStatus: Sendable, Equatable {
    public var counters: OnlineLearnerCounters
    public var modelVersion: Int
    public var versions: [ModelVersion]
    public var samples: Int
    public var pending: Int
    public var backlog: Int
    public var regime: String?
    public var storedRegimes: [String]
    /// Why the state file was not used at start, if it was not.
    public var loadError: OnlineLearnerError?
    public var lastError: OnlineLearnerError?
}
