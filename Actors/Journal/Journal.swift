// The durable journal: SQLite (GRDB) in WAL mode, written by one dedicated thread in batched
// transactions, so the hot path only enqueues.

import Foundation
import GRDB
import Logging
import Protocols

/// A durable record of decisions, orders, execution reports, alerts and model swaps.
///
/// `append` never waits for I/O or a lock: it puts the record in a bounded lock-free queue
/// and returns; the writer thread commits up to `batchSize` records per transaction,
/// at the latest `flushIntervalMs` after they were queued. A full queue drops the record and
/// counts it (`dropped`, logged); a failed write marks the journal unhealthy, calls the
/// failure handler once, and every later `append` returns `false` — the engine must then
/// raise a critical alert and stop sending orders.
public final class Journal: Sendable {
    /// SQLite's `synchronous` pragma: `normal` survives a process crash (WAL), `full` also a
    /// power loss, `off` neither.
    public enum Synchronous: String, Sendable, Codable, CaseIterable { case off, normal, full }

    /// Writer settings (config section `journal:`).
    public struct Configuration: Sendable, Equatable {
        public var synchronous: Synchronous
        /// Records per transaction at most (`journal.batch_size`).
        public var batchSize: Int
        /// Longest a record waits for its commit, ms (`journal.flush_interval_ms`).
        public var flushIntervalMs: Int
        /// Records queued at most before `append` drops (`journal.queue_capacity`).
        public var queueCapacity: Int
        /// SQLite `max_page_count` cap (pages of 4 KiB), nil = unlimited. A full database
        /// fails writes like a full disk does.
        public var maxPageCount: Int?
        /// Names for the `symbol` column; without it the column holds `#<index>`.
        public var symbols: SymbolTable?

        public init(synchronous: Synchronous = .normal, batchSize: Int = 2048, flushIntervalMs: Int = 50,
                    queueCapacity: Int = 65_536, maxPageCount: Int? = nil, symbols: SymbolTable? = nil) {
            self.synchronous = synchronous
            self.batchSize = batchSize
            self.flushIntervalMs = flushIntervalMs
            self.queueCapacity = queueCapacity
            self.maxPageCount = maxPageCount
            self.symbols = symbols
        }

        /// - Throws: `JournalError.invalidConfiguration` naming the key.
        public func validate() throws(JournalError) {
            guard (1...100_000).contains(batchSize) else {
                throw .invalidConfiguration(key: "batch_size", value: "\(batchSize)", allowed: "1...100000")
            }
            guard (1...60_000).contains(flushIntervalMs) else {
                throw .invalidConfiguration(key: "flush_interval_ms", value: "\(flushIntervalMs)", allowed: "1...60000")
            }
            guard (1...10_000_000).contains(queueCapacity) else {
                throw .invalidConfiguration(key: "queue_capacity", value: "\(queueCapacity)", allowed: "1...10000000")
            }
            if let maxPageCount, maxPageCount < 1 {
                throw .invalidConfiguration(key: "max_page_count", value: "\(maxPageCount)", allowed: "at least 1")
            }
        }
    }

    /// What the journal has done so far.
    public struct Counters: Sendable, Equatable, Codable {
        /// Records accepted by `append`.
        public var appended: UInt64 = 0
        /// Records committed to the file.
        public var written: UInt64 = 0
        /// Records waiting in the queue now.
        public var queued: Int = 0
        /// Records refused by `append` (queue full, journal closed or unhealthy).
        public var dropped: UInt64 = 0
        /// Records lost in a failed write.
        public var failed: UInt64 = 0
        /// Largest queue depth seen.
        public var highWater: Int = 0
        /// Transactions committed.
        public var batches: UInt64 = 0
    }

    /// The SQLite file.
    public let path: String
    /// The settings in force.
    public let configuration: Configuration
    private let state: JournalWriterState

    /// Opens (or creates) the journal at `path` and starts its writer thread.
    /// - Parameter onFailure: called once, on the writer thread, when a write fails. It must not
    ///   call `flush` or `close` (they wait for that thread); raise the alert and return.
    /// - Throws: `JournalError.cannotOpen` when the file cannot be created or written,
    ///   `JournalError.invalidConfiguration` for a bad setting.
    public init(path: String, configuration: Configuration = .init(),
                onFailure: (@Sendable (JournalError) -> Void)? = nil) throws(JournalError) {
        try configuration.validate()
        self.path = path
        self.configuration = configuration
        let database = try Self.open(path: path, configuration: configuration)
        state = try JournalWriterState(path: path, database: database, configuration: configuration, onFailure: onFailure)
        let state = self.state
        let thread = Thread { state.run() }
        thread.name = "journal-writer"
        thread.start()
    }

    deinit {
        state.shutdown()
    }

    /// Queues a record for writing; never waits for I/O.
    /// - Returns: `false` when the record was dropped (queue full, journal closed or unhealthy).
    @discardableResult
    public func append(_ record: JournalRecord) -> Bool { state.append(record) }

    /// Waits until every record appended before this call is committed.
    /// - Throws: `JournalError.writeFailed` when the journal failed, `.closed` when closed first.
    public func flush() throws(JournalError) { try state.flush() }

    /// Writes what is queued, stops the writer thread and closes the file. Idempotent.
    /// - Throws: `JournalError.writeFailed` when the last records could not be written.
    public func close() throws(JournalError) {
        state.shutdown()
        if let error = state.failure { throw error }
    }

    /// False once a write has failed (or the journal is closed).
    public var isHealthy: Bool { state.isHealthy }
    /// Whether a new order may go out: healthy, and the writer is not so far behind that its
    /// queue is three quarters full. Above that, new orders are refused until the writer
    /// catches up rather than risk sending one whose record a full queue would drop (the
    /// remaining quarter is for the reports of orders already out). Checked before every
    /// order; costs two atomic loads.
    public var acceptsOrders: Bool { state.acceptsOrders }
    /// The failure that made the journal unhealthy, if any.
    public var lastError: JournalError? { state.failure }
    /// Counters, read consistently.
    public var counters: Counters { state.snapshot() }

    private static func open(path: String, configuration: Configuration) throws(JournalError) -> DatabaseQueue {
        let url = URL(fileURLWithPath: path)
        let directory = url.deletingLastPathComponent().path
        var isDirectory: ObjCBool = false
        if !FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory) {
            throw .cannotOpen(path: path, reason: "directory \(directory) does not exist")
        }
        if !isDirectory.boolValue { throw .cannotOpen(path: path, reason: "\(directory) is not a directory") }
        if access(directory, W_OK) != 0 {
            throw .cannotOpen(path: path, reason: "directory \(directory) is not writable (\(String(cString: strerror(errno))))")
        }
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue {
            throw .cannotOpen(path: path, reason: "it is a directory")
        }
        var config = GRDB.Configuration()
        config.journalMode = .wal
        config.label = "journal"
        config.busyMode = .timeout(5)
        let synchronous = configuration.synchronous.rawValue.uppercased()
        let maxPages = configuration.maxPageCount
        config.prepareDatabase { db in
            try db.execute(sql: "PRAGMA synchronous = \(synchronous)")
            if let maxPages { _ = try Int.fetchOne(db, sql: "PRAGMA max_page_count = \(maxPages)") }
        }
        do {
            let queue = try DatabaseQueue(path: path, configuration: config)
            try queue.write { db in try JournalSchema.migrate(db, path: path) }
            return queue
        } catch let error as JournalError {
            throw error
        } catch {
            throw .cannotOpen(path: path, reason: "\(error)")
        }
    }
}
