/// When the Discord outbox next has work: what `IdleMarker` needs to know of it.
///
/// Live: `JournalDatabase` (`notification_outbox`). In tests: `InMemoryJournal`.
public protocol OutboxSchedule: AnyObject, Sendable {
    /// How full the outbox is.
    func outboxDepth() throws -> OutboxDepth

    /// The earliest retry time of a message not yet delivered or given up on.
    func nextOutboxAttempt() throws -> Timestamp?
}

/// Everything an ingest run touches in the local journal: recording, triage, remediation,
/// the drain, and the outbox schedule.
public typealias IngestJournal = JournalQueue & OutboxSchedule & RemediationJournal & TriageJournal
