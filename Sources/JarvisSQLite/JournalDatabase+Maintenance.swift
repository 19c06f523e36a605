import Foundation
import GRDB
import JarvisCore

/// Maintenance windows in the local database. Windows live here (every run reads them
/// locally, also while PostgreSQL is away); each change is journaled as a snapshot of the
/// whole row, which PostgreSQL keeps newest-wins by `updated_at`.
extension JournalDatabase {
    /// Opens a window.
    /// - Parameters:
    ///   - host: the host it covers, or nil for all hosts.
    ///   - forward: also queue the new row in the journal, to forward it to PostgreSQL.
    ///   - runner: this runner's name; with the local id it makes the row's key.
    /// - Returns: the stored window, with its id.
    public func startMaintenance(
        host: String?, reason: String, author: String, startsAt: Timestamp, endsAt: Timestamp?, forward: Bool, runner: String
    ) throws -> MaintenanceWindow {
        try write { db in
            let provisional = "pending/\(UUID().uuidString)"
            try db.execute(
                sql: """
                    INSERT INTO maintenance_windows (idempotency_key, host, reason, author, starts_at, ends_at, suppressed_count, updated_at, runner)
                    VALUES (?, ?, ?, ?, ?, ?, 0, ?, ?)
                    """,
                arguments: [provisional, host, reason, author, startsAt.rfc3339, endsAt?.rfc3339, startsAt.rfc3339, runner])
            let id = db.lastInsertedRowID
            try db.execute(
                sql: "UPDATE maintenance_windows SET idempotency_key = ? WHERE id = ?",
                arguments: [Self.windowKey(runner: runner, id: id), id])
            let window = MaintenanceWindow(id: id, host: host, reason: reason, author: author, startsAt: startsAt, endsAt: endsAt)
            if forward { try Self.journalWindows([id], db: db, now: startsAt) }
            return window
        }
    }

    /// Every window, newest first; only those not yet ended at `now` unless `includeEnded`.
    public func maintenanceWindows(includeEnded: Bool = true, now: Timestamp? = nil) throws -> [MaintenanceWindow] {
        try read { db in try Self.windows(db) }.filter { window in
            guard !includeEnded, let now else { return true }
            return !window.hasEnded(by: now)
        }
    }

    /// Ends the open windows among `ids` at `now` (by hand).
    /// - Returns: the windows that were open and are now ended.
    public func endMaintenance(ids: [Int64], at now: Timestamp, forward: Bool) throws -> [MaintenanceWindow] {
        try write { db in
            var ended: [Int64] = []
            for id in ids {
                try db.execute(
                    sql: """
                        UPDATE maintenance_windows SET ended_at = ?, updated_at = ?
                        WHERE id = ? AND ended_at IS NULL AND (ends_at IS NULL OR ends_at > ?)
                        """,
                    arguments: [now.rfc3339, now.rfc3339, id, now.rfc3339])
                if db.changesCount > 0 { ended.append(id) }
            }
            if forward { try Self.journalWindows(ended, db: db, now: now, sharedToo: true) }
            return try Self.windows(db).filter { ended.contains($0.id) }
        }
    }

    /// Inside a transaction: marks windows whose planned end has passed as ended (once), so
    /// that their end is reported exactly once.
    /// - Returns: the windows that expired now.
    public static func expireMaintenance(db: Database, now: Timestamp, forward: Bool) throws -> [MaintenanceWindow] {
        let due = try Int64.fetchAll(
            db, sql: "SELECT id FROM maintenance_windows WHERE ended_at IS NULL AND ends_at IS NOT NULL AND ends_at <= ?",
            arguments: [now.rfc3339])
        guard !due.isEmpty else { return [] }
        for id in due {
            try db.execute(
                sql: "UPDATE maintenance_windows SET ended_at = ends_at, updated_at = ? WHERE id = ?", arguments: [now.rfc3339, id])
        }
        if forward { try journalWindows(due, db: db, now: now) }
        return try windows(db).filter { due.contains($0.id) }
    }

    /// Inside a transaction: adds suppressed alerts to windows' counters.
    public static func addSuppressions(_ counts: [Int64: Int], db: Database, now: Timestamp, forward: Bool) throws {
        let ids = counts.keys.sorted()
        guard !ids.isEmpty else { return }
        for id in ids {
            try db.execute(
                sql: "UPDATE maintenance_windows SET suppressed_count = suppressed_count + ?, updated_at = ? WHERE id = ?",
                arguments: [counts[id] ?? 0, now.rfc3339, id])
        }
        if forward { try journalWindows(ids, db: db, now: now) }
    }

    /// `runner/maintenance/ID`: unique across runners sharing one PostgreSQL.
    static func windowKey(runner: String, id: Int64) -> String { "\(runner.isEmpty ? "jarvis" : runner)/maintenance/\(id)" }

    static func windows(_ db: Database) throws -> [MaintenanceWindow] {
        try Row.fetchAll(
            db,
            sql: "SELECT id, host, reason, author, starts_at, ends_at, ended_at, suppressed_count FROM maintenance_windows ORDER BY id DESC"
        ).map { row in
            MaintenanceWindow(
                id: row[0], host: row[1], reason: row[2], author: row[3],
                startsAt: Timestamp(rfc3339: row[4] as String) ?? Timestamp(seconds: 0),
                endsAt: (row[5] as String?).flatMap { Timestamp(rfc3339: $0) },
                endedAt: (row[6] as String?).flatMap { Timestamp(rfc3339: $0) }, suppressedCount: row[7])
        }
    }

    /// Journals a snapshot of each window (the whole row) for PostgreSQL. Windows another
    /// runner opened (`shared`) only when `sharedToo` (ended here by hand), and without the
    /// counter: the stored row keeps the opener's count (the report adds what other runners
    /// held back from their events), and their expiry is the opener's to record.
    static func journalWindows(_ ids: [Int64], db: Database, now: Timestamp, sharedToo: Bool = false) throws {
        for id in ids {
            guard
                let row = try Row.fetchOne(
                    db,
                    sql: """
                        SELECT idempotency_key, host, reason, author, starts_at, ends_at, ended_at, suppressed_count, updated_at, runner, shared
                        FROM maintenance_windows WHERE id = ? AND (shared = 0 OR ?)
                        """, arguments: [id, sharedToo])
            else { continue }
            var w = JSONWriter()
            let key: String = row[0]
            w.field("idempotency_key", key)
            w.field("host", row[1] as String?)
            w.field("reason", row[2] as String)
            w.field("author", row[3] as String)
            w.field("starts_at", row[4] as String)
            w.field("ends_at", row[5] as String?)
            w.field("ended_at", row[6] as String?)
            if !(row[10] as Bool) { w.field("suppressed_count", row[7] as Int64) }
            w.field("updated_at", row[8] as String?)
            w.field("runner", row[9] as String)
            try db.execute(
                sql: "INSERT INTO journal (tbl, idempotency_key, json, ref, created_at) VALUES ('maintenance_windows', ?, ?, NULL, ?)",
                arguments: [key, w.finish(), now.rfc3339])
        }
    }
}
