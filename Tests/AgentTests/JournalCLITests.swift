import Foundation
import Journal
import Protocols
import Testing

/// `quantum-agent journal tail|export`, run as the built binary on a real journal file.
@Suite struct JournalCLITests {
    static func run(_ arguments: [String]) throws -> AgentRun { try AgentBinary.run(arguments) }

    /// A journal with 3 decisions, 3 orders, 3 fills, one alert and one model swap.
    static func makeJournal() throws -> (dir: URL, path: String) {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("journal-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let path = dir.appendingPathComponent("j.sqlite").path
        let journal = try Journal(path: path, configuration: .init(symbols: SymbolTable(["BTC-USD"])))
        for i in UInt64(1)...3 {
            journal.append(.decision(TradeDecision(id: i, symbol: 0, regime: 0, probabilityUp: 0.7, confidence: 0.9,
                                                   targetPosition: 1, currentPosition: 0, modelVersion: 1,
                                                   ingressNanos: i * 100, decidedNanos: i * 100 + 5)))
            journal.append(.order(OrderRequest(id: i, decisionID: i, symbol: 0, side: .buy, quantity: 1, limitPrice: 101,
                                               ingressNanos: i * 100, createdNanos: i * 100 + 6)))
            journal.append(.execution(ExecutionReport(orderID: i, symbol: 0, side: .buy, status: .filled, lastQuantity: 1,
                                                      lastPrice: 100.5, cumulativeQuantity: 1, leavesQuantity: 0,
                                                      timeNanos: i * 100 + 50)))
        }
        journal.append(.alert(kind: "drawdown", severity: "critical", message: "kill switch, halted", timeNanos: 900))
        journal.append(.modelSwap(id: "v2", parent: "v1", reason: "drift", timeNanos: 1000))
        try journal.close()
        return (dir, path)
    }

    @Test func tailPrintsTheLastRecordsAsJSON() throws {
        let (dir, path) = try Self.makeJournal()
        defer { try? FileManager.default.removeItem(at: dir) }
        let out = try Self.run(["journal", "tail", "--path", path, "-n", "3", "--format", "json"])
        #expect(out.status == 0, "\(out.stderr)")
        let rows = try #require(try JSONSerialization.jsonObject(with: Data(out.stdout.utf8)) as? [[String: Any]])
        #expect(rows.map { $0["kind"] as? String } == ["execution", "alert", "model_swap"])
        #expect(rows[0]["order_id"] as? Int == 3 && rows[0]["status"] as? String == "filled")
        #expect(rows[1]["message"] as? String == "kill switch, halted")
        #expect(rows[2]["parent_model_id"] as? String == "v1")
        #expect(rows[1]["order_id"] == nil)  // NULL columns are omitted

        let text = try Self.run(["journal", "tail", "--path", path, "-n", "2", "--kind", "order"])
        #expect(text.status == 0)
        let lines = text.stdout.split(separator: "\n")
        #expect(lines.count == 2)
        #expect(lines.first?.contains("BTC-USD order=2 buy 1 @ 101") == true)
    }

    @Test func exportWritesCSVAndJSONFilteredByKind() throws {
        let (dir, path) = try Self.makeJournal()
        defer { try? FileManager.default.removeItem(at: dir) }
        let csv = try Self.run(["journal", "export", "--path", path])
        #expect(csv.status == 0, "\(csv.stderr)")
        let lines = csv.stdout.split(separator: "\n")
        #expect(lines.count == 12)  // header + 11 records
        #expect(lines.first?.hasPrefix("seq,kind,time_ns,wall_time_ms,symbol,order_id") == true)
        #expect(lines.contains { $0.contains("\"kill switch, halted\"") })

        let json = try Self.run(["journal", "export", "--path", path, "--format", "json", "--kind", "order"])
        #expect(json.status == 0, "\(json.stderr)")
        let rows = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [[String: Any]])
        #expect(rows.count == 3)
        #expect(rows.allSatisfy { $0["kind"] as? String == "order" && $0["price"] as? Double == 101 })
        #expect(rows.map { $0["order_id"] as? Int } == [1, 2, 3])
    }

    @Test func badInputExitsWithStatus2AndOneClearLine() throws {
        let (dir, path) = try Self.makeJournal()
        defer { try? FileManager.default.removeItem(at: dir) }
        let badKind = try Self.run(["journal", "export", "--path", path, "--kind", "trade"])
        #expect(badKind.status == 2)
        #expect(badKind.stderr.contains("--kind 'trade' is unknown"))
        let badFormat = try Self.run(["journal", "tail", "--path", path, "--format", "xml"])
        #expect(badFormat.status == 2)
        let missing = try Self.run(["journal", "tail", "--path", dir.appendingPathComponent("none.sqlite").path])
        #expect(missing.status == 2)
        #expect(missing.stderr.contains("no journal at"))
        #expect(missing.stdout.isEmpty)
    }
}
