/// Port: named JSON documents kept between runs (host states, refused host keys, per-host
/// suppressions…), each read-modify-written in one transaction together with the journal rows
/// that go with it. Live: the `state` table of the local SQLite database.
public protocol StateDocumentStore: Sendable {
    /// The stored document `name`, or nil when none was saved yet.
    ///
    /// - Throws: `JournalError` when the store cannot be read.
    func loadState(_ name: String) throws -> String?

    /// Reads document `name`, lets `body` decide the change, and writes the new document and
    /// its journal rows together, or nothing at all. Another process updating the same
    /// document waits for this one instead of overwriting it.
    ///
    /// - Parameters:
    ///   - name: The document's name, e.g. `hosts`.
    ///   - now: Written as the update time of the document and of the rows.
    ///   - body: Gets the stored document (nil when there is none) and returns the change; it
    ///     runs inside the transaction: keep it short and free of I/O.
    /// - Throws: `JournalError` when the store fails, or what `body` throws (nothing is written then).
    func updateState(_ name: String, now: Timestamp, _ body: (String?) throws -> JournalStateChange) throws
}

/// One row to add to the journal, bound for a PostgreSQL table.
public struct JournalAppend: Sendable, Equatable {
    /// The PostgreSQL table, e.g. `host_status_log`.
    public var table: String
    /// The row's idempotency key (unique in the target table).
    public var idempotencyKey: String
    /// The row as a JSON object whose keys are the table's columns.
    public var json: String

    /// Creates a journal row.
    ///
    /// - Parameters:
    ///   - table: Target table.
    ///   - idempotencyKey: Idempotency key.
    ///   - json: The row as a JSON object.
    public init(table: String, idempotencyKey: String, json: String) {
        self.table = table
        self.idempotencyKey = idempotencyKey
        self.json = json
    }
}

/// What an `updateState` body decided: the new document and the journal rows that go with it.
public struct JournalStateChange: Sendable, Equatable {
    /// The new state document; nil leaves the stored one as it is.
    public var json: String?
    /// Journal rows written in the same transaction.
    public var rows: [JournalAppend]
    /// Rows stored in the local table of the same name in the same transaction (the local
    /// store of record); only `host_status_log` rows are accepted.
    public var localRows: [JournalAppend]

    /// Creates a change.
    ///
    /// - Parameters:
    ///   - json: New document, or nil to keep the stored one.
    ///   - rows: Journal rows to add.
    ///   - localRows: `host_status_log` rows to store locally.
    public init(json: String?, rows: [JournalAppend] = [], localRows: [JournalAppend] = []) {
        self.json = json
        self.rows = rows
        self.localRows = localRows
    }
}

/// A failure of the local journal (or a document in it), with a one-line description safe to log.
public struct JournalError: Error, Sendable, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}
