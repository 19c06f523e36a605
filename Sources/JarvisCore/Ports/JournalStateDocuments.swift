/// Named JSON documents kept beside the journal (the triage state, host states, refused host
/// keys, the learning cursor…), each read and rewritten as a whole.
///
/// Live: `JournalDatabase` (the SQLite `state` table). In tests: `InMemoryJournal`.
public protocol JournalStateDocuments: AnyObject, Sendable {
    /// The stored document, or nil when none was saved yet.
    func loadState(_ name: String) throws -> String?

    /// Read-modify-write of one document, plus the journal rows that go with it, all or
    /// nothing: `body` gets the stored document and returns the change; while it runs no other
    /// writer can change the document.
    /// - Throws: when the store fails or `body` throws; then nothing is written.
    func updateState(_ name: String, now: Timestamp, _ body: (String?) throws -> JournalStateChange) throws
}
