import Foundation
import GRDB
import JarvisCore

/// The local SQLite database: the write-ahead journal of rows bound for PostgreSQL, the local
/// copy of alert events, run history and persisted state.
///
/// Opened in WAL mode with `synchronous = FULL`: when a transaction returns, its rows are on
/// disk, so a spool file may be deleted right after.
public final class JournalDatabase: Sendable {
    private let pool: DatabasePool
    public let path: String

    /// Opens (creating if needed) the database at `path` and applies pending migrations.
    /// - Throws: `JournalError` when the file cannot be opened or migrated.
    public init(path: String, migrate: Bool = true) throws {
        self.path = path
        var configuration = Configuration()
        configuration.busyMode = .timeout(30)
        configuration.label = "jarvis.journal"
        configuration.prepareDatabase { db in
            // 8 KiB pages for a new file (no effect on an existing one): fewer, fuller pages
            // per group commit. jarvis-bench, 100,000 alerts: 13.0 → 10.7 µs per row.
            try db.execute(sql: "PRAGMA page_size = 8192")
            // The views call it, as in PostgreSQL; one formula, in JarvisCore.
            for arity in [3, 4] {
                db.add(function: DatabaseFunction("calculate_pattern_confidence", argumentCount: arity, pure: false) { values in
                    let lastUsed = String.fromDatabaseValue(values[2]).flatMap { Timestamp(rfc3339: $0) }
                    let halfLife = arity == 4 ? (Double.fromDatabaseValue(values[3]) ?? PatternConfidence.defaultHalfLifeDays) : PatternConfidence.defaultHalfLifeDays
                    var clock = timespec()
                    clock_gettime(CLOCK_REALTIME, &clock)
                    return PatternConfidence.calculate(
                        successes: Int.fromDatabaseValue(values[0]) ?? 0, failures: Int.fromDatabaseValue(values[1]) ?? 0,
                        lastUsedAt: lastUsed, now: Timestamp(seconds: Int64(clock.tv_sec), nanoseconds: Int32(clock.tv_nsec)),
                        halfLifeDays: halfLife)
                })
            }
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

    // MARK: Alert events

    /// Records the events of one spool file in one transaction. See `recordFiles`.
    public func record(_ events: [AlertEvent], journal: Bool, now: Timestamp) throws -> RecordResult {
        try recordFiles([events], journal: journal, now: now)[0]
    }

    /// Records the events of several spool files in one transaction (group commit): every
    /// file's rows are committed together, and synced before this returns, so each file may
    /// be deleted afterwards.
    ///
    /// Each event is inserted unless its idempotency key is already present (found through
    /// `key_hash`, then compared as text). The first new event of a file adds the file's
    /// `deliveries` row. With `journal` true (PostgreSQL configured), every newly inserted
    /// event also gets a journal row in the same transaction.
    /// - Returns: per file, how many events were new and how many were already known.
    public func recordFiles(
        _ files: [[AlertEvent]], journal: Bool, now: Timestamp, triageRows: [TriageStateRow] = [], generation: Int64 = 0
    ) throws -> [RecordResult] {
        try record(files.map { $0.map(PreparedEvent.init) }, journal: journal, now: now, triageRows: triageRows, generation: generation)
    }

    /// An event with the text its row needs (key, hash, times, labels and annotations as
    /// JSON), built before the write transaction so that the transaction only binds and steps.
    struct PreparedEvent {
        let event: AlertEvent
        let key: String
        let hash: Int64
        let startsAt: String
        let endsAt: String?
        let labels: String
        let annotations: String
        let alertKey: String

        init(_ event: AlertEvent) {
            self.event = event
            let alert = event.alert
            startsAt = alert.startsAt.rfc3339
            key = event.idempotencyKey
            hash = AlertEventKeyHash.of(key)
            endsAt = alert.endsAt?.rfc3339
            labels = JSONWriter.object(alert.labels)
            annotations = JSONWriter.object(alert.annotations)
            alertKey = alert.alertKey.description
        }
    }

    private func record(
        _ files: [[PreparedEvent]], journal: Bool, now: Timestamp, triageRows: [TriageStateRow], generation: Int64
    ) throws -> [RecordResult] {
        try pool.write { db in
            try Self.writeTriageRows(triageRows, generation: generation, db: db)
            let find = SQLiteBinding.RawStatement(
                try db.cachedStatement(sql: "SELECT idempotency_key FROM alert_events WHERE key_hash = ?"), db)
            let insertDelivery = SQLiteBinding.RawStatement(
                try db.cachedStatement(
                    sql: """
                        INSERT INTO deliveries (receiver, group_key, external_url, source_sha256, received_at, runner)
                        VALUES (?, ?, ?, ?, ?, ?)
                        """), db)
            let insertEvent = SQLiteBinding.RawStatement(
                try db.cachedStatement(
                    sql: """
                        INSERT INTO alert_events (
                            key_hash, idempotency_key, delivery_id, fingerprint, sender_fingerprint, alertname, alert_key, status,
                            starts_at, ends_at, labels, annotations, generator_url, decision, decision_reason, root_cause,
                            maintenance_window_id)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                        """), db)
            let insertJournal = SQLiteBinding.RawStatement(
                try db.cachedStatement(
                    sql: "INSERT INTO journal (tbl, idempotency_key, json, ref, created_at) VALUES ('alert_events', '', NULL, ?, ?)"),
                db)
            let created = now.rfc3339
            var results: [RecordResult] = []
            results.reserveCapacity(files.count)
            for events in files {
                var result = RecordResult()
                result.isNew.reserveCapacity(events.count)
                // The delivery row of the events before; a file's events share one.
                var delivery: (id: Int64, of: AlertEvent)?
                for prepared in events {
                    let event = prepared.event
                    let alert = event.alert
                    var key = prepared.key
                    let hash = prepared.hash
                    find.reset()
                    try find.bind(1, hash)
                    var known = false
                    while !known, try find.step() { known = find.column(0, equals: &key) }
                    find.reset()
                    if known {
                        result.duplicates += 1
                        result.isNew.append(false)
                        if let decision = event.decision, decision.kind != TriageDecision.deduplicated.kind {
                            try Self.recordRedecision(event, decision, db: db, journal: journal, created: created)
                        }
                        continue
                    }
                    if delivery == nil || !Self.sameDelivery(delivery!.of, event) {
                        insertDelivery.reset()
                        try insertDelivery.bind(1, event.receiver)
                        try insertDelivery.bind(2, event.groupKey)
                        try insertDelivery.bind(3, event.externalURL)
                        try insertDelivery.bind(4, event.sourceSHA256)
                        try insertDelivery.bind(5, event.receivedAt.rfc3339)
                        try insertDelivery.bind(6, event.runner)
                        try insertDelivery.run()
                        delivery = (db.lastInsertedRowID, event)
                    }
                    insertEvent.reset()
                    try insertEvent.bind(1, hash)
                    try insertEvent.bind(2, key)
                    try insertEvent.bind(3, delivery!.id)
                    try insertEvent.bind(4, alert.fingerprint)
                    try insertEvent.bind(5, alert.senderFingerprint)
                    try insertEvent.bind(6, alert.alertname)
                    try insertEvent.bind(7, prepared.alertKey)
                    try insertEvent.bind(8, alert.status.rawValue)
                    try insertEvent.bind(9, prepared.startsAt)
                    try insertEvent.bind(10, prepared.endsAt)
                    try insertEvent.bind(11, prepared.labels)
                    try insertEvent.bind(12, prepared.annotations)
                    try insertEvent.bind(13, alert.generatorURL)
                    try insertEvent.bind(14, event.decision?.kind)
                    try insertEvent.bind(15, event.decision?.reason)
                    try insertEvent.bind(16, event.decision?.rootCause)
                    try insertEvent.bind(17, event.decision?.maintenanceWindowID)
                    try insertEvent.run()
                    result.inserted += 1
                    result.isNew.append(true)
                    if journal {
                        insertJournal.reset()
                        try insertJournal.bind(1, db.lastInsertedRowID)
                        try insertJournal.bind(2, created)
                        try insertJournal.run()
                    }
                }
                results.append(result)
            }
            return results
        }
    }

    private static func sameDelivery(_ a: AlertEvent, _ b: AlertEvent) -> Bool {
        a.receivedAt == b.receivedAt && a.sourceSHA256 == b.sourceSHA256 && a.receiver == b.receiver && a.groupKey == b.groupKey
            && a.externalURL == b.externalURL && a.runner == b.runner
    }

    /// Records a later decision about an event already stored (the same occurrence and
    /// status, notified again after the dedup cooldown) in `triage_decisions`.
    private static func recordRedecision(
        _ event: AlertEvent, _ decision: RecordedDecision, db: Database, journal: Bool, created: String
    ) throws {
        try recordDecision(
            Redecision(eventKey: event.idempotencyKey, alertKey: event.alert.alertKey.description, decision: decision),
            decidedAt: event.receivedAt, runner: event.runner, db: db, journal: journal, created: created)
    }

    /// A decision about an alert event that is already stored.
    public struct Redecision: Sendable {
        public var eventKey: String
        public var alertKey: String
        public var decision: RecordedDecision
        public init(eventKey: String, alertKey: String, decision: RecordedDecision) {
            self.eventKey = eventKey
            self.alertKey = alertKey
            self.decision = decision
        }
    }

    static func recordDecision(
        _ redecision: Redecision, decidedAt: Timestamp, runner: String, db: Database, journal: Bool, created: String
    ) throws {
        let decision = redecision.decision
        let decided = decidedAt.rfc3339
        let key = "\(redecision.eventKey)#\(decided)"
        try db.execute(
            sql: """
                INSERT OR IGNORE INTO triage_decisions
                    (idempotency_key, event_key, alert_key, decision, decision_reason, root_cause, maintenance_window_id, decided_at, runner)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                """,
            arguments: [
                key, redecision.eventKey, redecision.alertKey, decision.kind, decision.reason, decision.rootCause,
                decision.maintenanceWindowID, decided, runner,
            ])
        guard journal, db.changesCount > 0 else { return }
        var w = JSONWriter()
        w.field("idempotency_key", key)
        w.field("event_key", redecision.eventKey)
        w.field("alert_key", redecision.alertKey)
        w.field("decision", decision.kind)
        w.field("decision_reason", decision.reason)
        w.field("root_cause", decision.rootCause)
        w.field("maintenance_window_id", decision.maintenanceWindowID.map(String.init))
        w.field("decided_at", decided)
        w.field("runner", runner)
        try db.execute(
            sql: "INSERT INTO journal (tbl, idempotency_key, json, ref, created_at) VALUES ('triage_decisions', ?, ?, NULL, ?)",
            arguments: [key, w.finish(), created])
    }

    /// The end of a run's triage, in one transaction: expires windows whose end passed,
    /// adds suppressions to window counters, records decisions about re-evaluated alerts,
    /// writes the run's last triage rows (and drops expired ones), and saves the triage state
    /// document built by `document` from the cursor (the highest `alert_events.id`, i.e.
    /// everything recorded so far is folded into it); the document commits the rows.
    /// - Returns: the windows that expired now.
    public func commitTriage(
        windowHits: [Int64: Int], redecisions: [Redecision], runner: String, now: Timestamp, journal: Bool,
        updating documents: [String: (String?) throws -> String] = [:], triageRows: TriageRowCommit? = nil,
        document: (Int64) throws -> String
    ) throws -> [MaintenanceWindow] {
        try write { db in
            if let triageRows {
                try Self.writeTriageRows(triageRows.rows, generation: triageRows.generation, db: db)
                if triageRows.prune { _ = try Self.pruneTriageRows(now: now, committed: triageRows.generation, db: db) }
            }
            for (name, update) in documents.sorted(by: { $0.key < $1.key }) {
                let current = try String.fetchOne(db, sql: "SELECT json FROM state WHERE name = ?", arguments: [name])
                try Self.saveState(name, json: try update(current), at: now, db: db)
            }
            let expired = try Self.expireMaintenance(db: db, now: now, journal: journal)
            try Self.addSuppressions(windowHits, db: db, now: now, journal: journal)
            for redecision in redecisions {
                try Self.recordDecision(redecision, decidedAt: now, runner: runner, db: db, journal: journal, created: now.rfc3339)
            }
            let cursor = try Int64.fetchOne(db, sql: "SELECT max(id) FROM alert_events") ?? 0
            try Self.saveState("triage", json: try document(cursor), at: now, db: db)
            return expired
        }
    }

    /// The triage rows `commitTriage` writes with the state document that commits them.
    public struct TriageRowCommit: Sendable {
        /// The last rows of the run.
        public var rows: [TriageStateRow]
        /// The run's generation, committed by the document saved in the same transaction.
        public var generation: Int64
        /// Also drop expired and deleted rows.
        public var prune: Bool

        public init(rows: [TriageStateRow], generation: Int64, prune: Bool) {
            self.rows = rows
            self.generation = generation
            self.prune = prune
        }
    }

    /// Alert events recorded after `id` that carry a triage decision, in order, as events
    /// (for triaging an interrupted run's rows again); at most `limit`. Rows recorded before
    /// triage existed have no decision and are left alone.
    public func alertEvents(after id: Int64, limit: Int = 2000) throws -> [(id: Int64, event: AlertEvent)] {
        try read { db in
            let rows = try Row.fetchCursor(
                db,
                sql: """
                    SELECT e.status, e.labels, e.annotations, e.starts_at, e.ends_at, e.generator_url, e.sender_fingerprint,
                           d.receiver, d.group_key, d.external_url, d.source_sha256, d.received_at, d.runner, e.id
                    FROM alert_events e JOIN deliveries d ON d.id = e.delivery_id
                    WHERE e.id > ? AND e.decision IS NOT NULL ORDER BY e.id LIMIT ?
                    """, arguments: [id, limit])
            var events: [(id: Int64, event: AlertEvent)] = []
            while let row = try rows.next() {
                guard let status = AlertStatus(rawValue: row[0]), let startsAt = Timestamp(rfc3339: row[3] as String),
                    let receivedAt = Timestamp(rfc3339: row[11] as String)
                else { continue }
                let alert = Alert(
                    status: status, labels: Self.stringObject(row[1]), annotations: Self.stringObject(row[2]), startsAt: startsAt,
                    endsAt: (row[4] as String?).flatMap { Timestamp(rfc3339: $0) }, generatorURL: row[5], senderFingerprint: row[6])
                events.append(
                    (row[13], AlertEvent(
                        alert: alert, receiver: row[7], groupKey: row[8], externalURL: row[9], sourceSHA256: row[10],
                        receivedAt: receivedAt, runner: row[12])))
            }
            return events
        }
    }

    static func stringObject(_ json: String?) -> [String: String] {
        guard let json, let object = try? JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any] else { return [:] }
        return object.compactMapValues { $0 as? String }
    }

    /// The tables of the local schema.
    public static let tables: Set<String> = [
        "alert_events", "deliveries", "journal", "state", "remediation_log", "remediation_patterns", "alert_fingerprints", "learning_feedback",
        "host_status_log", "maintenance_windows", "triage_decisions", "notification_outbox",
    ]

    /// Rows in a local table (for status and tests). `table` must be a known table.
    public func count(_ table: String) throws -> Int {
        guard JournalDatabase.tables.contains(table) else {
            throw JournalError("unknown table \(table)")
        }
        return try pool.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM \(table)") ?? 0 }
    }

    // MARK: Journal

    /// The oldest `limit` journal rows, in order. Alert events carry their column values
    /// (`JournalEntry.alertEvent`, read from `alert_events` and `deliveries` through `ref`);
    /// other rows their JSON object.
    public func pendingEntries(limit: Int) throws -> [JournalEntry] {
        try pool.read { db in
            // Explicit joins, not the alert_event_rows view: SQLite would not flatten a join
            // view on the right of a LEFT JOIN.
            let statement = SQLiteBinding.RawStatement(
                try db.makeStatement(
                    sql: """
                        SELECT j.seq, j.tbl, j.idempotency_key, j.json, j.created_at, e.id, e.idempotency_key, e.fingerprint,
                               e.sender_fingerprint, e.alertname, e.alert_key, e.status, e.starts_at, e.ends_at, e.labels, e.annotations,
                               d.receiver, d.group_key, d.external_url, e.generator_url, d.source_sha256, d.received_at, d.runner,
                               e.decision, e.decision_reason, e.root_cause, e.maintenance_window_id
                        FROM journal j LEFT JOIN alert_events e ON e.id = j.ref LEFT JOIN deliveries d ON d.id = e.delivery_id
                        ORDER BY j.seq LIMIT ?
                        """), db)
            try statement.bind(1, Int64(limit))
            var entries: [JournalEntry] = []
            entries.reserveCapacity(min(limit, 100_000))
            var createdText = ""
            var createdAt = Timestamp(seconds: 0)
            let columnCount = Int32(AlertEventRow.columns.count)
            while try statement.step() {
                let seq = statement.int64(0) ?? 0
                let table = statement.text(1) ?? ""
                // Rows of one group commit share their created_at: parse it once.
                if let text = statement.text(4), text != createdText {
                    createdText = text
                    createdAt = Timestamp(rfc3339: text) ?? Timestamp(seconds: 0)
                }
                if let json = statement.text(3) {
                    entries.append(
                        JournalEntry(seq: seq, table: table, idempotencyKey: statement.text(2) ?? "", json: json, createdAt: createdAt))
                } else if statement.int64(5) != nil {
                    let row = AlertEventRow(values: (0..<columnCount).map { statement.text(6 + $0) })
                    entries.append(JournalEntry(seq: seq, table: table, alertEvent: row, createdAt: createdAt))
                } else {
                    throw JournalError("journal row \(seq) points at a missing alert_events row")
                }
            }
            return entries
        }
    }

    /// Deletes journal rows up to and including `seq`, after PostgreSQL committed them.
    public func removeEntries(through seq: Int64) throws {
        try pool.write { db in try db.execute(sql: "DELETE FROM journal WHERE seq <= ?", arguments: [seq]) }
    }

    /// How many rows wait for PostgreSQL, and since when.
    public func depth() throws -> JournalDepth {
        try pool.read { db in
            let row = try Row.fetchOne(db, sql: "SELECT count(*), min(created_at) FROM journal")
            let oldest: String? = row?[1]
            return JournalDepth(rows: row?[0] ?? 0, oldest: oldest.flatMap { Timestamp(rfc3339: $0) })
        }
    }

    /// Appends arbitrary rows (host transitions, outcomes…) to the journal in one transaction.
    public func append(_ rows: [(table: String, idempotencyKey: String, json: String)], now: Timestamp) throws {
        try pool.write { db in
            let statement = try db.cachedStatement(sql: "INSERT INTO journal (tbl, idempotency_key, json, ref, created_at) VALUES (?, ?, ?, NULL, ?)")
            for row in rows {
                statement.setUncheckedArguments([row.table, row.idempotencyKey, row.json, now.rfc3339])
                try statement.execute()
            }
        }
    }

    // MARK: State documents

    /// Loads a persisted state document.
    public func loadState(_ name: String) throws -> String? {
        try pool.read { try String.fetchOne($0, sql: "SELECT json FROM state WHERE name = ?", arguments: [name]) }
    }

    /// Saves a persisted state document.
    public func saveState(_ name: String, json: String, at now: Timestamp) throws {
        try pool.write { db in try Self.saveState(name, json: json, at: now, db: db) }
    }

    /// Saves a state document inside a transaction.
    public static func saveState(_ name: String, json: String, at now: Timestamp, db: Database) throws {
        try db.execute(
            sql: "INSERT INTO state (name, json, updated_at) VALUES (?, ?, ?) ON CONFLICT (name) DO UPDATE SET json = excluded.json, updated_at = excluded.updated_at",
            arguments: [name, json, now.rfc3339])
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

/// What `record` did.
public struct RecordResult: Sendable, Equatable {
    public var inserted = 0
    public var duplicates = 0
    /// Per event, in order: true when it was new.
    public var isNew: [Bool] = []
    public init(inserted: Int = 0, duplicates: Int = 0, isNew: [Bool] = []) {
        self.inserted = inserted
        self.duplicates = duplicates
        self.isNew = isNew
    }
}

/// Rows waiting in the journal.
public struct JournalDepth: Sendable, Equatable {
    public var rows: Int
    public var oldest: Timestamp?
}

/// A journal failure, with a one-line description safe to log.
public struct JournalError: Error, Sendable, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }

    static func describe(_ error: any Error) -> String {
        if let error = error as? DatabaseError {
            return "\(error.message ?? "SQLite error") (SQLite code \(error.resultCode.rawValue))"
        }
        return "\(error)"
    }
}
