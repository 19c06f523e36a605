import Foundation
import GRDB
import JarvisCore

/// The local SQLite database: the write-ahead journal of rows bound for PostgreSQL, the local
/// copy of alert events, run history and persisted state.
///
/// Opened in WAL mode with `synchronous = FULL`: when a transaction returns, its rows are on
/// disk, so a spool file may be deleted right after.
public final class JournalDatabase: Sendable {
    let pool: DatabasePool
    public let path: String

    /// Opens (creating if needed) the database at `path` and applies pending migrations.
    /// - Parameters:
    ///   - path: The database file.
    ///   - migrate: Whether to apply pending migrations now.
    ///   - now: The clock SQL's `calculate_pattern_confidence` reads (its decay needs the time).
    /// - Throws: `JournalError` when the file cannot be opened or migrated.
    public init(path: String, migrate: Bool = true, now: @escaping @Sendable () -> Timestamp = JournalDatabase.systemClock) throws {
        self.path = path
        var configuration = Configuration()
        configuration.busyMode = .timeout(30)
        configuration.label = "jarvis.journal"
        configuration.prepareDatabase { db in
            // 8 KiB pages for a new file (no effect on an existing one): fewer, fuller pages
            // per group commit. jarvis-bench, 100,000 alerts: 13.0 → 10.7 µs per row.
            try db.execute(sql: "PRAGMA page_size = 8192")
            // The views call it, as in PostgreSQL; one formula, in JarvisCore.
            Self.addPatternConfidenceFunction(to: db, now: now)
        }
        do {
            pool = try DatabasePool(path: path, configuration: configuration)
            // GRDB sets synchronous = NORMAL on the writer when it enables WAL, which may lose
            // the last commits on power loss. Spool files are deleted right after a commit, so
            // the commit must be on disk: FULL fsyncs the WAL at every commit. The pool has one
            // writer connection, so setting it once holds for the pool's life.
            try pool.writeWithoutTransaction { db in
                try db.execute(sql: "PRAGMA synchronous = FULL")
                // The unique index on idempotency keys is written at random positions; with
                // SQLite's 2 MiB default cache a 100k-alert backlog re-reads index pages from
                // the OS for every insert. 16 MiB keeps a day of a busy homelab in memory.
                try db.execute(sql: "PRAGMA cache_size = -16384")
            }
            if migrate { try JournalMigrations.migrator.migrate(pool) }
        } catch {
            let advice = JournalError.storageAdvice(error).map { "; " + $0 } ?? ""
            throw JournalError("cannot open the journal at \(path): \(JournalError.describe(error))\(advice)")
        }
    }

    /// Applies pending schema steps.
    /// - Returns: the names of the steps applied now (empty when up to date).
    public func migrate() throws -> [String] {
        let migrator = JournalMigrations.migrator
        let before = try pool.read { try migrator.appliedIdentifiers($0) }
        try migrator.migrate(pool)
        let after = try pool.read { try migrator.appliedIdentifiers($0) }
        return migrator.migrations.filter { after.contains($0) && !before.contains($0) }
    }

    /// The writer connection's `PRAGMA synchronous` (2 = FULL).
    public func synchronousMode() throws -> Int {
        try pool.writeWithoutTransaction { try Int.fetchOne($0, sql: "PRAGMA synchronous") ?? -1 }
    }

    /// Runs `body` in one write transaction (for callers composing several writes).
    public func write<T>(_ body: (Database) throws -> T) throws -> T { try pool.write(body) }

    /// Runs `body` with a read-only connection.
    public func read<T>(_ body: (Database) throws -> T) throws -> T { try pool.read(body) }

    /// Runs `body` with a read-only connection and no transaction around it: for one
    /// statement, which SQLite runs on a snapshot of its own (ingest reads triage rows once
    /// per file; GRDB's BEGIN/COMMIT around each cost more than the SELECT).
    func readStatement<T>(_ body: (Database) throws -> T) throws -> T { try pool.unsafeRead(body) }
}

extension JournalError {
    static func describe(_ error: any Error) -> String {
        if let error = error as? DatabaseError {
            return "\(error.message ?? "SQLite error") (SQLite code \(error.resultCode.rawValue))"
        }
        return "\(error)"
    }
}
