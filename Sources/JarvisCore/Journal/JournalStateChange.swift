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
