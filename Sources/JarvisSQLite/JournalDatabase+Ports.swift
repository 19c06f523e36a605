import JarvisCore

/// The local database is the live state-document store, notification outbox and metrics
/// source of the jobs (its methods of the same names).
extension JournalDatabase: StateDocumentStore, NotificationOutbox, MetricsReads {}
