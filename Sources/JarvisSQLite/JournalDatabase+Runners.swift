import GRDB
import JarvisCore

/// What several runners share, as the local journal holds it.
extension JournalDatabase {
    /// The attempts at an occurrence and status (`remediation/<event key>#…`), oldest first.
    public func attempts(eventKey: String) throws -> [RemediationRecord] {
        // A range of the unique index: every key that starts with `remediation/<event key>#`.
        let from = "remediation/\(eventKey)#"
        let to = "remediation/\(eventKey)$"
        return try read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT \(Self.remediationColumns.joined(separator: ", ")), id FROM remediation_log
                    WHERE idempotency_key >= ? AND idempotency_key < ? ORDER BY id
                    """,
                arguments: [from, to]
            ).map(Self.record)
        }
    }
}

extension JournalDatabase {
    /// Copies windows other runners opened (or changed) into the local table, so that triage
    /// applies them while PostgreSQL is away too. A window unknown here is added (marked
    /// `shared`, with a local id of its own); a known one takes a newer snapshot's end. Nothing
    /// is journaled: the rows came from PostgreSQL.
    /// - Parameters:
    ///   - windows: The windows as PostgreSQL holds them.
    ///   - runner: This runner's name (its own windows are the local rows already).
    ///   - now: Not used for the rows' times, which are PostgreSQL's.
    /// - Returns: How many windows were added or changed.
    @discardableResult
    public func mergeSharedWindows(_ windows: [SharedMaintenanceWindow], runner: String, now: Timestamp) throws -> Int {
        guard !windows.isEmpty else { return 0 }
        return try write { db in
            var changed = 0
            for window in windows {
                let stored = try Row.fetchOne(
                    db, sql: "SELECT id, updated_at FROM maintenance_windows WHERE idempotency_key = ?", arguments: [window.key])
                if let stored {
                    let localUpdate = (stored[1] as String?).flatMap { Timestamp(rfc3339: $0) }
                    guard let update = window.updatedAt, localUpdate.map({ update > $0 }) ?? true else { continue }
                    try db.execute(
                        sql: "UPDATE maintenance_windows SET ends_at = ?, ended_at = ?, reason = ?, updated_at = ? WHERE id = ?",
                        arguments: [window.endsAt?.rfc3339, window.endedAt?.rfc3339, window.reason, update.rfc3339, stored[0] as Int64])
                } else {
                    try db.execute(
                        sql: """
                            INSERT INTO maintenance_windows
                                (idempotency_key, host, reason, author, starts_at, ends_at, ended_at, suppressed_count, updated_at, shared, runner)
                            VALUES (?, ?, ?, ?, ?, ?, ?, 0, ?, 1, ?)
                            """,
                        arguments: [
                            window.key, window.host, window.reason, window.author, window.startsAt.rfc3339, window.endsAt?.rfc3339,
                            window.endedAt?.rfc3339, window.updatedAt?.rfc3339, window.key.split(separator: "/").first.map(String.init) ?? "",
                        ])
                }
                changed += db.changesCount
            }
            return changed
        }
    }
}
