import JarvisCore
import JarvisJobs
import JarvisSQLite
import JarvisSpool

extension RunContext {
    /// Copies the maintenance windows and host states other runners recorded into `journal`
    /// (nothing in embedded mode); with PostgreSQL away the local copy stays, with a warning.
    func refreshShared(_ journal: JournalDatabase) {
        guard let coordination else { return }
        if let warning = SharedState.refresh(from: coordination, journal: journal, configuration: configuration, now: .now()) {
            Console.log(.warning, warning)
        }
    }

    /// Sends what the journal holds to PostgreSQL now (as `jarvis drain` does), so that a
    /// change other runners must see (a maintenance window) reaches them with their next
    /// run. Nil in embedded mode or when a drain is running already (it sends it).
    /// - Returns: one line for the operator.
    func shareNow(_ journal: JournalDatabase) throws -> String? {
        guard let connect = storeConnector, let lock = try FileLock.acquire(configuration.lockPath("flush"), timeout: 0) else { return nil }
        defer { lock.release() }
        let report = try DrainJob(journal: journal, batchSize: configuration.drain.batchSize, connect: connect).run()
        if let failure = report.failure {
            return "not yet shared with other runners (PostgreSQL: \(failure.description)); the next ingest or drain sends it"
        }
        return "shared with every runner of this PostgreSQL (they apply it from their next run)"
    }
}

extension RunContext {
    /// With PostgreSQL configured, brings the local copy of the patterns up to date (every
    /// runner's learning lands there); with PostgreSQL away the copy is used, with a warning.
    func refreshPatterns(_ journal: JournalDatabase) {
        guard let coordination else { return }
        if let warning = SharedLearningJob.refreshCache(from: coordination, journal: journal, now: .now()) { Console.log(.warning, warning) }
    }
}
