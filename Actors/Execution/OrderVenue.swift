import Protocols

/// A fixed-capacity buffer of execution reports owned by the caller: a venue writes into it
/// on `poll` without allocating (the storage is allocated once, at init).
public struct ExecutionReportBuffer: RandomAccessCollection, Sendable {
    private var storage: [ExecutionReport]
    /// Reports held.
    public private(set) var count = 0

    /// An empty buffer that holds at most `capacity` (≥ 1) reports.
    public init(capacity: Int) {
        let placeholder = ExecutionReport(orderID: 0, symbol: 0, side: .buy, status: .new, cumulativeQuantity: 0,
                                          leavesQuantity: 0, timeNanos: 0)
        storage = [ExecutionReport](repeating: placeholder, count: Swift.max(1, capacity))
    }

    /// Most reports the buffer holds.
    public var capacity: Int { storage.count }
    /// Whether another report fits.
    public var isFull: Bool { count == storage.count }
    public var startIndex: Int { 0 }
    public var endIndex: Int { count }
    public subscript(position: Int) -> ExecutionReport { storage[position] }

    /// Appends a report; `false` (and nothing stored) when full.
    @discardableResult
    public mutating func append(_ report: ExecutionReport) -> Bool {
        guard count < storage.count else { return false }
        storage[count] = report
        count += 1
        return true
    }

    /// Empties the buffer, keeping its storage.
    public mutating func removeAll() { count = 0 }
}

/// Where orders go: a paper venue in simulation (the default), an exchange adapter live.
///
/// The protocol is allocation-free by design: a submit or cancel answers with one report by
/// value, and later reports (ack, fills, venue rejects) are written by `poll` into a buffer
/// the caller owns. No clock inside: every call carries `now` (monotonic ns).
public protocol OrderVenue {
    /// Takes an order. Returns its first report: `.new` when accepted (more reports follow
    /// from `poll`), `.rejected` with a reason when refused at once.
    mutating func submit(_ order: OrderRequest, now: UInt64) -> ExecutionReport

    /// Cancels an open order. Returns its `.cancelled` report, or nil when the order is
    /// unknown or already terminal (nothing to cancel).
    mutating func cancel(orderID: UInt64, now: UInt64) -> ExecutionReport?

    /// Appends the reports due at or before `now` (acks, partial and full fills, venue
    /// rejects) to `reports` until it is full; what does not fit stays due for the next
    /// poll. Returns the number appended.
    mutating func poll(now: UInt64, into reports: inout ExecutionReportBuffer) -> Int

    /// The latest price of a symbol, used by paper venues to fill.
    mutating func mark(symbol: Int32, price: Double)
}
