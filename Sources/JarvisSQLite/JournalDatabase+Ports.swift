import JarvisCore

/// The local database is the live notification outbox and metrics source of the edge
/// jobs (its methods of the same names).
extension JournalDatabase: NotificationOutbox, MetricsReads {}
