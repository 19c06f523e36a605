/// `alert_occurrences`: one row per alert occurrence (a label set that started firing at
/// `starts_at`), folding its firing and resolved events together, so the figures about
/// occurrences read one narrow row each instead of pairing events with a self-join.
///
/// Columns: `occurrence_key` (`fingerprint@starts_at`), `alert_key`, `host` (as
/// `ReportDialect.host` names it), `starts_at`, `ended_at` (the resolved event's `ends_at`;
/// NULL while unresolved or when the resolution carried no end), `firing` / `resolved` (an
/// event of that status was recorded), `firing_decision` / `resolved_decision` (triage's
/// decision on each event).
///
/// PostgreSQL keeps it as a table, written by a statement trigger on `alert_events` (so
/// every way rows arrive, COPY or INSERT, keeps it current in the same transaction) and
/// indexed on the period columns. SQLite has it as a view over `alert_events` (the embedded
/// store is small, and ingest stays one insert per event). Both read the same `rollup`.
public enum ReportOccurrences {
    /// The rollup of alert events `source` into occurrence rows, grouped by occurrence.
    ///
    /// - Parameters:
    ///   - source: A relation with `alert_events`' columns.
    ///   - dialect: The SQL dialect.
    public static func rollup(from source: String, _ dialect: SQLDialect) -> String {
        let d = ReportDialect(dialect: dialect)
        // The event key is `<occurrence key>/<status>`.
        let key = "substr(idempotency_key, 1, length(idempotency_key) - length(status) - 1)"
        let flag = { (condition: String) in dialect == .postgres ? "bool_or(\(condition))" : "max(\(condition))" }
        return """
            SELECT min(\(key)) AS occurrence_key, min(alert_key) AS alert_key, min(\(d.host("labels"))) AS host, starts_at,
                   max(ends_at) FILTER (WHERE status = 'resolved') AS ended_at,
                   \(flag("status = 'firing'")) AS firing, \(flag("status = 'resolved'")) AS resolved,
                   max(decision) FILTER (WHERE status = 'firing') AS firing_decision,
                   max(decision) FILTER (WHERE status = 'resolved') AS resolved_decision
            FROM \(source)
            GROUP BY fingerprint, starts_at
            """
    }

    /// The columns `rollup` yields, in order.
    static let columns = "occurrence_key, alert_key, host, starts_at, ended_at, firing, resolved, firing_decision, resolved_decision"

    /// PostgreSQL: the table, its trigger on `alert_events`, its indexes, and the rows for the
    /// events already stored.
    public static let postgresSchema = """
        CREATE TABLE alert_occurrences (
            occurrence_key text PRIMARY KEY,
            alert_key text NOT NULL,
            host text NOT NULL,
            starts_at timestamptz NOT NULL,
            ended_at timestamptz NULL,
            firing boolean NOT NULL,
            resolved boolean NOT NULL,
            firing_decision text NULL,
            resolved_decision text NULL
        );
        COMMENT ON TABLE alert_occurrences IS
            'One row per alert occurrence (fingerprint@starts_at) with its firing and resolved events folded together, kept by a trigger on alert_events; the weekly report reads it.';
        COMMENT ON COLUMN alert_occurrences.ended_at IS 'ends_at of the resolved event; NULL while unresolved or when it carried no end.';
        COMMENT ON COLUMN alert_occurrences.host IS 'remediation_host or host label, else instance without port, else (none).';
        CREATE INDEX alert_occurrences_starts_at_idx ON alert_occurrences (starts_at);
        CREATE INDEX alert_occurrences_ended_at_idx ON alert_occurrences (ended_at);

        CREATE FUNCTION jarvis_alert_occurrences_add() RETURNS trigger LANGUAGE plpgsql AS $occ$
        BEGIN
            INSERT INTO alert_occurrences AS o (\(columns))
            \(rollup(from: "new_events", .postgres))
            ON CONFLICT (occurrence_key) DO UPDATE SET
                ended_at = coalesce(o.ended_at, EXCLUDED.ended_at),
                firing = o.firing OR EXCLUDED.firing,
                resolved = o.resolved OR EXCLUDED.resolved,
                firing_decision = coalesce(o.firing_decision, EXCLUDED.firing_decision),
                resolved_decision = coalesce(o.resolved_decision, EXCLUDED.resolved_decision);
            RETURN NULL;
        END
        $occ$;
        CREATE TRIGGER alert_events_occurrences AFTER INSERT ON alert_events
            REFERENCING NEW TABLE AS new_events FOR EACH STATEMENT EXECUTE FUNCTION jarvis_alert_occurrences_add();
        INSERT INTO alert_occurrences (\(columns))
        \(rollup(from: "alert_events", .postgres));
        """

    /// SQLite: the view.
    public static let sqliteSchema = """
        CREATE VIEW alert_occurrences AS
        \(rollup(from: "alert_events", .sqlite));
        """
}
