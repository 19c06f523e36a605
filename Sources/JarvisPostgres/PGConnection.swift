internal import CLibPQ
internal import CLibPQLazy

/// One libpq connection (`PGconn`), owned by this object and closed with `PQfinish` when it
/// goes away.
///
/// Calls block the calling thread: every connection gets a `connect_timeout`, and TCP
/// keepalives so that a vanished server is noticed. A connection is not `Sendable`: confine
/// it to one actor (see `PostgresStore`) or one task.
public final class PGConnection {
    /// The `PGconn *`; never NULL and always the one this object created.
    let handle: OpaquePointer
    private let redaction: PGRedaction
    /// Notices and warnings the server sent (`NOTICE: … already exists, skipping`), newest
    /// last, at most `maximumNotices`. Collected through `PQsetNoticeProcessor` instead of
    /// being printed on stderr.
    public private(set) var notices: [String] = []
    /// How many notices `notices` keeps.
    public static let maximumNotices = 100

    /// Opens a connection. Wraps `PQconnectdbParams` with `expand_dbname = 1`.
    ///
    /// Whatever libpq reads by itself still applies, exactly as for psql: the `PG*`
    /// environment variables (`PGHOST`, `PGPORT`, `PGUSER`, `PGDATABASE`, `PGPASSWORD`,
    /// `PGSSLMODE`…), the service file and `~/.pgpass`.
    ///
    /// - Parameters:
    ///   - url: A `postgresql://` URL or a `key=value` conninfo string; nil connects with
    ///     libpq's environment and defaults alone.
    ///   - connectTimeoutSeconds: `connect_timeout`, always passed and overriding the URL's
    ///     (a batch job must never hang on a dead server). libpq waits at least 2 s per host
    ///     address; values below 1 are taken as 1.
    ///   - applicationName: `application_name`, shown in `pg_stat_activity`; a URL may override it.
    /// - Throws: `PGError` with code `.unreachable` when the server cannot be reached
    ///   (refused, no socket, timeout, host unreachable, starting up or shutting down, too
    ///   many clients), and `.connectionFailed` when it refused us (password, role, database,
    ///   `pg_hba.conf`) or the connection string is invalid. The message never holds a password.
    public init(url: String?, connectTimeoutSeconds: Int = 3, applicationName: String = "jarvis") throws(PGError) {
        // libpq is loaded on first use (CLibPQLazy): a missing library is a configuration error.
        var loadError: UnsafePointer<CChar>?
        guard jarvis_libpq_load(&loadError) == 0 else {
            throw PGError(code: .connectionFailed, message: "cannot load libpq: \(loadError.map { String(cString: $0) } ?? "unknown error")")
        }
        let redaction = PGRedaction(connectionString: url)
        // Order matters: libpq keeps the last value of a repeated keyword, and `dbname`
        // expands into the URL's parameters. Defaults the URL may override come first.
        var keywords: [String?] = ["application_name", "keepalives", "keepalives_idle", "keepalives_interval", "keepalives_count"]
        var values: [String?] = [applicationName, "1", "30", "10", "3"]
        if let url {
            keywords.append("dbname")
            values.append(url)
        }
        keywords += ["connect_timeout", "client_encoding", nil]
        values += [String(max(1, connectTimeoutSeconds)), "UTF8", nil]
        if firstIndexContainingNUL(values) != nil {
            throw PGError(code: .connectionFailed, message: "the connection string contains a NUL byte")
        }
        let connection = withCStringArray(keywords) { keywordArray, _ in
            withCStringArray(values) { valueArray, _ in
                PQconnectdbParams(keywordArray, valueArray, 1)
            }
        }
        guard let connection else {
            throw PGError(code: .connectionFailed, message: "PQconnectdbParams could not allocate a connection (out of memory)")
        }
        guard PQstatus(connection) == CONNECTION_OK else {
            let raw = PGConnection.errorText(connection)
            PQfinish(connection)
            throw PGError(code: PGConnection.classifyConnectionFailure(raw), message: redaction.redact(raw))
        }
        self.handle = connection
        self.redaction = redaction
        PQsetNoticeProcessor(connection, pgNoticeProcessor, Unmanaged.passUnretained(self).toOpaque())
    }

    deinit {
        PQfinish(handle)
    }

    /// True while libpq considers the connection usable (`PQstatus` is `CONNECTION_OK`).
    /// It does not ask the server: a connection that broke silently reads as alive until the
    /// next statement fails. Use `PostgresStore.ping()` for a round trip.
    public var isAlive: Bool { PQstatus(handle) == CONNECTION_OK }

    /// True while a transaction block is open (`PQtransactionStatus` is not `PQTRANS_IDLE`).
    public var isInTransaction: Bool { PQtransactionStatus(handle) != PQTRANS_IDLE }

    /// The server's version number, e.g. `150020` for 15.20 (`PQserverVersion`).
    public var serverVersion: Int { Int(PQserverVersion(handle)) }

    /// Closes and reopens the connection with the same parameters. Wraps `PQreset`.
    ///
    /// - Throws: `PGError` `.unreachable` or `.connectionFailed`, as `init` does.
    public func reset() throws(PGError) {
        PQreset(handle)
        guard PQstatus(handle) == CONNECTION_OK else {
            let raw = PGConnection.errorText(handle)
            throw PGError(code: PGConnection.classifyConnectionFailure(raw), message: redaction.redact(raw))
        }
    }

    /// Runs one statement with `$n` parameters in text format. Wraps `PQexecParams`.
    ///
    /// - Parameter query: The statement; its binds are sent apart from the SQL text.
    /// - Returns: The result (rows for a query, `affectedRows` for a command).
    /// - Throws: `PGError` `.queryFailed` when the server rejects it, `.unreachable` when the
    ///   connection is gone, `.protocolViolation` for a NUL byte in the text or a bind, too
    ///   many binds, or an unexpected result such as `COPY`.
    @discardableResult
    public func execute(_ query: PGQuery) throws(PGError) -> PGResult {
        if let index = firstIndexContainingNUL(query.binds) {
            throw PGError(code: .protocolViolation, message: "parameter $\(index + 1) contains a NUL byte, which PostgreSQL text cannot hold")
        }
        guard !query.sql.utf8.contains(0) else {
            throw PGError(code: .protocolViolation, message: "the statement contains a NUL byte")
        }
        guard query.binds.count <= 65_535 else {
            throw PGError(code: .protocolViolation, message: "\(query.binds.count) parameters; PostgreSQL accepts at most 65535")
        }
        let raw = withCStringArray(query.binds) { values, count in
            PQexecParams(handle, query.sql, Int32(count), nil, values, nil, nil, 0)
        }
        return try checked(raw, query: query.sql, binds: query.binds)
    }

    /// Runs SQL text as it is, which may hold several statements separated by `;` (a
    /// migration script). Wraps `PQexec`. Never pass text containing untrusted input.
    ///
    /// - Parameter unsafeSQL: The statements.
    /// - Returns: The result of the last statement.
    /// - Throws: `PGError` as `execute(_:)` does.
    @discardableResult
    public func execute(unsafeSQL: String) throws(PGError) -> PGResult {
        guard !unsafeSQL.utf8.contains(0) else {
            throw PGError(code: .protocolViolation, message: "the statement contains a NUL byte")
        }
        return try checked(PQexec(handle, unsafeSQL), query: nil, binds: [])
    }

    /// Runs `body` inside `BEGIN` … `COMMIT`, and `ROLLBACK` when it throws.
    ///
    /// `COMMIT` of a transaction that already failed is answered with `ROLLBACK` by the
    /// server; that is reported as an error too, never as success. If the connection breaks
    /// during `COMMIT` the outcome is unknown: only retry work that is idempotent.
    ///
    /// - Parameter body: The work; it uses this connection.
    /// - Returns: What `body` returns.
    /// - Throws: `body`'s error (after the rollback), or a `PGError` from `BEGIN`/`COMMIT`;
    ///   `.protocolViolation` if a transaction is already open (no nesting).
    @discardableResult
    public func withTransaction<T>(_ body: () throws -> T) throws -> T {
        try transaction(body, failure: { $0 })
    }

    /// `withTransaction` for bodies that throw only `PGError`.
    func transaction<T>(_ body: () throws(PGError) -> T) throws(PGError) -> T {
        try transaction(body, failure: { $0 })
    }

    /// The one implementation of both: `failure` lifts the connection's own errors into the
    /// body's error type.
    private func transaction<T, Failure: Error>(
        _ body: () throws(Failure) -> T, failure: (PGError) -> Failure
    ) throws(Failure) -> T {
        do { try begin() } catch { throw failure(error) }
        let value: T
        do {
            value = try body()
        } catch {
            rollbackQuietly()
            throw error
        }
        do { try commit() } catch { throw failure(error) }
        return value
    }

    private func begin() throws(PGError) {
        guard !isInTransaction else {
            throw PGError(code: .protocolViolation, message: "a transaction is already open (transactions do not nest)")
        }
        try execute(unsafeSQL: "BEGIN")
    }

    private func commit() throws(PGError) {
        let commit = try execute(unsafeSQL: "COMMIT")
        guard commit.commandStatus == "COMMIT" else {
            throw PGError(
                code: .queryFailed,
                message: "the transaction had failed and was rolled back (COMMIT answered \(commit.commandStatus))")
        }
    }

    private func rollbackQuietly() {
        // A lost connection has no transaction left to roll back; the server discards it.
        if isAlive, isInTransaction { _ = try? execute(unsafeSQL: "ROLLBACK") }
    }

    // MARK: - Errors

    /// Turns what `PQexec*`/`PQgetResult` returned into a `PGResult` or a `PGError`.
    func checked(_ raw: OpaquePointer?, query: String?, binds: [String?]) throws(PGError) -> PGResult {
        guard let raw else {
            throw failureWithoutResult(query: query)
        }
        let result = PGResult(owning: raw)
        let status = PQresultStatus(raw)
        switch status {
        case PGRES_COMMAND_OK, PGRES_TUPLES_OK, PGRES_EMPTY_QUERY:
            return result
        case PGRES_FATAL_ERROR:
            throw serverError(result, query: query, binds: binds)
        case PGRES_COPY_IN, PGRES_COPY_BOTH:
            abandonCopy()
            throw PGError(code: .protocolViolation, message: "COPY FROM STDIN needs copyIn(unsafeSQL:rows:)", query: query)
        case PGRES_COPY_OUT:
            abandonCopy()
            throw PGError(code: .protocolViolation, message: "COPY TO STDOUT is not supported", query: query)
        default:
            let name = PQresStatus(status).map { String(cString: $0) } ?? "status \(status.rawValue)"
            throw PGError(code: .protocolViolation, message: "unexpected result \(name)", query: query)
        }
    }

    /// The error for a NULL result: libpq could not send the statement or ran out of memory.
    func failureWithoutResult(query: String?) -> PGError {
        let text = PGConnection.errorText(handle)
        let code: PGError.Code = isAlive ? .protocolViolation : .unreachable
        return PGError(code: code, message: redaction.redact(text.isEmpty ? "libpq returned no result" : text), query: query)
    }

    /// The error the server reported in `result` (`PQresultErrorField`).
    func serverError(_ result: PGResult, query: String?, binds: [String?]) -> PGError {
        let sqlState = result.errorField(PGResult.sqlStateField)
        var message = result.errorField(PGResult.primaryMessageField) ?? PGConnection.errorText(handle)
        if message.isEmpty { message = "statement failed" }
        message = redaction.redact(redactBindValues(message, sqlState: sqlState, binds: binds))
        let unreachable = !isAlive || PGConnection.isConnectionLoss(sqlState: sqlState)
        return PGError(
            code: unreachable ? .unreachable : .queryFailed, message: message, sqlState: sqlState,
            detail: result.errorField(PGResult.detailField).map(redaction.redact),
            hint: result.errorField(PGResult.hintField).map(redaction.redact), query: query)
    }

    /// Leaves an unexpected COPY state so the connection stays usable.
    private func abandonCopy() {
        _ = PQputCopyEnd(handle, "jarvis does not use COPY here")
        while let leftover = PQgetResult(handle) { PQclear(leftover) }
    }

    /// SQLSTATEs that mean the server went away: class 08 (connection exception),
    /// `57P01` admin shutdown, `57P02` crash shutdown, `57P03` cannot connect now.
    static func isConnectionLoss(sqlState: String?) -> Bool {
        guard let sqlState else { return false }
        return sqlState.hasPrefix("08") || ["57P01", "57P02", "57P03"].contains(sqlState)
    }

    /// `PQerrorMessage`, trimmed.
    static func errorText(_ connection: OpaquePointer) -> String {
        guard let text = PQerrorMessage(connection) else { return "" }
        return String(cString: text).trimmingWhitespace()
    }

    /// Sorts a failed connection attempt: server-side refusals and bad connection strings
    /// are `.connectionFailed`; everything that means "no server there right now" is
    /// `.unreachable`. libpq reports connection failures only as text (no SQLSTATE before
    /// the session exists), and tries several addresses for one host name, so every line counts.
    /// The texts are libpq's and the server's English ones (`lc_messages`, `LANG`=C).
    package static func classifyConnectionFailure(_ text: String) -> PGError.Code {
        let lower = text.lowercased()
        let transientServerStates = [
            "the database system is starting up", "the database system is shutting down",
            "the database system is in recovery mode", "the database system is not yet accepting connections",
            "the database system is not accepting connections", "sorry, too many clients already",
            "remaining connection slots are reserved", "terminating connection due to administrator command",
        ]
        if transientServerStates.contains(where: lower.contains) { return .unreachable }
        let refusals = [
            "password authentication failed", "authentication failed", "does not exist", "no pg_hba.conf entry",
            "password is required", "no password supplied", "permission denied", "invalid connection option",
            "invalid uri", "invalid percent-encoded", "missing \"=\"", "invalid integer value", "invalid value",
            "unterminated quoted string", "server does not support ssl", "certificate", "not permitted to log in",
        ]
        if refusals.contains(where: lower.contains) { return .connectionFailed }
        let unreachable = [
            "connection refused", "no such file or directory", "timeout expired", "timed out", "no route to host",
            "network is unreachable", "host is down", "could not translate host name", "name or service not known",
            "temporary failure in name resolution", "server closed the connection unexpectedly", "connection reset by peer",
            "could not connect to server", "could not receive data from server", "could not send data to server",
            "cannot assign requested address", "ssl syscall error", "eof detected", "no connection to the server",
        ]
        if unreachable.contains(where: lower.contains) { return .unreachable }
        return .connectionFailed
    }

    fileprivate func recordNotice(_ text: String) {
        if notices.count >= PGConnection.maximumNotices { notices.removeFirst(notices.count - PGConnection.maximumNotices + 1) }
        notices.append(text.trimmingWhitespace())
    }
}

@available(*, unavailable)
extension PGConnection: Sendable {}

/// libpq's notice callback; `arg` is the unretained `PGConnection` that owns the `PGconn`
/// (which cannot outlive it, so the pointer is valid whenever libpq calls this).
private let pgNoticeProcessor: PQnoticeProcessor = { argument, message in
    guard let argument, let message else { return }
    Unmanaged<PGConnection>.fromOpaque(argument).takeUnretainedValue().recordNotice(String(cString: message))
}

extension String {
    /// Without leading and trailing spaces and newlines.
    func trimmingWhitespace() -> String {
        var slice = Substring(self)
        while let first = slice.first, first.isWhitespace { slice.removeFirst() }
        while let last = slice.last, last.isWhitespace { slice.removeLast() }
        return String(slice)
    }
}
