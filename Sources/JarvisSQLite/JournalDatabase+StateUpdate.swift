import GRDB
import JarvisCore

extension JournalDatabase {
    /// Read-modify-write of one state document, plus journal rows, in one transaction.
    ///
    /// The transaction is `BEGIN IMMEDIATE` (GRDB's default for writes), so it holds SQLite's
    /// write lock from the read on: another process updating the same document waits (busy
    /// timeout) instead of overwriting it, and the document and its journal rows are committed
    /// together or not at all.
    ///
    /// SQL: `SELECT json FROM state WHERE name = ?`, then `INSERT … ON CONFLICT (name) DO UPDATE`
    /// on `state` and `INSERT INTO journal …` for each row.
    ///
    /// - Parameters:
    ///   - name: The document's name, e.g. `hosts`.
    ///   - now: Written as `state.updated_at` and `journal.created_at`.
    ///   - body: Gets the stored document (nil when there is none) and returns the change.
    ///     It runs inside the transaction: keep it short and free of I/O.
    /// - Throws: `JournalError` when SQLite fails (nothing is written), or what `body` throws
    ///   (nothing is written either).
    public func updateState(_ name: String, now: Timestamp, _ body: (String?) throws -> JournalStateChange) throws {
        do {
            try write { db in
                let stored = try String.fetchOne(db, sql: "SELECT json FROM state WHERE name = ?", arguments: [name])
                let change = try body(stored)
                let created = now.rfc3339
                if let json = change.json { try Self.saveState(name, json: json, at: now, db: db) }
                if !change.rows.isEmpty {
                    let statement = try db.cachedStatement(
                        sql: "INSERT INTO journal (tbl, idempotency_key, json, ref, created_at) VALUES (?, ?, ?, NULL, ?)")
                    for row in change.rows {
                        try statement.execute(arguments: [row.table, row.idempotencyKey, row.json, created])
                    }
                }
                for row in change.localRows where row.table == "host_status_log" { try Self.storeHostTransition(row.json, db: db) }
            }
        } catch let error as DatabaseError {
            throw JournalError("cannot update state \(name): \(JournalError.describe(error))")
        }
    }
}
