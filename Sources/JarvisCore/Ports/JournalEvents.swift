/// Alert events as ingest records and triage reads them back.
///
/// Live: `JournalDatabase` (`alert_events`, `triage_decisions`, the journal). In tests:
/// `InMemoryJournal`.
public protocol JournalEvents: AnyObject, Sendable {
    /// Records the events of several spool files in one transaction, all or nothing, with the
    /// triage rows of their alerts (written at `generation`). An event whose occurrence and
    /// status are already recorded is a duplicate: it is counted, not stored again. With
    /// `forward`, every new row also gets a journal row for the store of record.
    /// - Returns: per file, what recording did.
    func recordFiles(_ files: [[AlertEvent]], forward: Bool, now: Timestamp, triageRows: [TriageStateRow], generation: Int64) throws
        -> [RecordResult]

    /// Up to `limit` recorded events with an id above `id` that carry a triage decision, in
    /// id order (for triaging an interrupted run's rows again).
    func alertEvents(after id: Int64, limit: Int) throws -> [(id: Int64, event: AlertEvent)]
}
