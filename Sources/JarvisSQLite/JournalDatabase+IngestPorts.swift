import JarvisCore

/// The local journal behind the ports the ingest path's jobs use.
extension JournalDatabase: JournalStateDocuments, JournalQueue, JournalEvents, TriageJournal, RemediationJournal, OutboxSchedule {}
