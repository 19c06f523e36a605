/// One versioned step of the PostgreSQL schema.
public struct PostgresMigration: Sendable {
    /// The step's number; steps run in ascending order, each once.
    public let version: Int
    /// A short name, recorded in `jarvis_schema_migrations.name`.
    public let name: String
    /// The statements, run with `PQexec` inside the migration transaction.
    public let sql: String
}

/// The PostgreSQL schema of jarvis and the code that brings a database up to date.
///
/// Steps are recorded in `jarvis_schema_migrations(version, name, applied_at)`. `migrate`
/// runs every missing step in one transaction that first takes
/// `pg_advisory_xact_lock(advisoryLockKey)`, so several runners starting at once apply
/// each step exactly once, and a failing step leaves the database as it was.
public enum PostgresMigrations {
    /// Every step, in order.
    public static let all: [PostgresMigration] = [
        .coreSchema, .triageDecisions, .remediationSnapshots, .learning, .analytics, .runners, .reportSpeed, .sharedLearning, .patternDeltas,
        .windowKey, .ingestSpeed,
    ]

    /// The advisory lock key (`pg_advisory_xact_lock`) that serialises migrations:
    /// the bytes "jarvis" followed by 0x0001.
    public static let advisoryLockKey: Int64 = 0x6A61_7276_6973_0001

    /// The tables that receive rows from the local journal (`PostgresStore.apply`). Each has
    /// a `text not null unique` column `idempotency_key`.
    public static let journalTables: Set<String> = [
        "alert_events", "remediation_log", "remediation_patterns", "alert_fingerprints",
        "learning_feedback", "host_status_log", "maintenance_windows", "triage_decisions", "pattern_events",
        "pattern_commands",
    ]

    /// The tables runners coordinate through (claims, the runners seen, the occurrences the
    /// shared learner counted); jarvis writes them
    /// directly, never through the journal.
    public static let coordinationTables: Set<String> = ["remediation_claims", "notification_claims", "runners", "pattern_evidence"]

    /// The tables triggers keep from the journal tables (migration 9): the report's
    /// occurrences and the metrics' running totals.
    public static let derivedTables: Set<String> = ["alert_occurrences", "jarvis_counters"]

    /// Journal tables whose rows change after they are first written: each change arrives as
    /// a new snapshot with the same idempotency key, and the row with the newest
    /// `updated_at` wins (`ON CONFLICT … DO UPDATE … WHERE`), so replays and out-of-order
    /// batches never move a row backwards. Patterns are not among them: the fleet's learner
    /// changes them in PostgreSQL, and a person's change arrives as a `pattern_commands` row
    /// (migration 12), so a copy of a pattern from a runner only adds a missing one.
    public static let snapshotTables: Set<String> = ["maintenance_windows", "remediation_log", "alert_fingerprints"]

    /// The views migration 1 creates.
    public static let views: Set<String> = ["high_confidence_patterns", "learning_stats"]

    /// Applies every step the database does not have yet.
    ///
    /// Runs `CREATE TABLE IF NOT EXISTS jarvis_schema_migrations`, then the missing steps and
    /// their bookkeeping rows, all inside one transaction holding `pg_advisory_xact_lock`.
    /// A database that already has steps this build does not know (a newer jarvis migrated
    /// it) is left alone.
    ///
    /// - Parameter connection: An open connection with no transaction in progress.
    /// - Returns: The names of the steps applied now, in order; empty when up to date.
    /// - Throws: `PGError` `.migrationFailed` when a step fails (nothing is committed),
    ///   `.unreachable` when the server is gone, `.queryFailed` for the bookkeeping.
    public static func migrate(_ connection: PGConnection) throws(PGError) -> [String] {
        try migrate(connection, steps: all)
    }

    /// Applies the missing ones of `steps` (tests use this with their own steps).
    package static func migrate(_ connection: PGConnection, steps: [PostgresMigration]) throws(PGError) -> [String] {
        try connection.transaction { () throws(PGError) -> [String] in
            try connection.execute("SELECT pg_advisory_xact_lock(\(advisoryLockKey))")
            try connection.execute(
                unsafeSQL: """
                    CREATE TABLE IF NOT EXISTS jarvis_schema_migrations (
                        version integer PRIMARY KEY,
                        name text NOT NULL,
                        applied_at timestamptz NOT NULL DEFAULT now()
                    );
                    COMMENT ON TABLE jarvis_schema_migrations IS
                        'Schema steps jarvis has applied to this database (see jarvis migrate). Do not edit.';
                    """)
            let applied = try appliedVersions(connection)
            var names: [String] = []
            for step in steps.sorted(by: { $0.version < $1.version }) where !applied.contains(step.version) {
                do throws(PGError) {
                    try connection.execute(unsafeSQL: step.sql)
                } catch {
                    if error.isUnreachable { throw error }
                    throw PGError(
                        code: .migrationFailed, message: "migration \(step.version) (\(step.name)) failed: \(error.message)",
                        sqlState: error.sqlState, detail: error.detail, hint: error.hint, underlying: error)
                }
                try connection.execute(
                    "INSERT INTO jarvis_schema_migrations (version, name) VALUES (\(step.version)::integer, \(step.name))")
                names.append(step.name)
            }
            return names
        }
    }

    /// The versions recorded in `jarvis_schema_migrations`, ascending; empty when the table
    /// does not exist yet.
    ///
    /// - Parameter connection: An open connection.
    /// - Throws: `PGError` when the query fails.
    public static func appliedVersions(_ connection: PGConnection) throws(PGError) -> [Int] {
        let exists = try connection.execute("SELECT to_regclass('jarvis_schema_migrations') IS NOT NULL")
        guard try exists.bool(row: 0, column: 0) == true else { return [] }
        let result = try connection.execute("SELECT version FROM jarvis_schema_migrations ORDER BY version")
        var versions: [Int] = []
        for row in 0..<result.rowCount {
            if let version = try result.int64(row: row, column: 0) { versions.append(Int(version)) }
        }
        return versions
    }
}
