extension PostgresMigration {
    /// Step 2: triage decisions on alert events, re-decisions, and window snapshots.
    static let triageDecisions = PostgresMigration(
        version: 2, name: "triage_decisions",
        sql: #"""
            ALTER TABLE alert_events
                ADD COLUMN decision text NULL,
                ADD COLUMN decision_reason text NULL,
                ADD COLUMN root_cause text NULL,
                ADD COLUMN maintenance_window_id bigint NULL;
            COMMENT ON COLUMN alert_events.decision IS
                'What triage decided when the event arrived: deduplicated, resolved, suppressed:maintenance, suppressed:host-offline, suppressed:cascade, held:flapping, escalated, budget:exhausted, unroutable or actionable. NULL for rows recorded before triage existed.';
            COMMENT ON COLUMN alert_events.decision_reason IS 'The decision in one sentence, for people.';
            COMMENT ON COLUMN alert_events.root_cause IS 'For suppressed:cascade: the occurrence (fingerprint@starts_at) of the ultimate root cause.';
            COMMENT ON COLUMN alert_events.maintenance_window_id IS 'For suppressed:maintenance: the local id of the window (see maintenance_windows.idempotency_key).';

            CREATE TABLE triage_decisions (
                id bigserial PRIMARY KEY,
                idempotency_key text NOT NULL UNIQUE,
                event_key text NOT NULL,
                alert_key text NOT NULL,
                decision text NOT NULL,
                decision_reason text NOT NULL,
                root_cause text NULL,
                maintenance_window_id bigint NULL,
                decided_at timestamptz NOT NULL,
                runner text NOT NULL DEFAULT ''
            );
            CREATE INDEX triage_decisions_event_key_idx ON triage_decisions (event_key);
            COMMENT ON TABLE triage_decisions IS
                'Later decisions about an alert event already recorded: the same occurrence and status notified again after the dedup cooldown. The first decision is on the alert_events row.';
            COMMENT ON COLUMN triage_decisions.event_key IS 'The alert_events.idempotency_key the decision is about.';

            ALTER TABLE maintenance_windows ADD COLUMN updated_at timestamptz NULL;
            COMMENT ON COLUMN maintenance_windows.updated_at IS
                'When this snapshot of the window was taken; a newer snapshot (counter, early end) replaces an older one, never the reverse.';
            """#)
}
