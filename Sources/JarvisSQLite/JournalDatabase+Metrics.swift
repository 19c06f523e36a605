import GRDB
import JarvisCore

extension JournalDatabase {
    /// The running totals over every row this database holds (three aggregate queries).
    ///
    /// - Throws: `JournalError` when SQLite fails.
    public func storeCounters() throws -> StoreCounters {
        do {
            return try read { db in
                var counters = StoreCounters()
                for row in try Row.fetchAll(db, sql: "SELECT coalesce(decision, 'unknown'), count(*) FROM alert_events GROUP BY 1") {
                    counters.alertsByDecision[row[0]] = row[1]
                }
                counters.remediations = try Row.fetchAll(db, sql: "SELECT tier, outcome, count(*) FROM remediation_log GROUP BY 1, 2 ORDER BY 1, 2")
                    .map {
                        (tier: $0[0], outcome: $0[1], count: $0[2])
                    }
                if let row = try Row.fetchOne(
                    db,
                    sql: """
                        SELECT count(*) FILTER (WHERE \(ReportQuery.llmCallCondition)), count(*) FILTER (WHERE \(ReportQuery.llmErrorCondition)),
                               coalesce(sum(llm_tokens_in), 0), coalesce(sum(llm_tokens_out), 0), coalesce(sum(llm_cost_usd), 0.0)
                        FROM remediation_log
                        """)
                {
                    counters.llmCalls = row[0]
                    counters.llmErrors = row[1]
                    counters.tokensIn = row[2]
                    counters.tokensOut = row[3]
                    counters.costUSD = row[4]
                }
                return counters
            }
        } catch let error as DatabaseError {
            throw JournalError("cannot read the metrics counters: \(JournalError.describe(error))")
        }
    }
}
