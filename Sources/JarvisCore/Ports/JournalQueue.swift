/// The journal as the drain sees it: rows waiting for the store of record, oldest first.
///
/// Live: `JournalDatabase` (the SQLite `journal` table). In tests: `InMemoryJournal`.
public protocol JournalQueue: AnyObject, Sendable {
    /// How many rows wait, and since when.
    func depth() throws -> JournalDepth

    /// The oldest `limit` rows after `seq` (all of them for nil), in ascending `seq`.
    func pendingEntries(after seq: Int64?, limit: Int) throws -> [JournalEntry]

    /// Removes every row up to and including `seq` (after the store of record committed them).
    func removeEntries(through seq: Int64) throws

    /// Notes one flush for the weekly report's journal figures.
    func recordJournalActivity(at: Timestamp, drained: Int, depthBefore: Int, depthAfter: Int, degraded: Bool) throws
}

extension JournalQueue {
    /// The oldest `limit` rows, in ascending `seq`.
    public func pendingEntries(limit: Int) throws -> [JournalEntry] { try pendingEntries(after: nil, limit: limit) }
}
