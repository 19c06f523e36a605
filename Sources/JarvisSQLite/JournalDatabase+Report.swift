import GRDB
import JarvisCore

/// The weekly report's figures on SQLite: the store of record in embedded mode, this
/// runner's own rows when PostgreSQL is away, and the journal's traffic always.
extension JournalDatabase: ReportDatabase {
    /// Runs `query` (its SQLite text) with the period as named parameters: `:since` and
    /// `:until` in seconds since the epoch, `:days` a JSON array of the day bounds in
    /// seconds, `:limit`, `:min_days`.
    ///
    /// - Throws: `JournalError` when SQLite fails.
    public func rows(of query: ReportQuery, period: ReportPeriod, limit: Int) throws -> [ReportRow] {
        let sql = query.sql(.sqlite)
        let all: [(String, any DatabaseValueConvertible)] = [
            ("since", period.since.epochSeconds), ("until", period.until.epochSeconds),
            ("days", "[" + period.bounds.map { String($0.epochSeconds) }.joined(separator: ",") + "]"), ("limit", limit),
            ("min_days", period.chronicMinimumDays),
        ]
        var arguments: [String: (any DatabaseValueConvertible)?] = [:]
        for (name, value) in all where sql.contains(":\(name)") { arguments[name] = value }
        do {
            return try read { db in
                try Row.fetchAll(db, sql: sql, arguments: StatementArguments(arguments)).map { row in
                    ReportRow(
                        row.databaseValues.map { value in
                            switch value.storage {
                            case .null: .null
                            case .int64(let number): .integer(number)
                            case .double(let number): .real(number)
                            case .string(let text): .text(text)
                            case .blob: .null
                            }
                        })
                }
            }
        } catch let error as DatabaseError {
            throw JournalError("report figure \(query.name) failed: \(JournalError.describe(error))")
        }
    }

    /// Records one flush of the journal (drain or ingest's flush) for the report's journal
    /// figures, and forgets flushes older than 400 days.
    ///
    /// - Parameters:
    ///   - at: When it ended.
    ///   - drained: Rows it sent.
    ///   - depthBefore: Rows waiting when it started.
    ///   - depthAfter: Rows waiting when it ended.
    ///   - degraded: True when PostgreSQL failed.
    /// - Throws: `JournalError` when SQLite fails.
    public func recordJournalActivity(at: Timestamp, drained: Int, depthBefore: Int, depthAfter: Int, degraded: Bool) throws {
        do {
            try write { db in
                try db.execute(
                    sql: "INSERT INTO journal_activity (at, drained, depth_before, depth_after, degraded) VALUES (?, ?, ?, ?, ?)",
                    arguments: [at.rfc3339, drained, depthBefore, depthAfter, degraded ? 1 : 0])
                try db.execute(sql: "DELETE FROM journal_activity WHERE at < ?", arguments: [at.adding(seconds: -400 * 86_400).rfc3339])
            }
        } catch let error as DatabaseError {
            throw JournalError("cannot record journal activity: \(JournalError.describe(error))")
        }
    }

    /// Stores a `host_status_log` row locally (the same JSON object its journal row carries);
    /// a row already there is left alone.
    static func storeHostTransition(_ json: String, db: Database) throws {
        try db.execute(
            sql: """
                INSERT OR IGNORE INTO host_status_log
                    (idempotency_key, host, from_state, to_state, error, consecutive_failures, last_success_at, changed_at, runner)
                SELECT json_extract(j, '$.idempotency_key'), json_extract(j, '$.host'), json_extract(j, '$.from_state'),
                       json_extract(j, '$.to_state'), json_extract(j, '$.error'), coalesce(json_extract(j, '$.consecutive_failures'), 0),
                       json_extract(j, '$.last_success_at'), json_extract(j, '$.changed_at'), coalesce(json_extract(j, '$.runner'), '')
                FROM (SELECT ? AS j)
                """,
            arguments: [json])
    }
}
