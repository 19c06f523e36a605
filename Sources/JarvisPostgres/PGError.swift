import Foundation

/// An error from the PostgreSQL adapter.
///
/// `description` is safe to log: it holds the error code, the SQLSTATE and a message from
/// which passwords and bind values have been removed. The server's DETAIL and HINT (which can
/// quote row values) and the query text are only in `debugDescription`.
public struct PGError: Error, Sendable, CustomStringConvertible, CustomDebugStringConvertible {
    /// What kind of failure this is.
    public enum Code: String, Sendable, Hashable, CustomStringConvertible {
        /// The server answered but refused us (bad password, unknown role or database, bad
        /// connection string): a configuration error, retrying will not help.
        case connectionFailed
        /// The server could not be reached or went away (refused, no socket, timeout, host
        /// unreachable, shutting down, connection lost mid-query). Callers report "degraded"
        /// (exit 75) and keep the rows in the local journal.
        case unreachable
        /// The server rejected a statement (syntax, constraint, type error…).
        case queryFailed
        /// libpq or the server did something this adapter did not expect, or the caller
        /// passed input the adapter refuses before sending it (bad identifier, NUL byte…).
        case protocolViolation
        /// A schema migration step failed; nothing of that `migrate()` call was committed.
        case migrationFailed

        public var description: String { rawValue }

        /// The kind in words, for people: `unreachable`, `query failed`…
        public var phrase: String {
            switch self {
            case .connectionFailed: return "refused the connection"
            case .unreachable: return "unreachable"
            case .queryFailed: return "query failed"
            case .protocolViolation: return "protocol error"
            case .migrationFailed: return "migration failed"
            }
        }
    }

    /// The kind of failure.
    public var code: Code
    /// A message safe to log (no password, no bind value).
    public var message: String
    /// The five-character SQLSTATE the server sent (`PG_DIAG_SQLSTATE`), if any.
    public var sqlState: String?
    /// The server's DETAIL line; may quote row values, so only `debugDescription` shows it.
    public var detail: String?
    /// The server's HINT line.
    public var hint: String?
    /// The statement text with `$n` placeholders (never the bound values); shown only by
    /// `debugDescription`. Nil for `unsafeSQL` statements, whose text may hold literals.
    public var query: String?
    /// A lower-level error that caused this one, if any.
    public var underlying: (any Error & Sendable)?

    /// Creates an error. `message` must already be free of secrets and bind values.
    public init(
        code: Code, message: String, sqlState: String? = nil, detail: String? = nil, hint: String? = nil,
        query: String? = nil, underlying: (any Error & Sendable)? = nil
    ) {
        self.code = code
        self.message = message
        self.sqlState = sqlState
        self.detail = detail
        self.hint = hint
        self.query = query
        self.underlying = underlying
    }

    /// True when the server could not be reached: the caller should run degraded (exit 75)
    /// rather than fail.
    public var isUnreachable: Bool { code == .unreachable }

    /// True for a serialization failure (`40001`) or a deadlock (`40P01`): the whole
    /// transaction was rolled back and may simply be run again.
    public var isRetryableTransactionFailure: Bool { sqlState == "40001" || sqlState == "40P01" }

    /// One line for people: the kind in words, the SQLSTATE, the message (libpq's multi-line
    /// messages joined with `; `), e.g. `query failed [23505]: duplicate key value…`.
    public var description: String {
        var text = code.phrase
        if let sqlState { text += " [\(sqlState)]" }
        let lines = message.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        return text + ": " + lines.joined(separator: "; ")
    }

    public var debugDescription: String {
        var text = description
        if let detail { text += "\nDETAIL: \(detail)" }
        if let hint { text += "\nHINT: \(hint)" }
        if let query { text += "\nQUERY: \(query)" }
        if let underlying { text += "\nUNDERLYING: \(String(reflecting: underlying))" }
        return text
    }
}
