import Foundation
public import JarvisCore

/// The PostgreSQL store of record over one `PGConnection` it owns.
///
/// It is the core's `StoreOfRecord` (`PostgresStore+StoreOfRecord.swift`): its methods throw
/// `PGError`, which `failure(for:)` turns into what the run makes of it ("degraded" when the
/// server is unreachable).
/// Calls block the calling thread while libpq waits for the server; every connection has a
/// `connect_timeout` and TCP keepalives. After a lost connection the next call reconnects
/// (`PQreset`) before it runs. Like its connection it is not `Sendable`: confine it to one
/// task or actor.
public final class PostgresStore {
    /// At most this many journal rows go into one `INSERT` statement.
    public static let maximumRowsPerStatement = 2_000
    /// At most about this many bytes of JSON go into one `INSERT` statement.
    public static let maximumBytesPerStatement = 16 * 1024 * 1024
    /// How many times `apply` runs its transaction when the server aborts it with a
    /// deadlock or serialization failure (several runners inserting the same keys); each
    /// rerun waits a little longer, with jitter, so the runners involved stop meeting.
    public static let maximumApplyAttempts = 6
    /// The transaction-scoped advisory lock every `apply` takes first. The triggers on
    /// `alert_events` and `remediation_log` add to the same `jarvis_counters` rows, and a
    /// batch touches those rows statement by statement in journal order; two runners
    /// flushing at once would otherwise lock them in different orders and deadlock. The
    /// counter rows serialise the runners' batches anyway, so the lock costs one round trip.
    static let applyLock = "SELECT pg_advisory_xact_lock(hashtextextended('jarvis/apply', 0))"

    private let connection: PGConnection
    /// Column names of the journal tables, read from `pg_attribute` once.
    private var columnsByTable: [String: Set<String>]?
    /// True once a direct COPY of alert events met a key already stored: later runs go
    /// through the staging table at once (see `insert(_:stagingExists:)`).
    private var copyMetStoredKeys = false

    private init(connection: PGConnection) {
        self.connection = connection
    }

    /// Connects to PostgreSQL. Wraps `PGConnection.init` (`PQconnectdbParams`).
    ///
    /// - Parameters:
    ///   - url: A `postgresql://` URL or conninfo string; nil uses libpq's `PG*` environment
    ///     variables and `~/.pgpass`, like psql.
    ///   - connectTimeoutSeconds: `connect_timeout`.
    ///   - applicationName: `application_name` shown in `pg_stat_activity`.
    /// - Returns: A store owning the new connection.
    /// - Throws: `PGError` `.unreachable` (run degraded) or `.connectionFailed`.
    public static func connect(url: String?, connectTimeoutSeconds: Int = 3, applicationName: String = "jarvis") throws -> PostgresStore {
        let connection = try PGConnection(url: url, connectTimeoutSeconds: connectTimeoutSeconds, applicationName: applicationName)
        return PostgresStore(connection: connection)
    }

    /// Brings the schema up to date. Wraps `PostgresMigrations.migrate`.
    ///
    /// - Returns: Names of the steps applied now; empty when the schema was current.
    /// - Throws: `PGError` `.migrationFailed`, `.unreachable`, `.queryFailed`.
    public func migrate() throws -> [String] {
        try reconnectIfNeeded()
        columnsByTable = nil
        return try PostgresMigrations.migrate(connection)
    }

    /// Writes journal entries, in `seq` order, in one transaction.
    ///
    /// Alert events that carry their column values (`JournalEntry.alertEvent`, as the
    /// journal reads them) are copied: each run of consecutive ones goes through
    ///
    ///     COPY staging (cols) FROM STDIN      -- a temporary table, dropped at commit
    ///     INSERT INTO alert_events (cols) SELECT cols FROM staging
    ///     ON CONFLICT (idempotency_key) DO NOTHING
    ///
    /// Other entries carry a JSON object; consecutive ones for the same table (with the same
    /// JSON keys) share one statement of at most `maximumRowsPerStatement` rows:
    ///
    ///     INSERT INTO t (cols) SELECT cols FROM json_populate_recordset(NULL::t, $1::json)
    ///     ON CONFLICT (idempotency_key) DO NOTHING
    ///
    /// where `cols` are the keys of the entries' JSON objects. Tables in
    /// `PostgresMigrations.snapshotTables` update instead (`DO UPDATE … WHERE` the stored row
    /// is not newer), after `newestSnapshots` kept the last entry per key. Every table name
    /// must be one of `PostgresMigrations.journalTables` and every column one of its columns
    /// (checked against `pg_attribute`), and both must match `^[a-z_][a-z0-9_]*$`; nothing
    /// else reaches the statement text. Entries whose key is already stored are skipped, so
    /// replaying a batch inserts nothing. A deadlock or serialization failure reruns the
    /// transaction.
    ///
    /// - Parameter entries: The journal rows; their order in the array does not matter.
    /// - Returns: How many rows were inserted (0 for a replay).
    /// - Throws: `PGError` `.protocolViolation` for an unknown table or column or malformed
    ///   JSON, before anything is sent; `.queryFailed` when the server rejects a row (the
    ///   message names the table and the `seq` range of the failing statement; nothing of
    ///   the batch is committed); `.unreachable` when the server is gone.
    public func apply(_ entries: [JournalEntry]) throws -> Int {
        guard !entries.isEmpty else { return 0 }
        let ordered = entries.sorted { $0.seq < $1.seq }
        for entry in ordered where !PostgresMigrations.journalTables.contains(entry.table) || !PGIdentifier.isValid(entry.table) {
            throw PGError(
                code: .protocolViolation,
                message: "journal entry seq \(entry.seq): \(PostgresStore.quotedForMessage(entry.table)) is not a journal table")
        }
        // Runs of copied alert events and of JSON rows, in seq order.
        var segments: [Segment] = []
        var rows: [JournalRow] = []
        var copy = CopySegment()
        // About the size of an alert_events row as COPY text; growing the buffer page by page
        // cost more than filling it.
        let copyBytes = ordered.count * 768
        for entry in ordered {
            if let values = entry.alertEvent, entry.table == AlertEvent.table, !PostgresMigrations.snapshotTables.contains(entry.table) {
                if !rows.isEmpty {
                    segments.append(.rows(rows))
                    rows = []
                }
                if copy.isEmpty { copy.data.reserveCapacity(copyBytes) }
                copy.append(entry.seq, values)
            } else {
                if !copy.isEmpty {
                    segments.append(.copy(copy))
                    copy = CopySegment()
                }
                rows.append(try JournalRow(entry))
            }
        }
        if !rows.isEmpty { segments.append(.rows(rows)) }
        if !copy.isEmpty { segments.append(.copy(copy)) }

        try reconnectIfNeeded()
        let columns = try journalColumns()
        var work: [Work] = []
        for segment in segments {
            switch segment {
            case .copy(let copy):
                guard let known = columns[AlertEvent.table] else {
                    throw PGError(code: .protocolViolation, message: "table \(AlertEvent.table) does not exist; run `jarvis migrate`")
                }
                for column in AlertEventRow.columns where !PGIdentifier.isValid(column) || !known.contains(column) {
                    throw PGError(
                        code: .protocolViolation,
                        message:
                            "journal entry seq \(copy.firstSeq): \(PostgresStore.quotedForMessage(column)) is not a column of \(AlertEvent.table)")
                }
                work.append(.copy(copy))
            case .rows(let segmentRows):
                let kept = PostgresStore.newestSnapshots(segmentRows)
                for row in kept {
                    guard let known = columns[row.table] else {
                        throw PGError(code: .protocolViolation, message: "table \(row.table) does not exist; run `jarvis migrate`")
                    }
                    for column in row.columns where !PGIdentifier.isValid(column) || !known.contains(column) {
                        throw PGError(
                            code: .protocolViolation,
                            message: "journal entry seq \(row.seq): \(PostgresStore.quotedForMessage(column)) is not a column of \(row.table)")
                    }
                }
                work += PostgresStore.statements(for: kept).map { .statement($0) }
            }
        }

        var attempt = 1
        while true {
            switch insertAll(work) {
            case .success(let inserted):
                return inserted
            case .failure(let error) where error.isRetryableTransactionFailure && attempt < PostgresStore.maximumApplyAttempts:
                Thread.sleep(forTimeInterval: Double.random(in: 0.01...0.05) * Double(attempt))
                attempt += 1
            case .failure(let error):
                throw error
            }
        }
    }

    /// The number of rows in a journal table, a view, or `jarvis_schema_migrations`
    /// (`SELECT count(*)`).
    ///
    /// - Parameter table: The table or view name.
    /// - Throws: `PGError` `.protocolViolation` for any other name, or the query's error.
    public func count(table: String) throws -> Int {
        guard
            PostgresMigrations.journalTables.contains(table) || PostgresMigrations.views.contains(table)
                || table == "jarvis_schema_migrations", let identifier = PGIdentifier(table)
        else {
            throw PGError(code: .protocolViolation, message: "\(PostgresStore.quotedForMessage(table)) is not a jarvis table")
        }
        try reconnectIfNeeded()
        let result = try connection.execute("SELECT count(*) FROM \(identifier)")
        guard let count = try result.int64(row: 0, column: 0) else {
            throw PGError(code: .protocolViolation, message: "count(*) returned no value")
        }
        return Int(count)
    }

    /// True when the server answers `SELECT 1` now (reconnecting first if the connection
    /// was lost). Never throws: an unreachable server is `false`.
    public func ping() -> Bool {
        do {
            try reconnectIfNeeded()
            let result = try connection.execute("SELECT 1")
            return try result.int64(row: 0, column: 0) == 1
        } catch {
            return false
        }
    }

    /// Runs `body` with the store's connection, for queries the store has no method for.
    ///
    /// - Parameter body: The work; the connection must not escape it.
    /// - Returns: What `body` returns.
    /// - Throws: `body`'s error, or `PGError` when reconnecting fails.
    public func withConnection<T>(_ body: (PGConnection) throws -> T) throws -> T {
        try reconnectIfNeeded()
        return try body(connection)
    }

    // MARK: - Internals

    /// One `INSERT … SELECT … FROM json_populate_recordset` statement.
    package struct Statement {
        package var table: String
        package var columns: [String]
        package var rows: ArraySlice<JournalRow>
    }

    /// Cuts `rows` (in `seq` order) into statements: a new one starts at a change of table
    /// or of key set, after `maximumRowsPerStatement` rows, or past `maximumBytesPerStatement`.
    package static func statements(for rows: [JournalRow]) -> [Statement] {
        var statements: [Statement] = []
        var start = 0
        var bytes = 0
        var columnSet: Set<String> = []
        for index in rows.indices {
            let row = rows[index]
            if index > start {
                let first = rows[start]
                let sameShape =
                    row.table == first.table
                    && (row.columns == first.columns || (row.columns.count == first.columns.count && Set(row.columns) == columnSet))
                let full = index - start >= maximumRowsPerStatement || bytes + row.json.utf8.count > maximumBytesPerStatement
                if !sameShape || full {
                    statements.append(Statement(table: first.table, columns: first.columns, rows: rows[start..<index]))
                    start = index
                    bytes = 0
                }
            }
            if index == start { columnSet = Set(row.columns) }
            bytes += row.json.utf8.count + 1
        }
        if start < rows.count {
            statements.append(Statement(table: rows[start].table, columns: rows[start].columns, rows: rows[start..<rows.count]))
        }
        return statements
    }

    /// Keeps, for tables in `PostgresMigrations.snapshotTables`, only the last row (by
    /// `seq`) of each idempotency key: one statement may not update a row twice, and the
    /// last snapshot is the newest.
    package static func newestSnapshots(_ rows: [JournalRow]) -> [JournalRow] {
        guard rows.contains(where: { PostgresMigrations.snapshotTables.contains($0.table) }) else { return rows }
        var lastIndex: [String: Int] = [:]
        for (index, row) in rows.enumerated() where PostgresMigrations.snapshotTables.contains(row.table) {
            lastIndex[row.table + "\u{0}" + row.idempotencyKey] = index
        }
        return rows.enumerated().compactMap { index, row in
            guard PostgresMigrations.snapshotTables.contains(row.table) else { return row }
            return lastIndex[row.table + "\u{0}" + row.idempotencyKey] == index ? row : nil
        }
    }

    /// A run of journal entries written the same way.
    enum Segment {
        case copy(CopySegment)
        case rows([JournalRow])
    }

    /// One step of an `apply` transaction.
    enum Work {
        case copy(CopySegment)
        case statement(Statement)
    }

    /// Alert events as COPY text lines (tab-separated, `\N` for NULL, backslash escapes).
    package struct CopySegment {
        package var data: [UInt8] = []
        package var count = 0
        package var firstSeq: Int64 = 0
        package var lastSeq: Int64 = 0

        var isEmpty: Bool { count == 0 }

        mutating func append(_ seq: Int64, _ row: AlertEventRow) {
            if count == 0 { firstSeq = seq }
            lastSeq = seq
            count += 1
            for (index, value) in row.values.enumerated() {
                if index > 0 { data.append(0x09) }
                guard var value else {
                    data.append(0x5C)
                    data.append(UInt8(ascii: "N"))
                    continue
                }
                value.withUTF8 { bytes in
                    var needsEscape = false
                    for byte in bytes where byte == 0x5C || byte == 0x09 || byte == 0x0A || byte == 0x0D {
                        needsEscape = true
                        break
                    }
                    guard needsEscape else {
                        data.append(contentsOf: bytes)
                        return
                    }
                    for byte in bytes {
                        switch byte {
                        case 0x5C:
                            data.append(0x5C)
                            data.append(0x5C)
                        case 0x09:
                            data.append(0x5C)
                            data.append(UInt8(ascii: "t"))
                        case 0x0A:
                            data.append(0x5C)
                            data.append(UInt8(ascii: "n"))
                        case 0x0D:
                            data.append(0x5C)
                            data.append(UInt8(ascii: "r"))
                        default: data.append(byte)
                        }
                    }
                }
            }
            data.append(0x0A)
        }
    }

    /// Runs all steps in one transaction.
    private func insertAll(_ work: [Work]) -> Result<Int, PGError> {
        do throws(PGError) {
            let inserted = try connection.transaction { () throws(PGError) -> Int in
                try connection.execute(unsafeSQL: PostgresStore.applyLock)
                var inserted = 0
                var staged = false
                for step in work {
                    switch step {
                    case .statement(let statement): inserted += try insert(statement)
                    case .copy(let copy):
                        inserted += try insert(copy, stagingExists: &staged)
                    }
                }
                return inserted
            }
            return .success(inserted)
        } catch {
            return .failure(error)
        }
    }

    /// The temporary table alert events are copied into (dropped at commit) once a direct
    /// COPY met a stored key.
    static let stagingTable = "jarvis_staging_alert_events"
    /// SQLSTATE `unique_violation`.
    static let uniqueViolation = "23505"

    /// Copies a run of alert events. First straight into `alert_events`, inside a savepoint:
    /// that is as fast as `psql \copy`. If a row's key is already stored (a replay, or
    /// another runner), the savepoint is rolled back and the run goes through a staging
    /// table and `INSERT … ON CONFLICT DO NOTHING`; so do later runs on this connection, as
    /// conflicts then are likely. Either way the stored rows are the same.
    /// - Returns: how many rows were inserted.
    private func insert(_ copy: CopySegment, stagingExists: inout Bool) throws(PGError) -> Int {
        // Column names are AlertEventRow.columns, checked against the catalog and the pattern.
        let columns = AlertEventRow.columns.map { "\"\($0)\"" }.joined(separator: ", ")
        let staging = PostgresStore.stagingTable
        do throws(PGError) {
            if !copyMetStoredKeys {
                try connection.execute(unsafeSQL: "SAVEPOINT jarvis_copy")
                do throws(PGError) {
                    let stored = try connection.copyIn(unsafeSQL: "COPY alert_events (\(columns)) FROM STDIN", data: copy.data)
                    try connection.execute(unsafeSQL: "RELEASE SAVEPOINT jarvis_copy")
                    return stored
                } catch  where error.sqlState == PostgresStore.uniqueViolation {
                    try connection.execute(unsafeSQL: "ROLLBACK TO SAVEPOINT jarvis_copy")
                    try connection.execute(unsafeSQL: "RELEASE SAVEPOINT jarvis_copy")
                    copyMetStoredKeys = true
                }
            }
            if stagingExists {
                try connection.execute(unsafeSQL: "TRUNCATE \(staging)")
            } else {
                // Only the copied columns: no default (id's would draw from alert_events' sequence),
                // no constraint or index to maintain twice.
                try connection.execute(
                    unsafeSQL: "CREATE TEMPORARY TABLE \(staging) ON COMMIT DROP AS SELECT \(columns) FROM alert_events WITH NO DATA")
                stagingExists = true
            }
            try connection.copyIn(unsafeSQL: "COPY \(staging) (\(columns)) FROM STDIN", data: copy.data)
            let result = try connection.execute(
                unsafeSQL: """
                    INSERT INTO alert_events (\(columns)) SELECT \(columns) FROM \(staging) \
                    ON CONFLICT (idempotency_key) DO NOTHING
                    """)
            return result.affectedRows ?? 0
        } catch {
            var wrapped = error
            wrapped.message = "COPY into alert_events (journal seq \(copy.firstSeq)...\(copy.lastSeq)) failed: \(error.message)"
            throw wrapped
        }
    }

    private func insert(_ statement: Statement) throws(PGError) -> Int {
        // Table and column names were checked against the catalog and the identifier pattern.
        let columns = statement.columns.map { "\"\($0)\"" }.joined(separator: ", ")
        let table = "\"\(statement.table)\""
        var sql =
            "INSERT INTO \(table) (\(columns)) SELECT \(columns) FROM json_populate_recordset(NULL::\(table), $1::json) "
        if PostgresMigrations.snapshotTables.contains(statement.table) {
            let updates = statement.columns.filter { $0 != "idempotency_key" }.map { "\"\($0)\" = EXCLUDED.\"\($0)\"" }
            sql +=
                "ON CONFLICT (idempotency_key) DO UPDATE SET \(updates.joined(separator: ", ")) "
                + "WHERE \(table).updated_at IS NULL OR EXCLUDED.updated_at >= \(table).updated_at"
        } else {
            sql += "ON CONFLICT (idempotency_key) DO NOTHING"
        }
        var json = "["
        json.reserveCapacity(statement.rows.reduce(2) { $0 + $1.json.utf8.count + 1 })
        var first = true
        for row in statement.rows {
            if !first { json += "," }
            json += row.json
            first = false
        }
        json += "]"
        do {
            let result = try connection.execute(PGQuery(unsafeSQL: sql, binds: [json]))
            return result.affectedRows ?? 0
        } catch {
            let firstSeq = statement.rows.first?.seq ?? 0
            let lastSeq = statement.rows.last?.seq ?? 0
            var wrapped = error
            wrapped.message = "INSERT into \(statement.table) (journal seq \(firstSeq)...\(lastSeq)) failed: \(error.message)"
            throw wrapped
        }
    }

    private func journalColumns() throws(PGError) -> [String: Set<String>] {
        if let columnsByTable { return columnsByTable }
        let result = try connection.execute(
            """
            SELECT c.relname::text, a.attname::text
            FROM pg_catalog.pg_attribute a
            JOIN pg_catalog.pg_class c ON c.oid = a.attrelid
            JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
            WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p') AND a.attnum > 0 AND NOT a.attisdropped
            """)
        var columns: [String: Set<String>] = [:]
        for row in 0..<result.rowCount {
            guard let table = result.string(row: row, column: 0), let column = result.string(row: row, column: 1),
                PostgresMigrations.journalTables.contains(table)
            else { continue }
            columns[table, default: []].insert(column)
        }
        // Only cache a complete picture, so that `migrate` run by another process is noticed.
        if columns.count == PostgresMigrations.journalTables.count { columnsByTable = columns }
        return columns
    }

    private func reconnectIfNeeded() throws(PGError) {
        if !connection.isAlive { try connection.reset() }
    }

    /// A name from the journal, quoted and cut short for an error message.
    static func quotedForMessage(_ name: String) -> String {
        let short = name.count > 64 ? String(name.prefix(64)) + "…" : name
        return String(reflecting: short)
    }
}

@available(*, unavailable)
extension PostgresStore: Sendable {}
