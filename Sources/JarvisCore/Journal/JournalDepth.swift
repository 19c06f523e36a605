/// Rows waiting in the journal.
public struct JournalDepth: Sendable, Equatable {
    public var rows: Int
    public var oldest: Timestamp?

    public init(rows: Int, oldest: Timestamp?) {
        self.rows = rows
        self.oldest = oldest
    }
}
