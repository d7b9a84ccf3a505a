import Foundation
import Protocols
import Synchronization
import Testing
@testable import Journal

@Suite struct JournalFailureTests {
    @Test func unwritablePathsFailToOpenWithATypedError() throws {
        let dir = try TempDir()
        defer { dir.cleanup() }
        // Tests run as root, so permissions do not stop us: use paths no one can create.
        let file = dir.path("plain-file")
        try Data(String(repeating: "this is not a SQLite database\n", count: 200).utf8).write(to: URL(fileURLWithPath: file))
        do {
            _ = try Journal(path: file + "/journal.sqlite")  // a file where a directory is expected
            Issue.record("opened a journal under a regular file")
        } catch {
            guard case let .cannotOpen(path, reason) = error else { Issue.record("wrong error \(error)"); return }
            #expect(path == file + "/journal.sqlite")
            #expect(reason.contains("not a directory"))
        }
        #expect(throws: JournalError.cannotOpen(path: dir.path("missing/j.sqlite"),
                                                reason: "directory \(dir.path("missing")) does not exist")) {
            try Journal(path: dir.path("missing/j.sqlite"))
        }
        #expect(throws: JournalError.cannotOpen(path: dir.url.path, reason: "it is a directory")) {
            try Journal(path: dir.url.path)
        }
        // Not a SQLite database.
        do {
            _ = try Journal(path: file)
            Issue.record("opened a text file as a journal")
        } catch {
            guard case .cannotOpen = error else { Issue.record("wrong error \(error)"); return }
        }
        // /proc is read-only even for root.
        #expect(throws: JournalError.self) { try Journal(path: "/proc/quantum-agent-journal.sqlite") }
        #expect(throws: JournalError.notFound(path: dir.path("none.sqlite"))) { try JournalReader(path: dir.path("none.sqlite")) }
        #expect(throws: JournalError.invalidConfiguration(key: "batch_size", value: "0", allowed: "1...100000")) {
            try Journal(path: dir.path("cfg.sqlite"), configuration: .init(batchSize: 0))
        }
    }

    @Test func aFailedWriteMarksTheJournalUnhealthyAndCallsTheHandlerOnce() throws {
        let dir = try TempDir()
        defer { dir.cleanup() }
        let calls = Mutex<[JournalError]>([])
        // A database capped at a few pages fails like a full disk (SQLITE_FULL).
        let journal = try Journal(path: dir.path("full.sqlite"), configuration: .init(batchSize: 100, maxPageCount: 8)) { error in
            calls.withLock { $0.append(error) }
        }
        #expect(journal.isHealthy)
        let message = String(repeating: "x", count: 2_000)
        // The writer may fail while the loop still appends (it flushes by batch on its own
        // thread); appends after the failure are refused and counted as dropped.
        var refused = 0
        for i in 0..<200 where !journal.append(.alert(kind: "fill", severity: "info", message: message, timeNanos: UInt64(i))) {
            refused += 1
        }
        #expect(throws: JournalError.self) { try journal.flush() }
        #expect(!journal.isHealthy)
        guard case let .writeFailed(path, reason) = journal.lastError else {
            Issue.record("expected writeFailed, got \(String(describing: journal.lastError))")
            return
        }
        #expect(path == dir.path("full.sqlite"))
        #expect(reason.contains("full"))
        #expect(calls.withLock { $0.count } == 1)
        // Appends are now refused and counted, never silently lost.
        let accepted = journal.append(.alert(kind: "after", severity: "info", message: "", timeNanos: 0))
        #expect(!accepted)
        let c = journal.counters
        #expect(c.failed > 0)
        #expect(c.dropped == refused + 1, "every refused append is counted")
        #expect(c.written + c.failed == c.appended)
        #expect(throws: JournalError.self) { try journal.close() }
    }

    @Test func newOrdersWaitOnceTheQueueIsThreeQuartersFull() throws {
        let dir = try TempDir()
        defer { dir.cleanup() }
        // Capacity 8 and a long flush interval: the writer is asleep while we append.
        let journal = try Journal(path: dir.path("w.sqlite"),
                                  configuration: .init(batchSize: 1_000, flushIntervalMs: 60_000, queueCapacity: 8))
        var acceptsOrders: [Bool] = []
        for i in 0..<8 {
            acceptsOrders.append(journal.acceptsOrders)
            #expect(journal.append(.alert(kind: "k", severity: "info", message: "", timeNanos: UInt64(i))))
        }
        // Six queued (three quarters of 8) and above: no new order; the queue still has room
        // for the reports of orders already out.
        #expect(acceptsOrders == [true, true, true, true, true, true, false, false])
        #expect(!journal.acceptsOrders && journal.isHealthy)
        try journal.flush()
        #expect(journal.acceptsOrders)
        try journal.close()
        #expect(!journal.acceptsOrders)
    }

    @Test func aFullQueueDropsAndCountsInsteadOfBlocking() throws {
        let dir = try TempDir()
        defer { dir.cleanup() }
        // Capacity 4 and a long flush interval: the writer is asleep while we append.
        let journal = try Journal(path: dir.path("q.sqlite"),
                                  configuration: .init(batchSize: 1_000, flushIntervalMs: 60_000, queueCapacity: 4))
        var accepted = 0
        for i in 0..<10 where journal.append(.alert(kind: "k", severity: "info", message: "", timeNanos: UInt64(i))) {
            accepted += 1
        }
        #expect(accepted == 4)
        let c = journal.counters
        #expect(c.dropped == 6 && c.queued == 4 && c.highWater == 4)
        try journal.flush()
        #expect(journal.counters.written == 4)
        try journal.close()
        #expect(!journal.append(.alert(kind: "k", severity: "info", message: "", timeNanos: 0)))  // closed
    }
}
