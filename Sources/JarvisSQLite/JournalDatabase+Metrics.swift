import GRDB
import JarvisCore

/// The store's running totals, for the Prometheus counters: read from the tables each time,
/// so they survive restarts and never go backwards while rows are only added.
public struct StoreCounters: Sendable, Equatable {
    /// Alert events by triage decision (`unknown`: recorded before triage).
    public var alertsByDecision: [String: Int] = [:]
    /// Remediation attempts by tier and outcome.
    public var remediations: [(tier: Int, outcome: String, count: Int)] = []
    public var llmCalls = 0
    public var llmErrors = 0
    public var tokensIn = 0
    public var tokensOut = 0
    public var costUSD = 0.0

    public init() {}

    public static func == (a: StoreCounters, b: StoreCounters) -> Bool {
        a.alertsByDecision == b.alertsByDecision && a.remediations.map(\.tier) == b.remediations.map(\.tier)
            && a.remediations.map(\.outcome) == b.remediations.map(\.outcome) && a.remediations.map(\.count) == b.remediations.map(\.count)
            && a.llmCalls == b.llmCalls && a.llmErrors == b.llmErrors && a.tokensIn == b.tokensIn && a.tokensOut == b.tokensOut
            && a.costUSD == b.costUSD
    }
}

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
