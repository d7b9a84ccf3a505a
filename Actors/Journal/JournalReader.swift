import Foundation
import GRDB

/// One journal row as read back: the columns a kind does not use are nil (and absent from JSON).
public struct JournalRow: Sendable, Equatable, Codable {
    public var seq: Int64
    public var kind: String
    public var timeNs: UInt64
    public var wallTimeMs: Int64
    public var symbol: String?
    public var orderId: UInt64?
    public var decisionId: UInt64?
    public var side: String?
    public var status: String?
    public var reason: String?
    public var quantity: Double?
    public var price: Double?
    public var cumQuantity: Double?
    public var leavesQuantity: Double?
    public var regime: Int?
    public var probabilityUp: Double?
    public var confidence: Double?
    public var targetPosition: Double?
    public var currentPosition: Double?
    public var modelVersion: Int64?
    public var ingressNs: UInt64?
    public var alertKind: String?
    public var severity: String?
    public var modelId: String?
    public var parentModelId: String?
    public var message: String?

    enum CodingKeys: String, CodingKey {
        case seq, kind, symbol, side, status, reason, quantity, price, regime, confidence, severity, message
        case timeNs = "time_ns", wallTimeMs = "wall_time_ms", orderId = "order_id", decisionId = "decision_id"
        case cumQuantity = "cum_quantity", leavesQuantity = "leaves_quantity", probabilityUp = "probability_up"
        case targetPosition = "target_position", currentPosition = "current_position", modelVersion = "model_version"
        case ingressNs = "ingress_ns", alertKind = "alert_kind", modelId = "model_id", parentModelId = "parent_model_id"
    }

    init(_ row: Row) {
        func u64(_ column: String) -> UInt64? { (row[column] as Int64?).map { UInt64(bitPattern: $0) } }
        seq = row["seq"]
        kind = row["kind"]
        timeNs = u64("time_ns") ?? 0
        wallTimeMs = row["wall_time_ms"]
        symbol = row["symbol"]
        orderId = u64("order_id")
        decisionId = u64("decision_id")
        side = row["side"]
        status = row["status"]
        reason = row["reason"]
        quantity = row["quantity"]
        price = row["price"]
        cumQuantity = row["cum_quantity"]
        leavesQuantity = row["leaves_quantity"]
        regime = row["regime"]
        probabilityUp = row["probability_up"]
        confidence = row["confidence"]
        targetPosition = row["target_position"]
        currentPosition = row["current_position"]
        modelVersion = row["model_version"]
        ingressNs = u64("ingress_ns")
        alertKind = row["alert_kind"]
        severity = row["severity"]
        modelId = row["model_id"]
        parentModelId = row["parent_model_id"]
        message = row["message"]
    }

    /// CSV header: `seq` then the schema's columns.
    public static let csvHeader = (["seq"] + JournalSchema.columns).joined(separator: ",")

    /// The row as one CSV line (RFC 4180 quoting; empty fields for NULL).
    public var csvLine: String {
        func n(_ v: Double?) -> String { v.map { "\($0)" } ?? "" }
        func i<T: BinaryInteger>(_ v: T?) -> String { v.map { "\($0)" } ?? "" }
        func s(_ v: String?) -> String {
            guard let v else { return "" }
            if v.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) {
                return "\"" + v.replacingOccurrences(of: "\"", with: "\"\"") + "\""
            }
            return v
        }
        let fields: [String] = [
            i(seq), s(kind), i(timeNs), i(wallTimeMs), s(symbol), i(orderId), i(decisionId), s(side), s(status), s(reason),
            n(quantity), n(price), n(cumQuantity), n(leavesQuantity), i(regime), n(probabilityUp), n(confidence),
            n(targetPosition), n(currentPosition), i(modelVersion), i(ingressNs), s(alertKind), s(severity),
            s(modelId), s(parentModelId), s(message),
        ]
        return fields.joined(separator: ",")
    }
}

/// Reads a journal (read-only; works while an agent is writing it, thanks to WAL).
public struct JournalReader: Sendable {
    /// The SQLite file.
    public let path: String
    private let database: DatabaseQueue

    /// Opens an existing journal read-only.
    /// - Throws: `JournalError.notFound` when there is no file, `.readFailed` when it is not a journal.
    public init(path: String) throws(JournalError) {
        self.path = path
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue else {
            throw .notFound(path: path)
        }
        var config = Configuration()
        config.readonly = true
        config.busyMode = .timeout(5)
        do {
            database = try DatabaseQueue(path: path, configuration: config)
            let hasTable = try database.read { try $0.tableExists("journal") }
            guard hasTable else { throw JournalError.readFailed(path: path, reason: "no `journal` table: not a journal file") }
        } catch let error as JournalError {
            throw error
        } catch {
            throw .readFailed(path: path, reason: "\(error)")
        }
    }

    /// Rows counted, optionally of one kind.
    /// - Throws: `JournalError.readFailed`.
    public func count(kind: JournalRecordKind? = nil) throws(JournalError) -> Int {
        try read { db in
            if let kind { return try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM journal WHERE kind = ?", arguments: [kind.rawValue]) ?? 0 }
            return try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM journal") ?? 0
        }
    }

    /// The last `count` rows (optionally of one kind), oldest first.
    /// - Throws: `JournalError.readFailed`.
    public func tail(_ count: Int, kind: JournalRecordKind? = nil) throws(JournalError) -> [JournalRow] {
        let limit = max(0, count)
        return try read { db in
            let rows: [Row]
            if let kind {
                rows = try Row.fetchAll(db, sql: "SELECT * FROM journal WHERE kind = ? ORDER BY seq DESC LIMIT ?",
                                        arguments: [kind.rawValue, limit])
            } else {
                rows = try Row.fetchAll(db, sql: "SELECT * FROM journal ORDER BY seq DESC LIMIT ?", arguments: [limit])
            }
            return rows.reversed().map(JournalRow.init)
        }
    }

    /// Calls `body` for every row (optionally of one kind) in order, streaming (constant memory).
    /// - Throws: `JournalError.readFailed`.
    public func forEach(kind: JournalRecordKind? = nil, _ body: (JournalRow) -> Void) throws(JournalError) {
        try read { db in
            let rows: RowCursor
            if let kind {
                rows = try Row.fetchCursor(db, sql: "SELECT * FROM journal WHERE kind = ? ORDER BY seq", arguments: [kind.rawValue])
            } else {
                rows = try Row.fetchCursor(db, sql: "SELECT * FROM journal ORDER BY seq")
            }
            while let row = try rows.next() { body(JournalRow(row)) }
        }
    }

    private func read<T>(_ body: (Database) throws -> T) throws(JournalError) -> T {
        do {
            return try database.read(body)
        } catch {
            throw .readFailed(path: path, reason: "\(error)")
        }
    }
}
