import GRDB
import Protocols

/// The journal's SQLite schema: one wide table, one row per record, the columns a kind does
/// not use left NULL. 64-bit unsigned ids and ns times are stored as their Int64 bit pattern.
enum JournalSchema {
    /// `PRAGMA user_version` of this schema.
    static let version = 1

    /// Column names in table order (after `seq`), shared by writer, reader and CSV export.
    static let columns = [
        "kind", "time_ns", "wall_time_ms", "symbol", "order_id", "decision_id", "side", "status", "reason",
        "quantity", "price", "cum_quantity", "leaves_quantity", "regime", "probability_up", "confidence",
        "target_position", "current_position", "model_version", "ingress_ns", "alert_kind", "severity",
        "model_id", "parent_model_id", "message",
    ]

    static let create = """
        CREATE TABLE IF NOT EXISTS journal (
            seq INTEGER PRIMARY KEY AUTOINCREMENT,
            kind TEXT NOT NULL,
            time_ns INTEGER NOT NULL,
            wall_time_ms INTEGER NOT NULL,
            symbol TEXT, order_id INTEGER, decision_id INTEGER,
            side TEXT, status TEXT, reason TEXT,
            quantity REAL, price REAL, cum_quantity REAL, leaves_quantity REAL,
            regime INTEGER, probability_up REAL, confidence REAL,
            target_position REAL, current_position REAL, model_version INTEGER, ingress_ns INTEGER,
            alert_kind TEXT, severity TEXT, model_id TEXT, parent_model_id TEXT, message TEXT
        );
        CREATE INDEX IF NOT EXISTS journal_kind_seq ON journal(kind, seq);
        CREATE INDEX IF NOT EXISTS journal_order ON journal(order_id);
        """

    static let insert = "INSERT INTO journal (\(columns.joined(separator: ", "))) VALUES ("
        + Array(repeating: "?", count: columns.count).joined(separator: ", ") + ")"

    /// Creates the table if needed and checks the schema version.
    static func migrate(_ db: Database, path: String) throws {
        let existing = try Int.fetchOne(db, sql: "PRAGMA user_version") ?? 0
        guard existing <= version else {
            throw JournalError.cannotOpen(path: path, reason: "schema version \(existing) is newer than this binary's (\(version))")
        }
        try db.execute(sql: create)
        try db.execute(sql: "PRAGMA user_version = \(version)")
    }

    /// The row values of a record, in `columns` order.
    static func values(_ record: JournalRecord, wallTimeMs: Int64, symbols: SymbolTable?) -> [(any DatabaseValueConvertible)?] {
        var row = [(any DatabaseValueConvertible)?](repeating: nil, count: columns.count)
        row[0] = record.kind.rawValue
        row[1] = Int64(bitPattern: record.timeNanos)
        row[2] = wallTimeMs
        func symbol(_ index: Int32) -> String { symbols.map { $0.name(of: index) } ?? "#\(index)" }
        switch record {
        case let .decision(d):
            row[3] = symbol(d.symbol)
            row[5] = Int64(bitPattern: d.id)
            row[13] = Int64(d.regime)
            row[14] = d.probabilityUp
            row[15] = d.confidence
            row[16] = d.targetPosition
            row[17] = d.currentPosition
            row[18] = Int64(d.modelVersion)
            row[19] = Int64(bitPattern: d.ingressNanos)
        case let .order(o):
            row[3] = symbol(o.symbol)
            row[4] = Int64(bitPattern: o.id)
            row[5] = Int64(bitPattern: o.decisionID)
            row[6] = o.side.description
            row[9] = o.quantity
            row[10] = o.limitPrice
            row[19] = Int64(bitPattern: o.ingressNanos)
        case let .execution(r):
            row[3] = symbol(r.symbol)
            row[4] = Int64(bitPattern: r.orderID)
            row[6] = r.side.description
            row[7] = r.status.description
            row[8] = r.reason == .none ? nil : r.reason.description
            row[9] = r.lastQuantity
            row[10] = r.lastPrice
            row[11] = r.cumulativeQuantity
            row[12] = r.leavesQuantity
        case let .alert(kind, severity, message, _):
            row[20] = kind
            row[21] = severity
            row[24] = message
        case let .modelSwap(id, parent, reason, _):
            row[22] = id
            row[23] = parent
            row[24] = reason
        }
        return row
    }
}
