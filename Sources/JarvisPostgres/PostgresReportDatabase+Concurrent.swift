public import JarvisCore

extension PostgresReportDatabase {
    /// The figures that read the most rows: each runs on a connection of its own, at the same
    /// time as the others (PostgreSQL runs each on its own backend, so they use the cores).
    static let concurrent: Set<String> = ["decisions", "resolve_times", "top_firing", "chronic_alerts"]

    /// Runs the `concurrent` figures on connections of their own, each on a thread, and the
    /// rest on this connection meanwhile.
    ///
    /// - Throws: `StoreFailure` (the first, after every figure has finished).
    func rows(of queries: [ReportQuery], period: ReportPeriod, limit: Int) throws -> [[ReportRow]] {
        guard let connect else { return try queries.map { try rows(of: $0, period: period, limit: limit) } }
        var started: [Int: BackgroundWork<[ReportRow]>] = [:]
        for (index, query) in queries.enumerated() where Self.concurrent.contains(query.name) {
            let work = BackgroundWork<[ReportRow]>(label: "jarvis.report.\(query.name)")
            work.start {
                try PostgresReportDatabase(store: LivePostgres.opened(connect())).rows(of: query, period: period, limit: limit)
            }
            started[index] = work
        }
        var results: [Result<[ReportRow], any Error>] = queries.enumerated().map { index, query in
            started[index] == nil ? Result { try rows(of: query, period: period, limit: limit) } : .success([])
        }
        for (index, work) in started { results[index] = Result { try work.finish() ?? [] } }
        return try results.map { try $0.get() }
    }
}
