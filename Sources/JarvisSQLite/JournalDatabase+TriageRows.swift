import Foundation
import GRDB
import JarvisCore

/// The large parts of the triage state as rows (`triage_rows`, see `TriageStateRow` and
/// migration v7), with generations so that a run's rows count only once the run commits.
///
/// A run with generation G (one more than the committed generation in the state document)
/// writes its rows in its own group commits: a row last written by a committed run keeps that
/// version in `previous`. The run then commits by saving the document with generation G. If
/// it is killed first, the next run calls `rollBackTriageRows(after:)`, which puts every
/// row newer than the committed generation back as it was, before it triages the
/// interrupted run's alerts again.
///
/// Rows are found by the 64-bit hash of their key (`AlertEventKeyHash`) and then compared by
/// the key text, so a hash collision never mixes two keys.
extension JournalDatabase {
    /// The stored rows among `keys`; a nil value for a row that is kept but deleted (until
    /// the next prune).
    public func triageRows(_ keys: [String]) throws -> [(key: String, value: [UInt8]?)] {
        guard !keys.isEmpty else { return [] }
        let hashes = keys.map(AlertEventKeyHash.of)
        return try readStatement { db in
            var found: [(key: String, value: [UInt8]?)] = []
            // One statement shape (cached): chunks of 64 keys, padded by repeating the last.
            let chunk = 64
            let select = SQLiteBinding.RawStatement(
                try db.cachedStatement(sql: Self.triageRowsSQL), db)
            for start in stride(from: 0, to: keys.count, by: chunk) {
                let end = min(start + chunk, keys.count)
                select.reset()
                for index in 0..<chunk { try select.bind(Int32(index + 1), hashes[min(start + index, end - 1)]) }
                while try select.step() {
                    // The hash only narrows the search: the key text decides.
                    guard let hash = select.int64(2), let key = select.text(0) else { continue }
                    if (start..<end).contains(where: { hashes[$0] == hash && keys[$0] == key }) { found.append((key, select.blob(1))) }
                }
                select.reset()
            }
            return found
        }
    }

    private static let triageRowsSQL =
        "SELECT key, value, key_hash FROM triage_rows WHERE key_hash IN (\(repeatElement("?", count: 64).joined(separator: ",")))"

    /// Writes rows of generation `generation` in their own transaction.
    public func writeTriageRows(_ rows: [TriageStateRow], generation: Int64) throws {
        guard !rows.isEmpty else { return }
        try write { db in try Self.writeTriageRows(rows, generation: generation, db: db) }
    }

    /// Writes rows of generation `generation` inside the caller's transaction. A row last
    /// written by an older (committed) generation keeps that version in `previous`.
    static func writeTriageRows(_ rows: [TriageStateRow], generation: Int64, db: Database) throws {
        guard !rows.isEmpty else { return }
        let find = SQLiteBinding.RawStatement(try db.cachedStatement(sql: "SELECT id, key FROM triage_rows WHERE key_hash = ?"), db)
        let update = SQLiteBinding.RawStatement(
            try db.cachedStatement(
                sql: """
                    UPDATE triage_rows SET previous = CASE WHEN generation < ?2 THEN value ELSE previous END,
                        value = ?1, generation = ?2, expires_at = ?3
                    WHERE id = ?4
                    """), db)
        let insert = SQLiteBinding.RawStatement(
            try db.cachedStatement(
                sql: "INSERT INTO triage_rows (key_hash, key, value, previous, generation, expires_at) VALUES (?, ?, ?, NULL, ?, ?)"), db)
        for row in rows {
            var key = row.key
            let hash = AlertEventKeyHash.of(key)
            var id: Int64?
            if !row.isNew {
                find.reset()
                try find.bind(1, hash)
                while id == nil, try find.step() {
                    if find.column(1, equals: &key) { id = find.int64(0) }
                }
                find.reset()
            }
            if let id {
                update.reset()
                try update.bind(1, row.value)
                try update.bind(2, generation)
                try update.bind(3, row.expiresAt)
                try update.bind(4, id)
                try update.run()
            } else if row.value != nil {
                insert.reset()
                try insert.bind(1, hash)
                try insert.bind(2, key)
                try insert.bind(3, row.value)
                try insert.bind(4, generation)
                try insert.bind(5, row.expiresAt)
                try insert.run()
            }
        }
    }

    /// Puts back every row written by a generation newer than `committed` (a run that was
    /// killed before it committed): its `previous` version, or no row when it had none.
    /// - Returns: how many rows were put back or removed.
    @discardableResult
    public func rollBackTriageRows(after committed: Int64) throws -> Int {
        try write { db in
            try db.execute(sql: "DELETE FROM triage_rows WHERE generation > ? AND previous IS NULL", arguments: [committed])
            var changed = db.changesCount
            try db.execute(
                sql: "UPDATE triage_rows SET value = previous, previous = NULL, generation = ?1 WHERE generation > ?1", arguments: [committed])
            changed += db.changesCount
            return changed
        }
    }

    /// Drops rows whose every entry has expired at `now`, and deleted rows, inside the
    /// caller's transaction. Call it after the run committed.
    /// - Returns: how many rows were dropped.
    static func pruneTriageRows(now: Timestamp, committed: Int64, db: Database) throws -> Int {
        try db.execute(
            sql: "DELETE FROM triage_rows WHERE generation <= ? AND (value IS NULL OR expires_at <= ?)",
            arguments: [committed, now.epochSeconds])
        return db.changesCount
    }

    /// Removes every row (the state document they belong to is gone or unreadable).
    public func removeAllTriageRows() throws {
        try write { db in try db.execute(sql: "DELETE FROM triage_rows") }
    }

    /// How many rows hold a value (for status and tests).
    public func triageRowCount() throws -> Int {
        try read { try Int.fetchOne($0, sql: "SELECT count(*) FROM triage_rows WHERE value IS NOT NULL") ?? 0 }
    }
}
