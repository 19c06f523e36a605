import JarvisCore
import JarvisJobs
import JarvisSQLite
import JarvisSpool

extension RunContext {
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
