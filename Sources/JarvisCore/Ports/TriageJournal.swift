/// What a triage session reads and writes: its state document, the per-alert triage rows,
/// maintenance windows, and the commit that folds a run into the state.
///
/// Live: `JournalDatabase`. In tests: `InMemoryJournal`.
public protocol TriageJournal: JournalStateDocuments, JournalEvents {
    /// The stored rows for `keys` (a nil value: deleted, kept until the next prune); keys
    /// with no row are left out.
    func triageRows(_ keys: [String]) throws -> [(key: String, value: [UInt8]?)]

    /// Writes rows at `generation` (the previous value of each row is kept until the
    /// generation is committed).
    func writeTriageRows(_ rows: [TriageStateRow], generation: Int64) throws

    /// Puts back the rows of every generation after `committed` (a run that died before its
    /// commit). - Returns: how many rows changed.
    @discardableResult
    func rollBackTriageRows(after committed: Int64) throws -> Int

    /// Drops every triage row (the state document could not be read).
    func removeAllTriageRows() throws

    /// Maintenance windows; with `includeEnded` false, only those not over at `now`.
    func maintenanceWindows(includeEnded: Bool, now: Timestamp?) throws -> [MaintenanceWindow]

    /// Copies windows opened on other runners into the local list.
    /// - Returns: how many local windows changed.
    @discardableResult
    func mergeSharedWindows(_ windows: [SharedMaintenanceWindow], runner: String, now: Timestamp) throws -> Int

    /// One transaction at the end of a run: window hit counts, windows whose end passed,
    /// decisions about alerts already stored, changed documents, the last triage rows, and the
    /// triage state document, built by `document` from the cursor (the id of the last event
    /// folded into the state).
    /// - Returns: the windows that ended now.
    func commitTriage(
        windowHits: [Int64: Int], redecisions: [Redecision], runner: String, now: Timestamp, forward: Bool,
        updating documents: [String: (String?) throws -> String], triageRows: TriageRowCommit?, document: (Int64) throws -> String
    ) throws -> [MaintenanceWindow]
}
