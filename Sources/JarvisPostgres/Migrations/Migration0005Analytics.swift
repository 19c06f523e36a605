public import JarvisCore

extension PostgresMigration {
    /// Step 5: the weekly report's figures as functions `jarvis_report_<figure>(p_since,
    /// p_until, p_days, p_limit, p_min_days)`, one per `ReportQuery` (their SQL is the same
    /// definition the SQLite store runs). The figures on learning read `pattern_events` (step 4).
    ///
    /// People can call them from psql or Grafana, e.g.
    /// `SELECT * FROM jarvis_report_top_firing(now() - interval '7 days', now());`.
    static let analytics = PostgresMigration(
        version: 5, name: "analytics",
        // The functions are today's definitions, which may read tables of later steps: their
        // bodies are checked when step 9 creates them again.
        sql: "SET LOCAL check_function_bodies = off;\n" + ReportQuery.postgresFunctions)
}
