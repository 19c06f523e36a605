public import JarvisCore

extension PostgresMigration {
    /// Step 13: an alert event held back by a maintenance window records the window's key
    /// (`maintenance_windows.idempotency_key`, the same on every runner), so the events a
    /// window opened on one runner held back on another are attributed to it. Events without
    /// it (sent before, or by an older runner) keep naming the window by their runner and
    /// its local id. The report functions are created again, the maintenance figures now
    /// reading the key, with their bodies checked.
    static let windowKey = PostgresMigration(
        version: 13, name: "window_key",
        sql: [
            "SET LOCAL check_function_bodies = on;",
            """
            ALTER TABLE alert_events ADD COLUMN maintenance_window_key text NULL;
            COMMENT ON COLUMN alert_events.maintenance_window_key IS 'For suppressed:maintenance: the key (maintenance_windows.idempotency_key) of the window, shared by every runner. NULL on older rows, which name the window by runner and maintenance_window_id.';
            CREATE INDEX alert_events_maintenance_window_key_idx ON alert_events (maintenance_window_key) WHERE maintenance_window_key IS NOT NULL;
            """,
            ReportQuery.postgresFunctions,
        ].joined(separator: "\n"))
}
