public import JarvisCore

extension PostgresMigration {
    /// Step 9: the weekly report in one scan per figure. `alert_occurrences` folds each
    /// occurrence's firing and resolved events into one row (kept by a trigger on
    /// `alert_events`, filled here from the events already stored) indexed on its start and
    /// end; the occurrence figures read it instead of pairing events. Every report function
    /// is created again (their result columns changed); their bodies are today's definitions,
    /// which may read columns of later steps, and are checked when step 13 creates them again.
    /// `jarvis_counters` holds the fleet's running totals for the Prometheus counters, kept by
    /// triggers as rows are written (`PostgresStore.storeCounters()`).
    static let reportSpeed = PostgresMigration(
        version: 9, name: "report_speed",
        sql: [
            "SET LOCAL check_function_bodies = off;",
            ReportOccurrences.postgresSchema,
            PostgresStore.countersSchema,
            """
            CREATE INDEX alert_events_maintenance_window_idx ON alert_events (maintenance_window_id) WHERE maintenance_window_id IS NOT NULL;
            """,
            ReportQuery.all.filter(\.inPostgres).map {
                "DROP FUNCTION IF EXISTS \($0.functionName)(timestamptz, timestamptz, timestamptz[], integer, integer);"
            }.joined(separator: "\n"),
            ReportQuery.postgresFunctions,
        ].joined(separator: "\n"))
}
