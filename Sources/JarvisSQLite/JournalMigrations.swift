import GRDB

/// The SQLite schema: the journal (rows waiting for PostgreSQL), the local copy of alert
/// events (the store of record in embedded mode, the dedup cache otherwise) and persisted
/// state.
///
/// Steps are append-only: a shipped step is never edited. Erasing on schema change is never
/// enabled, because the journal may hold rows that exist nowhere else.
enum JournalMigrations {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1-journal-events-state") { db in
            try db.execute(
                sql: """
                    CREATE TABLE alert_events (
                        id INTEGER PRIMARY KEY,
                        idempotency_key TEXT NOT NULL UNIQUE,
                        fingerprint TEXT NOT NULL,
                        sender_fingerprint TEXT NOT NULL DEFAULT '',
                        alertname TEXT NOT NULL,
                        alert_key TEXT NOT NULL,
                        status TEXT NOT NULL CHECK (status IN ('firing', 'resolved')),
                        starts_at TEXT NOT NULL,
                        ends_at TEXT,
                        labels TEXT NOT NULL,
                        annotations TEXT NOT NULL,
                        receiver TEXT NOT NULL DEFAULT '',
                        group_key TEXT NOT NULL DEFAULT '',
                        external_url TEXT NOT NULL DEFAULT '',
                        generator_url TEXT NOT NULL DEFAULT '',
                        source_sha256 TEXT NOT NULL DEFAULT '',
                        received_at TEXT NOT NULL,
                        runner TEXT NOT NULL DEFAULT ''
                    );
                    -- No other index: the idempotency key starts with fingerprint@startsAt, so
                    -- occurrence look-ups are prefix ranges on its unique index, and every extra
                    -- index costs ingest throughput.

                    -- Rows not yet in PostgreSQL, replayed in seq order. AUTOINCREMENT: a seq
                    -- is never reused, so order survives deletes. An alert event is not copied:
                    -- `ref` points at its alert_events row (kept until drained) and `json` is
                    -- NULL; other rows carry their JSON object.
                    CREATE TABLE journal (
                        seq INTEGER PRIMARY KEY AUTOINCREMENT,
                        tbl TEXT NOT NULL,
                        idempotency_key TEXT NOT NULL,
                        json TEXT,
                        ref INTEGER,
                        created_at TEXT NOT NULL,
                        CHECK (json IS NOT NULL OR (tbl = 'alert_events' AND ref IS NOT NULL))
                    );

                    -- Small persisted state documents (triage state, host states…), by name.
                    CREATE TABLE state (
                        name TEXT PRIMARY KEY,
                        json TEXT NOT NULL,
                        updated_at TEXT NOT NULL
                    );
                    """)
        }
        return migrator
    }
}
