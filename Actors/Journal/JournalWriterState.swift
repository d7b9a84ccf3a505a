import Foundation
import GRDB
import Logging
import Protocols
import Runtime
import Synchronization

/// The queue shared by `Journal.append` (any thread) and the writer thread.
///
/// `append` takes no lock: the engine calls it on its hot path, and a lock shared with the
/// writer thread made the engine sleep whenever the writer was descheduled while holding it
/// (priority inversion: ~55 futex waits a second on the engine's thread in `perf e2e`, each up
/// to a scheduler slice of the writer's CPU). Records go into a lock-free MPSC ring; the
/// counters a producer touches are atomics; the writer wakes on its flush interval (or when
/// `flush`/`shutdown` ask), drains the ring in batches and commits each in one transaction.
///
/// `@unchecked Sendable`: the ring and the atomics are thread-safe; every other mutable field
/// is read and written only while holding `condition` (an NSCondition, i.e. a pthread mutex +
/// condition variable), which only the writer, `flush`, `shutdown` and `snapshot` take; the
/// database is used only by the writer thread (and by `shutdown` after that thread has exited).
final class JournalWriterState: @unchecked Sendable {
    private let path: String
    private let database: DatabaseQueue
    private let configuration: Journal.Configuration
    private let onFailure: (@Sendable (JournalError) -> Void)?
    private let logger = Logger(label: "quantum.journal")
    private let condition = NSCondition()

    /// Records accepted and taken are the ring's own positions: a push that fails claims none,
    /// so `tailPosition` counts the records `append` accepted and `headPosition` those the
    /// writer took.
    private let queue: MPSCRing<JournalRecord>
    /// Records refused (producers).
    private let dropped = Atomic<UInt64>(0)
    /// Largest depth a producer saw after its push.
    private let highWater = Atomic<Int>(0)
    /// False once a write failed or `shutdown` began: `append` refuses.
    private let accepting = Atomic<Bool>(true)
    /// Producers between their `accepting` check and the publication of their record: the
    /// writer stops only when none is, so a record `append` accepted is never left behind.
    private let producers = Atomic<Int>(0)
    /// Set once a write failed (read by `append`'s refusal without taking the lock).
    private let writeFailed = Atomic<Bool>(false)

    private var written: UInt64 = 0
    private var failed: UInt64 = 0
    private var batches: UInt64 = 0
    /// Records taken by the writer and finished (written or failed).
    private var processed: UInt64 = 0
    private var flushWaiters = 0
    private var closing = false
    private var exited = false
    private var databaseClosed = false
    private var error: JournalError?

    init(path: String, database: DatabaseQueue, configuration: Journal.Configuration,
         onFailure: (@Sendable (JournalError) -> Void)?) throws(JournalError) {
        self.path = path
        self.database = database
        self.configuration = configuration
        self.onFailure = onFailure
        do {
            queue = try MPSCRing(capacity: configuration.queueCapacity)
        } catch {
            throw .invalidConfiguration(key: "queue_capacity", value: "\(configuration.queueCapacity)", allowed: "\(error)")
        }
    }

    var isHealthy: Bool { accepting.load(ordering: .acquiring) }

    /// Records queued above which new orders wait (`Journal.acceptsOrders`): three quarters
    /// of the queue, so the records of orders already out (fills, cancels) still fit.
    var orderWatermark: Int { max(1, configuration.queueCapacity * 3 / 4) }

    /// Healthy, open and below ``orderWatermark``: two atomic loads of the ring's positions.
    var acceptsOrders: Bool { isHealthy && queue.count < orderWatermark }
    var failure: JournalError? { locked { error } }

    func snapshot() -> Journal.Counters {
        locked {
            let appended = UInt64(max(0, queue.tailPosition))
            return Journal.Counters(appended: appended, written: written, queued: queue.count,
                                    dropped: dropped.load(ordering: .relaxed), failed: failed,
                                    highWater: highWater.load(ordering: .relaxed), batches: batches)
        }
    }

    /// Enqueues `record` without a lock or a system call; false (counted, logged on the
    /// first drop and every power of two) when the journal failed, is closing, or the
    /// queue is full.
    func append(_ record: JournalRecord) -> Bool {
        // Checked before announcing ourselves, so that once closing, producers refuse without
        // holding up the writer; checked again after (Dekker-style with `shutdown`'s store of
        // `accepting` and the writer's read of `producers`, all sequentially consistent).
        guard accepting.load(ordering: .sequentiallyConsistent) else { return refuse(full: false) }
        producers.add(1, ordering: .sequentiallyConsistent)
        guard accepting.load(ordering: .sequentiallyConsistent) else {
            producers.subtract(1, ordering: .sequentiallyConsistent)
            return refuse(full: false)
        }
        guard queue.push(record) else {
            producers.subtract(1, ordering: .sequentiallyConsistent)
            return refuse(full: true)
        }
        producers.subtract(1, ordering: .sequentiallyConsistent)
        let depth = queue.count
        if depth > highWater.load(ordering: .relaxed) { highWater.max(depth, ordering: .relaxed) }
        return true
    }

    private func refuse(full: Bool) -> Bool {
        let count = dropped.add(1, ordering: .relaxed).newValue
        if count & (count - 1) == 0 {
            let reason = full ? "the queue is full" : (writeFailed.load(ordering: .relaxed) ? "the journal failed" : "the journal is closed")
            logger.warning("journal record dropped", metadata: ["reason": "\(reason)", "dropped": "\(count)", "path": "\(path)"])
        }
        return false
    }

    func flush() throws(JournalError) {
        condition.lock()
        defer { condition.unlock() }
        // Ring positions claimed so far: the writer takes records in position order, so once it
        // has processed that many, every record appended before this call is processed.
        let target = UInt64(max(0, queue.tailPosition))
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
        accepting.store(false, ordering: .sequentiallyConsistent)
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

    /// The writer thread's loop: sleep up to the flush interval (or until asked), then take
    /// the ring's records in batches, each written in one transaction; repeat.
    func run() {
        var batch: [JournalRecord] = []
        batch.reserveCapacity(configuration.batchSize)
        let interval = Double(configuration.flushIntervalMs) / 1000
        while true {
            condition.lock()
            if !closing, flushWaiters == 0 {
                _ = condition.wait(until: Date(timeIntervalSinceNow: interval))
            }
            // Once closing, `accepting` is false: a producer that is not in `append` now will
            // refuse, and one that is finishes before `producers` reads zero. Read before
            // draining, zero means this drain takes every record ever accepted.
            let stopping = closing && producers.load(ordering: .sequentiallyConsistent) == 0
            let waitingForProducers = closing && !stopping
            condition.unlock()
            if waitingForProducers { sched_yield() }
            while true {
                while batch.count < configuration.batchSize, let record = queue.pop() { batch.append(record) }
                if batch.isEmpty { break }
                // After a failure the queue is drained as failed, so flush() returns (and throws).
                let failedAlready = locked { error }
                let outcome: JournalError? = failedAlready ?? write(batch)
                record(outcome: outcome, size: batch.count)
                batch.removeAll(keepingCapacity: true)
            }
            if stopping {
                condition.lock()
                exited = true
                condition.unlock()
                condition.broadcast()
                return
            }
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
            failed += UInt64(size)
            if error == nil {
                error = outcome
                firstFailure = outcome
                writeFailed.store(true, ordering: .relaxed)
                accepting.store(false, ordering: .sequentiallyConsistent)
            }
        } else {
            written += UInt64(size)
            batches += 1
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
