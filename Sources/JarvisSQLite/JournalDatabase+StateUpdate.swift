import GRDB
import JarvisCore

/// One row to add to the journal, bound for a PostgreSQL table.
public struct JournalAppend: Sendable, Equatable {
    /// The PostgreSQL table, e.g. `host_status_log`.
    public var table: String
    /// The row's idempotency key (unique in the target table).
    public var idempotencyKey: String
    /// The row as a JSON object whose keys are the table's columns.
    public var json: String

    /// Creates a journal row.
    ///
    /// - Parameters:
    ///   - table: Target table.
    ///   - idempotencyKey: Idempotency key.
    ///   - json: The row as a JSON object.
    public init(table: String, idempotencyKey: String, json: String) {
        self.table = table
        self.idempotencyKey = idempotencyKey
        self.json = json
    }
}

/// What an `updateState` body decided: the new document and the journal rows that go with it.
public struct JournalStateChange: Sendable, Equatable {
    /// The new state document; nil leaves the stored one as it is.
    public var json: String?
    /// Journal rows written in the same transaction.
    public var rows: [JournalAppend]
    /// Rows stored in the local table of the same name in the same transaction (the local
    /// store of record); only `host_status_log` rows are accepted.
    public var localRows: [JournalAppend]

    /// Creates a change.
    ///
    /// - Parameters:
    ///   - json: New document, or nil to keep the stored one.
    ///   - rows: Journal rows to add.
    ///   - localRows: `host_status_log` rows to store locally.
    public init(json: String?, rows: [JournalAppend] = [], localRows: [JournalAppend] = []) {
        self.json = json
        self.rows = rows
        self.localRows = localRows
    }
}

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
