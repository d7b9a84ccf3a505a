import Foundation
import Protocols
import Synchronization
import Testing
@testable import Journal

/// A fresh temporary directory, removed by `cleanup()`.
struct TempDir {
    let url: URL
    init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("journal-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }
    func path(_ name: String) -> String { url.appendingPathComponent(name).path }
    func cleanup() { try? FileManager.default.removeItem(at: url) }
}

func sampleRecords(orders: Int) -> [JournalRecord] {
    var records: [JournalRecord] = []
    for i in 0..<orders {
        let id = UInt64(i + 1)
        records.append(.decision(TradeDecision(id: id, symbol: Int32(i % 2), regime: 1, probabilityUp: 0.6, confidence: 0.8,
                                               targetPosition: 1, currentPosition: 0, modelVersion: 3,
                                               ingressNanos: UInt64(i) * 10, decidedNanos: UInt64(i) * 10 + 1)))
        records.append(.order(OrderRequest(id: id, decisionID: id, symbol: Int32(i % 2), side: i % 2 == 0 ? .buy : .sell,
                                           quantity: 1.5, limitPrice: 100.25, ingressNanos: UInt64(i) * 10,
                                           createdNanos: UInt64(i) * 10 + 2)))
        records.append(.execution(ExecutionReport(orderID: id, symbol: Int32(i % 2), side: .buy, status: .filled,
                                                  lastQuantity: 1.5, lastPrice: 100.3, cumulativeQuantity: 1.5,
                                                  leavesQuantity: 0, timeNanos: UInt64(i) * 10 + 3)))
    }
    return records
}

@Suite struct JournalTests {
    @Test func recordsOfEveryKindAreWrittenAndReadBackWithTheirFields() throws {
        let dir = try TempDir()
        defer { dir.cleanup() }
        let path = dir.path("j.sqlite")
        let journal = try Journal(path: path, configuration: .init(symbols: SymbolTable(["BTC-USD", "ETH-USD"])))
        for r in sampleRecords(orders: 2) { #expect(journal.append(r)) }
        #expect(journal.append(.alert(kind: "var_breach", severity: "critical", message: "VaR 3.5% > 2%, \"quoted\"", timeNanos: 99)))
        #expect(journal.append(.modelSwap(id: "m-4", parent: "m-3", reason: "ADWIN drift", timeNanos: 100)))
        try journal.flush()
        #expect(journal.counters.written == 8 && journal.counters.queued == 0 && journal.counters.dropped == 0)
        try journal.close()
        #expect(!journal.isHealthy)

        let reader = try JournalReader(path: path)
        #expect(try reader.count() == 8)
        #expect(try reader.count(kind: .order) == 2)
        let rows = try reader.tail(100)
        #expect(rows.map(\.kind) == ["decision", "order", "execution", "decision", "order", "execution", "alert", "model_swap"])
        let order = rows[4]
        #expect(order.orderId == 2 && order.decisionId == 2 && order.symbol == "ETH-USD" && order.side == "sell")
        #expect(order.quantity == 1.5 && order.price == 100.25 && order.timeNs == 12 && order.ingressNs == 10)
        let decision = rows[0]
        #expect(decision.probabilityUp == 0.6 && decision.modelVersion == 3 && decision.regime == 1 && decision.orderId == nil)
        let fill = rows[2]
        #expect(fill.status == "filled" && fill.cumQuantity == 1.5 && fill.leavesQuantity == 0 && fill.reason == nil)
        #expect(rows[6].alertKind == "var_breach" && rows[6].severity == "critical")
        #expect(rows[7].modelId == "m-4" && rows[7].parentModelId == "m-3" && rows[7].message == "ADWIN drift")
        #expect(try reader.tail(2, kind: .execution).map(\.orderId) == [1, 2])
        #expect(rows[6].csvLine.contains("\"VaR 3.5% > 2%, \"\"quoted\"\"\""))
        #expect(JournalRow.csvHeader.split(separator: ",").count == rows[0].csvLine.split(separator: ",", omittingEmptySubsequences: false).count)
    }

    @Test func fileIsInWALMode() throws {
        let dir = try TempDir()
        defer { dir.cleanup() }
        let journal = try Journal(path: dir.path("w.sqlite"))
        #expect(journal.append(.alert(kind: "k", severity: "info", message: "m", timeNanos: 1)))
        try journal.flush()
        #expect(FileManager.default.fileExists(atPath: dir.path("w.sqlite-wal")))
        try journal.close()
        var header = [UInt8](repeating: 0, count: 20)
        let handle = try FileHandle(forReadingFrom: dir.url.appendingPathComponent("w.sqlite"))
        header = [UInt8](try handle.read(upToCount: 20) ?? Data())
        try handle.close()
        #expect(header.count == 20 && header[18] == 2 && header[19] == 2)  // file format 2 = WAL
    }

    @Test func flushedRecordsSurviveAReopenWithoutClose() throws {
        let dir = try TempDir()
        defer { dir.cleanup() }
        let path = dir.path("crash.sqlite")
        do {
            // Simulated crash: the writer is never closed cleanly before the file is reopened
            // by another connection (the WAL is not checkpointed into the main file).
            let journal = try Journal(path: path, configuration: .init(synchronous: .full))
            for r in sampleRecords(orders: 100) { journal.append(r) }
            try journal.flush()
            let reader = try JournalReader(path: path)
            #expect(try reader.count() == 300)
            let second = try Journal(path: path)  // a new writer on the same file appends after
            #expect(second.append(.alert(kind: "restart", severity: "info", message: "reopened", timeNanos: 1)))
            try second.flush()
            #expect(try reader.count() == 301)
            try second.close()
            try journal.close()
        }
        let reopened = try JournalReader(path: path)
        #expect(try reopened.count() == 301)
        #expect(try reopened.tail(1).first?.alertKind == "restart")
    }

    @Test func manyRecordsAreWrittenInBatchesInOrder() throws {
        let dir = try TempDir()
        defer { dir.cleanup() }
        let path = dir.path("many.sqlite")
        let journal = try Journal(path: path, configuration: .init(batchSize: 500, flushIntervalMs: 5, queueCapacity: 100_000))
        let records = sampleRecords(orders: 10_000)
        for r in records { #expect(journal.append(r)) }
        try journal.flush()
        let c = journal.counters
        #expect(c.written == 30_000 && c.appended == 30_000 && c.dropped == 0 && c.failed == 0)
        #expect(c.batches >= 60)
        try journal.close()
        var seqs: [Int64] = []
        var orders = 0
        try JournalReader(path: path).forEach { row in
            seqs.append(row.seq)
            if row.kind == "order" { orders += 1 }
        }
        #expect(seqs == Array(1...30_000))
        #expect(orders == 10_000)
    }
    /// `append` is lock-free and may race `close`: whatever it accepted must be on disk, and
    /// whatever it refused must be counted, with four threads appending while the journal closes.
    @Test func recordsAcceptedWhileClosingAreAllWritten() throws {
        let dir = try TempDir()
        defer { dir.cleanup() }
        let path = dir.path("race.sqlite")
        let journal = try Journal(path: path, configuration: .init(batchSize: 64, flushIntervalMs: 1, queueCapacity: 1_000_000))
        let accepted = Atomic<Int>(0)
        let refused = Atomic<Int>(0)
        let started = Atomic<Int>(0)
        let threads = (0..<4).map { t in
            Thread {
                started.add(1, ordering: .relaxed)
                for i in 0..<20_000 {
                    let record = JournalRecord.alert(kind: "race", severity: "info", message: "\(t)-\(i)", timeNanos: UInt64(i))
                    if journal.append(record) { accepted.add(1, ordering: .relaxed) } else { refused.add(1, ordering: .relaxed) }
                }
                started.add(100, ordering: .relaxed)
            }
        }
        for thread in threads { thread.start() }
        while started.load(ordering: .relaxed) < 4 { usleep(100) }
        usleep(2_000)
        try journal.close()
        while started.load(ordering: .relaxed) < 404 { usleep(100) }
        let counters = journal.counters
        #expect(accepted.load(ordering: .relaxed) + refused.load(ordering: .relaxed) == 80_000)
        #expect(counters.appended == UInt64(accepted.load(ordering: .relaxed)))
        #expect(counters.dropped == UInt64(refused.load(ordering: .relaxed)))
        #expect(counters.written == counters.appended && counters.failed == 0)
        #expect(try JournalReader(path: path).count() == accepted.load(ordering: .relaxed))
    }
}
