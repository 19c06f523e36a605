/// One row waiting in the local journal to reach the store of record.
///
/// The journal is a write-ahead buffer: every row jarvis produces (alert events, host
/// transitions, remediation outcomes…) is first committed to SQLite as a `JournalEntry`,
/// then replayed into PostgreSQL by `jarvis drain` (and by every ingest's flush).
///
/// Its payload is either one JSON object whose keys are the column names of `table` in
/// PostgreSQL, or, for alert events read back from the local store, the row's column values
/// (`alertEvent`), which the PostgreSQL side copies without going through JSON. The
/// PostgreSQL side inserts with `ON CONFLICT DO NOTHING`, so a replay never duplicates:
/// `idempotencyKey` is the value of the table's unique key.
public struct JournalEntry: Sendable, Equatable {
    /// Position in the journal; rows are replayed in ascending `seq`.
    public var seq: Int64
    /// Target table in the store of record, e.g. `alert_events`.
    public var table: String
    /// The unique key of the row in `table`.
    public var idempotencyKey: String
    /// When the row entered the journal.
    public var createdAt: Timestamp
    /// For alert events read back from `alert_events`: the column values (the `table` is
    /// `alert_events`). nil for rows carrying a JSON object.
    public private(set) var alertEvent: AlertEventRow?
    private var storedJSON: String

    /// One JSON object: column name → value (built from `alertEvent` when there is one).
    /// Setting it replaces an `alertEvent` payload.
    public var json: String {
        get { alertEvent?.json ?? storedJSON }
        set {
            storedJSON = newValue
            alertEvent = nil
        }
    }

    public init(seq: Int64, table: String, idempotencyKey: String, json: String, createdAt: Timestamp) {
        self.seq = seq
        self.table = table
        self.idempotencyKey = idempotencyKey
        self.storedJSON = json
        self.createdAt = createdAt
    }

    /// An alert event with its column values.
    public init(seq: Int64, table: String = AlertEvent.table, alertEvent: AlertEventRow, createdAt: Timestamp) {
        self.seq = seq
        self.table = table
        self.idempotencyKey = alertEvent.idempotencyKey
        self.storedJSON = ""
        self.alertEvent = alertEvent
        self.createdAt = createdAt
    }

    /// Equal when they would write the same row: the payload is compared as JSON.
    public static func == (a: JournalEntry, b: JournalEntry) -> Bool {
        a.seq == b.seq && a.table == b.table && a.idempotencyKey == b.idempotencyKey && a.createdAt == b.createdAt && a.json == b.json
    }
}
