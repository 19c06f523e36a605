/// One row waiting in the local journal to reach the store of record.
///
/// The journal is a write-ahead buffer: every row jarvis produces (alert events, host
/// transitions, remediation outcomes…) is first committed to SQLite as a `JournalEntry`,
/// then replayed into PostgreSQL by `jarvis drain` (and by every ingest's flush).
///
/// `json` is one JSON object whose keys are the column names of `table` in PostgreSQL. The
/// PostgreSQL side inserts it with `ON CONFLICT DO NOTHING`, so a replay never duplicates:
/// `idempotencyKey` is the value of the table's unique key.
public struct JournalEntry: Sendable, Equatable {
    /// Position in the journal; rows are replayed in ascending `seq`.
    public var seq: Int64
    /// Target table in the store of record, e.g. `alert_events`.
    public var table: String
    /// The unique key of the row in `table`.
    public var idempotencyKey: String
    /// One JSON object: column name → value.
    public var json: String
    /// When the row entered the journal.
    public var createdAt: Timestamp

    public init(seq: Int64, table: String, idempotencyKey: String, json: String, createdAt: Timestamp) {
        self.seq = seq
        self.table = table
        self.idempotencyKey = idempotencyKey
        self.json = json
        self.createdAt = createdAt
    }
}
