import Foundation
import GRDB
import JarvisCore

extension JournalDatabase {
    // MARK: Journal

    /// The oldest `limit` journal rows after `seq` (from the start for nil), in order. Alert
    /// events carry their column values (`JournalEntry.alertEvent`, read from `alert_events`
    /// and `deliveries` through `ref`); other rows their JSON object.
    public func pendingEntries(after seq: Int64?, limit: Int) throws -> [JournalEntry] {
        try pool.read { db in
            // Explicit joins, not the alert_event_rows view: SQLite would not flatten a join
            // view on the right of a LEFT JOIN.
            let statement = SQLiteBinding.RawStatement(
                try db.makeStatement(
                    sql: """
                        SELECT j.seq, j.tbl, j.idempotency_key, j.json, j.created_at, e.id, e.idempotency_key, e.fingerprint,
                               e.sender_fingerprint, e.alertname, e.alert_key, e.status, e.starts_at, e.ends_at, e.labels, e.annotations,
                               d.receiver, d.group_key, d.external_url, e.generator_url, d.source_sha256, d.received_at, d.runner,
                               e.decision, e.decision_reason, e.root_cause, e.maintenance_window_id,
                               e.maintenance_window_key
                        FROM journal j LEFT JOIN alert_events e ON e.id = j.ref LEFT JOIN deliveries d ON d.id = e.delivery_id
                        WHERE j.seq > ? ORDER BY j.seq LIMIT ?
                        """), db)
            try statement.bind(1, seq ?? .min)
            try statement.bind(2, Int64(limit))
            var entries: [JournalEntry] = []
            entries.reserveCapacity(min(limit, 100_000))
            var createdText = ""
            var createdAt = Timestamp(seconds: 0)
            let columnCount = Int32(AlertEventRow.columns.count)
            while try statement.step() {
                let seq = statement.int64(0) ?? 0
                let table = statement.text(1) ?? ""
                // Rows of one group commit share their created_at: parse it once.
                if let text = statement.text(4), text != createdText {
                    createdText = text
                    createdAt = Timestamp(rfc3339: text) ?? Timestamp(seconds: 0)
                }
                if let json = statement.text(3) {
                    entries.append(
                        JournalEntry(seq: seq, table: table, idempotencyKey: statement.text(2) ?? "", json: json, createdAt: createdAt))
                } else if statement.int64(5) != nil {
                    let row = AlertEventRow(values: (0..<columnCount).map { statement.text(6 + $0) })
                    entries.append(JournalEntry(seq: seq, table: table, alertEvent: row, createdAt: createdAt))
                } else {
                    throw JournalError("journal row \(seq) points at a missing alert_events row")
                }
            }
            return entries
        }
    }

    /// Deletes journal rows up to and including `seq`, after PostgreSQL committed them.
    public func removeEntries(through seq: Int64) throws {
        try pool.write { db in try db.execute(sql: "DELETE FROM journal WHERE seq <= ?", arguments: [seq]) }
    }

    /// How many rows wait for PostgreSQL, and since when.
    public func depth() throws -> JournalDepth {
        try pool.read { db in
            let row = try Row.fetchOne(db, sql: "SELECT count(*), min(created_at) FROM journal")
            let oldest: String? = row?[1]
            return JournalDepth(rows: row?[0] ?? 0, oldest: oldest.flatMap { Timestamp(rfc3339: $0) })
        }
    }

    /// Appends arbitrary rows (host transitions, outcomes…) to the journal in one transaction.
    public func append(_ rows: [(table: String, idempotencyKey: String, json: String)], now: Timestamp) throws {
        try pool.write { db in
            let statement = try db.cachedStatement(sql: "INSERT INTO journal (tbl, idempotency_key, json, ref, created_at) VALUES (?, ?, ?, NULL, ?)")
            for row in rows {
                statement.setUncheckedArguments([row.table, row.idempotencyKey, row.json, now.rfc3339])
                try statement.execute()
            }
        }
    }
}
