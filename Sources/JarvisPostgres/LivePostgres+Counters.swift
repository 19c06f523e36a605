public import JarvisCore

extension LivePostgres {
    /// The fleet's running totals for the metrics: one connection, one query of the counter
    /// rows PostgreSQL keeps as rows are written.
    /// - Throws: `StoreFailure`.
    public static func fleetCounters(_ settings: PostgresSettings) throws -> StoreCounters {
        let store = try opened(
            PostgresStore.connect(url: settings.url?.value, connectTimeoutSeconds: settings.connectTimeout, applicationName: "jarvis-metrics"))
        do {
            return try store.storeCounters()
        } catch {
            throw store.failure(for: error)
        }
    }
}
