import GRDB
import JarvisCore

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
        migrator.registerMigration("v2-store-of-record-tables") { db in
            // Embedded mode: SQLite is the store of record, so it holds the same tables as
            // PostgreSQL (Migration0001CoreSchema), with SQLite types: times as RFC 3339 text,
            // JSON as text, booleans as 0/1. The views call calculate_pattern_confidence,
            // which JournalDatabase registers on every connection (PatternConfidence in Swift).
            try db.execute(
                sql: """
                    CREATE TABLE remediation_log (
                        id INTEGER PRIMARY KEY,
                        idempotency_key TEXT NOT NULL UNIQUE,
                        occurrence_key TEXT NOT NULL,
                        alert_key TEXT NOT NULL,
                        alertname TEXT NOT NULL,
                        host TEXT NOT NULL DEFAULT '',
                        tier INTEGER NOT NULL CHECK (tier BETWEEN 1 AND 3),
                        pattern_id INTEGER,
                        commands TEXT NOT NULL DEFAULT '[]',
                        intent_at TEXT NOT NULL,
                        outcome TEXT NOT NULL DEFAULT 'pending'
                            CHECK (outcome IN ('pending', 'succeeded', 'failed', 'rejected', 'escalated', 'unknown', 'dry_run')),
                        outcome_at TEXT,
                        exit_status INTEGER,
                        stdout_excerpt TEXT NOT NULL DEFAULT '',
                        stderr_excerpt TEXT NOT NULL DEFAULT '',
                        verification TEXT NOT NULL DEFAULT 'pending'
                            CHECK (verification IN ('pending', 'verified', 'failed', 'unverified', 'not_applicable')),
                        llm_tokens_in INTEGER NOT NULL DEFAULT 0,
                        llm_tokens_out INTEGER NOT NULL DEFAULT 0,
                        llm_cost_usd REAL NOT NULL DEFAULT 0,
                        escalated INTEGER NOT NULL DEFAULT 0,
                        error TEXT,
                        runner TEXT NOT NULL DEFAULT ''
                    );
                    CREATE INDEX remediation_log_alert_key_intent_at ON remediation_log (alert_key, intent_at);

                    CREATE TABLE remediation_patterns (
                        id INTEGER PRIMARY KEY,
                        idempotency_key TEXT NOT NULL UNIQUE,
                        fingerprint TEXT NOT NULL,
                        alertname TEXT NOT NULL,
                        symptom_parts TEXT NOT NULL DEFAULT '[]',
                        commands TEXT NOT NULL,
                        risk TEXT NOT NULL DEFAULT 'low' CHECK (risk IN ('low', 'medium', 'high')),
                        success_count INTEGER NOT NULL DEFAULT 0 CHECK (success_count >= 0),
                        failure_count INTEGER NOT NULL DEFAULT 0 CHECK (failure_count >= 0),
                        enabled INTEGER NOT NULL DEFAULT 1,
                        source TEXT NOT NULL CHECK (source IN ('seed', 'learned')),
                        last_used_at TEXT,
                        created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
                        updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
                    );
                    CREATE INDEX remediation_patterns_alertname ON remediation_patterns (alertname);

                    CREATE TABLE alert_fingerprints (
                        id INTEGER PRIMARY KEY,
                        idempotency_key TEXT NOT NULL UNIQUE,
                        sha256 TEXT NOT NULL UNIQUE,
                        alertname TEXT NOT NULL,
                        parts TEXT NOT NULL,
                        first_seen_at TEXT NOT NULL,
                        last_seen_at TEXT NOT NULL,
                        occurrences INTEGER NOT NULL DEFAULT 1
                    );

                    CREATE TABLE learning_feedback (
                        id INTEGER PRIMARY KEY,
                        idempotency_key TEXT NOT NULL UNIQUE,
                        pattern_id INTEGER,
                        remediation_key TEXT NOT NULL,
                        outcome TEXT NOT NULL CHECK (outcome IN ('success', 'failure')),
                        verified INTEGER NOT NULL,
                        recorded_at TEXT NOT NULL
                    );

                    CREATE TABLE host_status_log (
                        id INTEGER PRIMARY KEY,
                        idempotency_key TEXT NOT NULL UNIQUE,
                        host TEXT NOT NULL,
                        from_state TEXT NOT NULL CHECK (from_state IN ('unknown', 'online', 'offline', 'checking')),
                        to_state TEXT NOT NULL CHECK (to_state IN ('unknown', 'online', 'offline', 'checking')),
                        error TEXT,
                        consecutive_failures INTEGER NOT NULL DEFAULT 0,
                        last_success_at TEXT,
                        changed_at TEXT NOT NULL,
                        runner TEXT NOT NULL DEFAULT ''
                    );
                    CREATE INDEX host_status_log_host_changed_at ON host_status_log (host, changed_at);

                    CREATE TABLE maintenance_windows (
                        id INTEGER PRIMARY KEY,
                        idempotency_key TEXT NOT NULL UNIQUE,
                        host TEXT,
                        reason TEXT NOT NULL,
                        author TEXT NOT NULL,
                        starts_at TEXT NOT NULL,
                        ends_at TEXT,
                        ended_at TEXT,
                        suppressed_count INTEGER NOT NULL DEFAULT 0,
                        created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
                        CHECK (ends_at IS NULL OR ends_at > starts_at)
                    );

                    CREATE VIEW high_confidence_patterns AS
                    SELECT p.id, p.alertname, p.fingerprint, p.commands, p.risk, p.source, p.success_count, p.failure_count,
                           p.last_used_at, calculate_pattern_confidence(p.success_count, p.failure_count, p.last_used_at) AS confidence
                    FROM remediation_patterns p
                    WHERE p.enabled AND p.success_count >= 5
                      AND calculate_pattern_confidence(p.success_count, p.failure_count, p.last_used_at) >= 0.90
                    ORDER BY confidence DESC, p.success_count DESC, p.id;

                    CREATE VIEW learning_stats AS
                    SELECT alertname, count(*) AS patterns, sum(enabled != 0) AS enabled_patterns,
                           sum(success_count) AS successes, sum(failure_count) AS failures,
                           CASE WHEN sum(success_count) + sum(failure_count) > 0
                                THEN CAST(sum(success_count) AS REAL) / (sum(success_count) + sum(failure_count)) END AS success_rate,
                           max(last_used_at) AS last_used_at
                    FROM remediation_patterns
                    GROUP BY alertname
                    ORDER BY alertname;
                    """)
        }
        migrator.registerMigration("v3-notification-outbox") { db in
            // Discord messages waiting to be sent (JournalDatabase+Outbox). A row is pending
            // while delivered_at and dead_at are both NULL; delivered and dead rows are kept
            // for 30 days (audit, and the dedup window of the weekly report), then pruned.
            try db.execute(
                sql: """
                    CREATE TABLE notification_outbox (
                        id INTEGER PRIMARY KEY,
                        dedup_key TEXT NOT NULL UNIQUE,
                        kind TEXT NOT NULL,
                        body TEXT NOT NULL,
                        created_at TEXT NOT NULL,
                        attempts INTEGER NOT NULL DEFAULT 0,
                        last_error TEXT,
                        next_attempt_at TEXT NOT NULL,
                        delivered_at TEXT,
                        dead_at TEXT
                    );
                    -- Pending rows in order: the dispatcher's only query on the hot path.
                    CREATE INDEX notification_outbox_pending ON notification_outbox (id)
                        WHERE delivered_at IS NULL AND dead_at IS NULL;
                    """)
        }
        migrator.registerMigration("v4-triage-decisions") { db in
            try db.execute(
                sql: """
                    -- The decision triage made when the event arrived (NULL: recorded before
                    -- triage existed). Stored in the event's own row: no second row per alert.
                    ALTER TABLE alert_events ADD COLUMN decision TEXT;
                    ALTER TABLE alert_events ADD COLUMN decision_reason TEXT;
                    ALTER TABLE alert_events ADD COLUMN root_cause TEXT;
                    ALTER TABLE alert_events ADD COLUMN maintenance_window_id INTEGER;

                    -- Later decisions about an event already recorded: a notification of the same
                    -- occurrence and status after the dedup cooldown is triaged again, and its
                    -- decision (anything but "deduplicated") lands here.
                    CREATE TABLE triage_decisions (
                        id INTEGER PRIMARY KEY,
                        idempotency_key TEXT NOT NULL UNIQUE,
                        event_key TEXT NOT NULL,
                        alert_key TEXT NOT NULL,
                        decision TEXT NOT NULL,
                        decision_reason TEXT NOT NULL,
                        root_cause TEXT,
                        maintenance_window_id INTEGER,
                        decided_at TEXT NOT NULL,
                        runner TEXT NOT NULL DEFAULT ''
                    );

                    -- Windows change (counter, early end): each change is journaled as a new
                    -- snapshot, and PostgreSQL keeps the newest by updated_at.
                    ALTER TABLE maintenance_windows ADD COLUMN updated_at TEXT;
                    """)
        }
        migrator.registerMigration("v6-remediation-snapshots") { db in
            try db.execute(
                sql: """
                    -- A remediation row changes (intent → outcome → verification, or approval):
                    -- each change is journaled as a snapshot and PostgreSQL keeps the newest.
                    ALTER TABLE remediation_log ADD COLUMN updated_at TEXT;
                    -- For high-risk plans parked for a person: awaiting, approved or rejected.
                    ALTER TABLE remediation_log ADD COLUMN approval TEXT;
                    -- The plan in one line for people (policy reason, pattern, or the LLM's summary).
                    ALTER TABLE remediation_log ADD COLUMN plan_summary TEXT NOT NULL DEFAULT '';
                    CREATE INDEX remediation_log_outcome ON remediation_log (outcome, verification);
                    """)
        }
        migrator.registerMigration("v5-compact-alert-events") { db in
            // Ingest writes one alert_events row and one journal row per alert, fsynced per
            // group of files; these bytes are most of its cost. Three changes:
            //  - what is the same for every alert of a delivery (receiver, group key, external
            //    URL, file SHA-256, arrival time, runner) is stored once, in `deliveries`;
            //  - the unique index on the 55-byte key text becomes an index on its 64-bit hash
            //    (AlertEventKeyHash; the text is compared on a hash hit, so dedup stays exact);
            //  - journal rows of alert events leave `idempotency_key` empty (it is read from the
            //    event, through `ref`).
            // Ids are kept, so journal refs stay valid. `alert_event_rows` shows the columns of
            // PostgreSQL's alert_events, for people and for the drain.
            db.add(
                function: DatabaseFunction("jarvis_key_hash", argumentCount: 1, pure: true) { values in
                    String.fromDatabaseValue(values[0]).map(AlertEventKeyHash.of)
                })
            try db.execute(
                sql: """
                    CREATE TABLE deliveries (
                        id INTEGER PRIMARY KEY,
                        receiver TEXT NOT NULL DEFAULT '',
                        group_key TEXT NOT NULL DEFAULT '',
                        external_url TEXT NOT NULL DEFAULT '',
                        source_sha256 TEXT NOT NULL DEFAULT '',
                        received_at TEXT NOT NULL,
                        runner TEXT NOT NULL DEFAULT ''
                    );
                    CREATE INDEX deliveries_migration ON deliveries (receiver, group_key, external_url, source_sha256, received_at, runner);
                    INSERT INTO deliveries (receiver, group_key, external_url, source_sha256, received_at, runner)
                        SELECT receiver, group_key, external_url, source_sha256, received_at, runner FROM alert_events
                        GROUP BY receiver, group_key, external_url, source_sha256, received_at, runner ORDER BY min(id);

                    CREATE TABLE alert_events_v5 (
                        id INTEGER PRIMARY KEY,
                        key_hash INTEGER NOT NULL,
                        idempotency_key TEXT NOT NULL,
                        delivery_id INTEGER NOT NULL REFERENCES deliveries (id),
                        fingerprint TEXT NOT NULL,
                        sender_fingerprint TEXT NOT NULL DEFAULT '',
                        alertname TEXT NOT NULL,
                        alert_key TEXT NOT NULL,
                        status TEXT NOT NULL CHECK (status IN ('firing', 'resolved')),
                        starts_at TEXT NOT NULL,
                        ends_at TEXT,
                        labels TEXT NOT NULL,
                        annotations TEXT NOT NULL,
                        generator_url TEXT NOT NULL DEFAULT '',
                        decision TEXT,
                        decision_reason TEXT,
                        root_cause TEXT,
                        maintenance_window_id INTEGER
                    );
                    INSERT INTO alert_events_v5
                        SELECT e.id, jarvis_key_hash(e.idempotency_key), e.idempotency_key, d.id, e.fingerprint, e.sender_fingerprint,
                               e.alertname, e.alert_key, e.status, e.starts_at, e.ends_at, e.labels, e.annotations, e.generator_url,
                               e.decision, e.decision_reason, e.root_cause, e.maintenance_window_id
                        FROM alert_events e JOIN deliveries d
                          ON d.receiver = e.receiver AND d.group_key = e.group_key AND d.external_url = e.external_url
                         AND d.source_sha256 = e.source_sha256 AND d.received_at = e.received_at AND d.runner = e.runner
                        ORDER BY e.id;
                    DROP TABLE alert_events;
                    ALTER TABLE alert_events_v5 RENAME TO alert_events;
                    DROP INDEX deliveries_migration;
                    -- Not unique: two keys may share a hash. recordFiles compares the text.
                    CREATE INDEX alert_events_key_hash ON alert_events (key_hash);

                    -- alert_events as PostgreSQL has it (AlertEventRow.columns), with the local id.
                    CREATE VIEW alert_event_rows AS
                    SELECT e.id, e.idempotency_key, e.fingerprint, e.sender_fingerprint, e.alertname, e.alert_key, e.status,
                           e.starts_at, e.ends_at, e.labels, e.annotations, d.receiver, d.group_key, d.external_url, e.generator_url,
                           d.source_sha256, d.received_at, d.runner, e.decision, e.decision_reason, e.root_cause,
                           e.maintenance_window_id
                    FROM alert_events e JOIN deliveries d ON d.id = e.delivery_id;
                    """)
        }
        migrator.registerMigration("v7-triage-rows") { db in
            // The large parts of the triage state (processed keys, open occurrences, flap
            // histories; see TriageStateRow), one row per occurrence or alert key, so a run
            // reads and writes only what its alerts touch. The state document ("triage" in
            // `state`) keeps the small parts and the committed generation.
            //  - `value`: the newest version (NULL: deleted).
            //  - `generation`: the run that wrote it. Rows of a run become the state only when
            //    that run saves the document with its generation (one transaction), so a run
            //    killed halfway leaves rows with a newer generation behind.
            //  - `previous`: the committed version those rows replaced; the next run puts it
            //    back before it triages the interrupted run's alerts again.
            //  - `expires_at`: seconds since the epoch after which prune would drop it all.
            // New rows are appended (rowid order) and found through the 64-bit hash of their
            // key, as alert events are: keyed by the text itself, 5,000 random inserts per group
            // commit dirtied nearly every page of the table (8× slower at 100,000 alerts).
            try db.execute(
                sql: """
                    CREATE TABLE triage_rows (
                        id INTEGER PRIMARY KEY,
                        key_hash INTEGER NOT NULL,
                        key TEXT NOT NULL,
                        value BLOB,
                        previous BLOB,
                        generation INTEGER NOT NULL,
                        expires_at REAL NOT NULL
                    );
                    -- Not unique: two keys may share a hash; the key text decides.
                    CREATE INDEX triage_rows_key_hash ON triage_rows (key_hash);
                    """)
        }
        migrator.registerMigration("v8-learning") { db in
            // The learning engine (JournalDatabase+Patterns): patterns carry what they need to
            // be chosen and bound (summary, required labels, command-set key, current tier);
            // every change to a pattern is a pattern_events row; pattern_evidence remembers
            // which occurrences a pattern was credited for (successes count distinct
            // occurrences); fingerprints change (occurrences, last seen), so they are snapshots.
            // Then the 14 seeds become rows, ids 1–14, as PostgreSQL migration 4 writes them.
            try db.execute(
                sql: """
                    ALTER TABLE remediation_patterns ADD COLUMN summary TEXT NOT NULL DEFAULT '';
                    ALTER TABLE remediation_patterns ADD COLUMN required_labels TEXT NOT NULL DEFAULT '[]';
                    ALTER TABLE remediation_patterns ADD COLUMN command_set TEXT NOT NULL DEFAULT '';
                    ALTER TABLE remediation_patterns ADD COLUMN tier INTEGER NOT NULL DEFAULT 3 CHECK (tier BETWEEN 1 AND 3);
                    ALTER TABLE alert_fingerprints ADD COLUMN updated_at TEXT;

                    CREATE TABLE pattern_events (
                        id INTEGER PRIMARY KEY,
                        idempotency_key TEXT NOT NULL UNIQUE,
                        pattern_id INTEGER NOT NULL,
                        kind TEXT NOT NULL CHECK (kind IN ('learned','promoted','demoted','disabled','enabled')),
                        from_tier INTEGER, to_tier INTEGER,
                        remediation_key TEXT,
                        recorded_at TEXT NOT NULL,
                        runner TEXT NOT NULL DEFAULT ''
                    );
                    CREATE INDEX IF NOT EXISTS pattern_events_pattern_id ON pattern_events (pattern_id);

                    CREATE TABLE pattern_evidence (
                        pattern_id INTEGER NOT NULL,
                        occurrence_key TEXT NOT NULL,
                        PRIMARY KEY (pattern_id, occurrence_key)
                    ) WITHOUT ROWID;
                    """)
            try JournalDatabase.insertSeeds(db: db)
        }
        migrator.registerMigration("v9-analytics") { db in
            // The weekly report's figures (ReportQuery) read the store-of-record tables and
            // pattern_events (v8); one more table feeds them. `host_status_log` (v2) now also
            // receives this runner's transitions locally (HostStateStore), so embedded mode has
            // downtime too.
            try db.execute(
                sql: """
                    -- One row per flush of the journal to PostgreSQL (drain, or ingest's flush)
                    -- that found rows waiting: how many, how many it sent, and whether it
                    -- failed. Local only (each runner has its own journal); kept 400 days.
                    CREATE TABLE journal_activity (
                        id INTEGER PRIMARY KEY,
                        at TEXT NOT NULL,
                        drained INTEGER NOT NULL,
                        depth_before INTEGER NOT NULL,
                        depth_after INTEGER NOT NULL,
                        degraded INTEGER NOT NULL
                    );
                    """)
        }
        migrator.registerMigration("v12-runners") { db in
            // Several runners on one PostgreSQL: windows opened on another runner are copied
            // here at the start of a run (`shared` = 1; their counters are not sent back,
            // since each runner only knows its own suppressions), and each window records the
            // runner it was opened on.
            try db.execute(
                sql: """
                    ALTER TABLE maintenance_windows ADD COLUMN shared INTEGER NOT NULL DEFAULT 0;
                    ALTER TABLE maintenance_windows ADD COLUMN runner TEXT NOT NULL DEFAULT '';
                    """)
        }
        migrator.registerMigration("v10-report-speed") { db in
            // The weekly report's occurrence figures read `alert_occurrences`: PostgreSQL keeps
            // it as a table; here it is a view over alert_events with the same columns.
            try db.execute(sql: ReportOccurrences.sqliteSchema)
        }
        migrator.registerMigration("v13-window-key") { db in
            // An event held back by a maintenance window records the window's key (the same on
            // every runner) beside its local id, so a window opened on another runner and
            // copied here gets the events held back here. Older events take the key of the
            // local window their id names. `alert_event_rows` shows the new column too.
            try db.execute(
                sql: """
                    ALTER TABLE alert_events ADD COLUMN maintenance_window_key TEXT;
                    UPDATE alert_events
                    SET maintenance_window_key = (SELECT w.idempotency_key FROM maintenance_windows w WHERE w.id = alert_events.maintenance_window_id)
                    WHERE maintenance_window_id IS NOT NULL;
                    CREATE INDEX alert_events_maintenance_window_key ON alert_events (maintenance_window_key)
                        WHERE maintenance_window_key IS NOT NULL;
                    DROP VIEW alert_event_rows;
                    CREATE VIEW alert_event_rows AS
                    SELECT e.id, e.idempotency_key, e.fingerprint, e.sender_fingerprint, e.alertname, e.alert_key, e.status,
                           e.starts_at, e.ends_at, e.labels, e.annotations, d.receiver, d.group_key, d.external_url, e.generator_url,
                           d.source_sha256, d.received_at, d.runner, e.decision, e.decision_reason, e.root_cause,
                           e.maintenance_window_id, e.maintenance_window_key
                    FROM alert_events e JOIN deliveries d ON d.id = e.delivery_id;
                    """)
        }
        return migrator
    }
}
