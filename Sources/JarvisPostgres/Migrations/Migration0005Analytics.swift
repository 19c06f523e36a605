public import JarvisCore

extension PostgresMigration {
    /// Step 5: the weekly report's figures as functions `jarvis_report_<figure>(p_since,
    /// p_until, p_days, p_limit, p_min_days)`, one per `ReportQuery` (their SQL is the same
    /// definition the SQLite store runs), and `pattern_events`, which the figures on learning read.
    ///
    /// People can call them from psql or Grafana, e.g.
    /// `SELECT * FROM jarvis_report_top_firing(now() - interval '7 days', now());`.
    static let analytics = PostgresMigration(
        version: 5, name: "analytics",
        sql: #"""
            -- also created by the learning migration
            CREATE TABLE IF NOT EXISTS pattern_events (
              id bigserial PRIMARY KEY,
              idempotency_key text NOT NULL UNIQUE,
              pattern_id bigint NOT NULL,
              kind text NOT NULL CHECK (kind IN ('learned','promoted','demoted','disabled','enabled')),
              from_tier smallint NULL, to_tier smallint NULL,
              remediation_key text NULL,
              recorded_at timestamptz NOT NULL,
              runner text NOT NULL DEFAULT '');
            COMMENT ON TABLE pattern_events IS
                'What happened to a remediation pattern: learned, promoted or demoted between tiers, disabled, enabled. The weekly report counts them.';

            """# + ReportQuery.all.filter(\.inPostgres).map(\.postgresFunction).joined(separator: "\n\n"))
}
