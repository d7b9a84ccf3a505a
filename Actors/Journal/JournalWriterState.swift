import Foundation
import GRDB
import Logging
import Protocols

/// The queue shared by `Journal.append` (any thread) and the writer thread.
///
/// `@unchecked Sendable`: every mutable field is read and written only while holding
/// `condition` (an NSCondition, i.e. a pthread mutex + condition variable); the database is
/// used only by the writer thread (and by `shutdown` after that thread has exited).
final class JournalWriterState: @unchecked Sendable {
    private let path: String
    private let database: DatabaseQueue
    private let configuration: Journal.Configuration
    private let onFailure: (@Sendable (JournalError) -> Void)?
    private let logger = Logger(label: "quantum.journal")
    private let condition = NSCondition()

    private var ring: [JournalRecord?]
    private var head = 0
    private var count = 0
    private var counters = Journal.Counters()
    /// Records taken by the writer and finished (written or failed).
    private var processed: UInt64 = 0
    private var flushWaiters = 0
    private var closing = false
    private var exited = false
    private var databaseClosed = false
    private var error: JournalError?

    init(path: String, database: DatabaseQueue, configuration: Journal.Configuration,
         onFailure: (@Sendable (JournalError) -> Void)?) {
        self.path = path
        self.database = database
        self.configuration = configuration
        self.onFailure = onFailure
        ring = [JournalRecord?](repeating: nil, count: configuration.queueCapacity)
    }

    var isHealthy: Bool { locked { error == nil && !closing } }
    var failure: JournalError? { locked { error } }

    func snapshot() -> Journal.Counters {
        locked {
            var c = counters
            c.queued = count
            return c
        }
    }

    func append(_ record: JournalRecord) -> Bool {
        condition.lock()
        guard error == nil, !closing, count < ring.count else {
            counters.dropped += 1
            let dropped = counters.dropped
            let reason = error != nil ? "the journal failed" : closing ? "the journal is closed" : "the queue is full"
            condition.unlock()
            // Never silent: log the first drop and then every power of two.
            if dropped & (dropped - 1) == 0 {
                logger.warning("journal record dropped", metadata: ["reason": "\(reason)", "dropped": "\(dropped)", "path": "\(path)"])
            }
            return false
        }
        ring[(head + count) % ring.count] = record
        count += 1
        counters.appended += 1
        if count > counters.highWater { counters.highWater = count }
        let wake = count == configuration.batchSize
        condition.unlock()
        if wake { condition.broadcast() }
        return true
    }

    func flush() throws(JournalError) {
        condition.lock()
        defer { condition.unlock() }
        let target = counters.appended
        flushWaiters += 1
        defer { flushWaiters -= 1 }
        condition.broadcast()
        while processed < target, !exited { condition.wait() }
        if let error { throw error }
        if processed < target { throw JournalError.closed(path: path) }
    }

    /// Asks the writer to drain and stop, waits for it, closes the database. Idempotent.
    func shutdown() {
        condition.lock()
        closing = true
        condition.broadcast()
        while !exited { condition.wait() }
        let mustClose = !databaseClosed
        databaseClosed = true
        condition.unlock()
        guard mustClose else { return }
        do {
            try database.close()
        } catch {
            logger.error("closing the journal failed", metadata: ["path": "\(path)", "error": "\(error)"])
        }
    }

    /// The writer thread's loop: take a batch, write it in one transaction, repeat.
    func run() {
        var batch: [JournalRecord] = []
        batch.reserveCapacity(configuration.batchSize)
        let interval = Double(configuration.flushIntervalMs) / 1000
        while true {
            condition.lock()
            if count < configuration.batchSize, !closing, flushWaiters == 0 || count == 0 {
                _ = condition.wait(until: Date(timeIntervalSinceNow: interval))
            }
            if count == 0, closing {
                exited = true
                condition.unlock()
                condition.broadcast()
                return
            }
            let take = min(count, configuration.batchSize)
            for _ in 0..<take {
                if let record = ring[head] { batch.append(record) }
                ring[head] = nil
                head = (head + 1) % ring.count
            }
            count -= take
            let failedAlready = error != nil
            condition.unlock()
            if take == 0 { continue }
            // After a failure the queue is drained as failed, so flush() returns (and throws).
            let outcome: JournalError? = failedAlready ? failure : write(batch)
            record(outcome: outcome, size: take)
            batch.removeAll(keepingCapacity: true)
        }
    }

    private func write(_ batch: [JournalRecord]) -> JournalError? {
        let wallMs = Int64((Date().timeIntervalSince1970 * 1000).rounded())
        let symbols = configuration.symbols
        do {
            try database.write { db in
                let statement = try db.cachedStatement(sql: JournalSchema.insert)
                for record in batch {
                    let values = JournalSchema.values(record, wallTimeMs: wallMs, symbols: symbols)
                    try statement.execute(arguments: StatementArguments(values))
                }
            }
            return nil
        } catch {
            return JournalError.writeFailed(path: path, reason: "\(error)")
        }
    }

    private func record(outcome: JournalError?, size: Int) {
        condition.lock()
        var firstFailure: JournalError?
        if let outcome {
            counters.failed += UInt64(size)
            if error == nil {
                error = outcome
                firstFailure = outcome
            }
        } else {
            counters.written += UInt64(size)
            counters.batches += 1
        }
        processed += UInt64(size)
        condition.unlock()
        condition.broadcast()
        if let firstFailure {
            logger.critical("journal write failed: new orders must stop", metadata: ["path": "\(path)", "error": "\(firstFailure)"])
            onFailure?(firstFailure)
        }
    }

    private func locked<T>(_ body: () -> T) -> T {
        condition.lock()
        defer { condition.unlock() }
        return body()
    }
}
