public import JarvisCore

/// The weekly report's figures from PostgreSQL: each `ReportQuery` is a `jarvis_report_*`
/// function created by migration 5, called with the period's bounds.
extension PostgresStore: ReportDatabase {
    /// Calls `jarvis_report_<query.name>(since, until, day bounds, limit, chronic minimum days)`.
    ///
    /// - Throws: `PGError` when the call fails (`.unreachable` when the server is gone).
    public func rows(of query: ReportQuery, period: ReportPeriod, limit: Int) throws -> [ReportRow] {
        let days = "{" + period.bounds.map { "\"\($0.rfc3339)\"" }.joined(separator: ",") + "}"
        return try withConnection { connection in
            let result = try connection.execute(
                PGQuery(
                    unsafeSQL: query.postgresCall,
                    binds: [period.since.rfc3339, period.until.rfc3339, days, String(limit), String(period.chronicMinimumDays)]))
            var rows: [ReportRow] = []
            rows.reserveCapacity(result.rowCount)
            for row in 0..<result.rowCount {
                var values: [ReportValue] = []
                for (column, spec) in query.columns.enumerated() {
                    switch spec.type {
                    case .integer: values.append(try result.int64(row: row, column: column).map { .integer($0) } ?? .null)
                    case .real: values.append(try result.double(row: row, column: column).map { .real($0) } ?? .null)
                    case .text: values.append(result.string(row: row, column: column).map { .text($0) } ?? .null)
                    }
                }
                rows.append(ReportRow(values))
            }
            return rows
        }
    }
}
