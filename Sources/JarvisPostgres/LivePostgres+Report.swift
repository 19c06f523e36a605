public import JarvisCore

extension LivePostgres {
    /// Connects for the weekly report's figures.
    /// - Throws: `StoreFailure`.
    public static func reportDatabase(_ settings: PostgresSettings) throws -> any ReportDatabase {
        let connect: @Sendable () throws -> PostgresStore = {
            try PostgresStore.connect(url: settings.url?.value, connectTimeoutSeconds: settings.connectTimeout, applicationName: "jarvis-report")
        }
        return PostgresReportDatabase(store: try opened(connect()), connect: connect)
    }
}

/// `ReportDatabase` over one PostgreSQL connection, with libpq failures as `StoreFailure`.
struct PostgresReportDatabase: ReportDatabase {
    let store: PostgresStore
    /// Opens another connection, for figures run at once; nil: one after the other.
    var connect: (@Sendable () throws -> PostgresStore)? = nil

    func rows(of query: ReportQuery, period: ReportPeriod, limit: Int) throws -> [ReportRow] {
        do {
            return try store.rows(of: query, period: period, limit: limit)
        } catch {
            var failure = store.failure(for: error)
            if (error as? PGError)?.sqlState == "42883" { failure.description += " (run `jarvis migrate` to add the report functions)" }
            throw failure
        }
    }
}
