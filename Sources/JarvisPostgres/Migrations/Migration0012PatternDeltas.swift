extension PostgresMigration {
    /// Step 12: a person's changes to patterns arrive as the changes they are, not as copies
    /// of the row. `jarvis patterns enable`, `disable` and `import` queue a `pattern_commands`
    /// row in the runner's journal; the drain inserts it (once: its idempotency key), and the
    /// trigger applies it to `remediation_patterns` with its `pattern_events` row in the same
    /// transaction. Enable and disable change `enabled` alone; an import adds a pattern that
    /// is not there and, for one that is, takes the file's description (summary, risk,
    /// required labels) but never the counts other runners taught, unless the person asked
    /// for the file's counts (`--replace-statistics`). Pattern rows that still arrive as
    /// copies (a journal queued by an older jarvis) add a missing pattern and change nothing
    /// else: `remediation_patterns` is no longer a snapshot table.
    static let patternDeltas = PostgresMigration(
        version: 12, name: "pattern_deltas",
        sql: #"""
            CREATE TABLE pattern_commands (
                id bigserial PRIMARY KEY,
                idempotency_key text NOT NULL UNIQUE,
                kind text NOT NULL CHECK (kind IN ('enable', 'disable', 'import')),
                pattern_key text NOT NULL,
                pattern jsonb NULL,
                replace_statistics boolean NOT NULL DEFAULT false,
                event_key text NOT NULL,
                runner text NOT NULL DEFAULT '',
                recorded_at timestamptz NOT NULL
            );
            COMMENT ON TABLE pattern_commands IS
                'A person''s change to a pattern (jarvis patterns enable/disable/import) on some runner, applied to remediation_patterns by the trigger once, when the row is first inserted.';
            COMMENT ON COLUMN pattern_commands.pattern_key IS 'remediation_patterns.idempotency_key of the pattern changed.';
            COMMENT ON COLUMN pattern_commands.pattern IS 'import: the pattern as the file gave it (remediation_patterns columns).';
            COMMENT ON COLUMN pattern_commands.replace_statistics IS 'import: take the file''s counts and dates for a pattern that exists already.';
            COMMENT ON COLUMN pattern_commands.event_key IS 'pattern_events.idempotency_key of the change it makes (the same key in the runner''s journal).';

            CREATE FUNCTION pattern_commands_apply() RETURNS trigger LANGUAGE plpgsql AS $$
            DECLARE
                incoming remediation_patterns%ROWTYPE;
                changed_id bigint;
                added boolean;
            BEGIN
                IF NEW.kind IN ('enable', 'disable') THEN
                    UPDATE remediation_patterns SET enabled = (NEW.kind = 'enable'), updated_at = now()
                    WHERE idempotency_key = NEW.pattern_key AND enabled <> (NEW.kind = 'enable')
                    RETURNING id INTO changed_id;
                    IF changed_id IS NOT NULL THEN
                        INSERT INTO pattern_events (idempotency_key, pattern_id, kind, recorded_at, runner)
                        VALUES (NEW.event_key, changed_id, NEW.kind || 'd', NEW.recorded_at, NEW.runner)
                        ON CONFLICT (idempotency_key) DO NOTHING;
                    END IF;
                    RETURN NULL;
                END IF;
                incoming := jsonb_populate_record(NULL::remediation_patterns, NEW.pattern);
                INSERT INTO remediation_patterns AS p (id, idempotency_key, fingerprint, alertname, symptom_parts, commands, risk,
                    success_count, failure_count, enabled, source, last_used_at, created_at, updated_at, summary, required_labels,
                    command_set, tier)
                VALUES (coalesce(incoming.id, nextval(pg_get_serial_sequence('remediation_patterns', 'id'))), NEW.pattern_key,
                    incoming.fingerprint, incoming.alertname, coalesce(incoming.symptom_parts, '[]'), incoming.commands,
                    coalesce(incoming.risk, 'low'), coalesce(incoming.success_count, 0), coalesce(incoming.failure_count, 0),
                    coalesce(incoming.enabled, true), incoming.source, incoming.last_used_at, coalesce(incoming.created_at, now()), now(),
                    coalesce(incoming.summary, ''), coalesce(incoming.required_labels, '[]'), coalesce(incoming.command_set, ''),
                    coalesce(incoming.tier, 3))
                ON CONFLICT (idempotency_key) DO UPDATE SET
                    summary = EXCLUDED.summary, risk = EXCLUDED.risk, required_labels = EXCLUDED.required_labels, updated_at = now(),
                    success_count = CASE WHEN NEW.replace_statistics THEN EXCLUDED.success_count ELSE p.success_count END,
                    failure_count = CASE WHEN NEW.replace_statistics THEN EXCLUDED.failure_count ELSE p.failure_count END,
                    last_used_at = CASE WHEN NEW.replace_statistics THEN EXCLUDED.last_used_at ELSE p.last_used_at END,
                    tier = CASE WHEN NEW.replace_statistics THEN EXCLUDED.tier ELSE p.tier END
                RETURNING p.id, (p.xmax = 0) INTO changed_id, added;
                IF added THEN
                    INSERT INTO pattern_events (idempotency_key, pattern_id, kind, to_tier, recorded_at, runner)
                    VALUES (NEW.event_key, changed_id, 'learned', coalesce(incoming.tier, 3), NEW.recorded_at, NEW.runner)
                    ON CONFLICT (idempotency_key) DO NOTHING;
                END IF;
                RETURN NULL;
            END $$;
            -- AFTER: a row the drain sends again meets its key and is not inserted, so it
            -- changes nothing (a BEFORE trigger would run before that check).
            CREATE TRIGGER pattern_commands_apply AFTER INSERT ON pattern_commands
                FOR EACH ROW EXECUTE FUNCTION pattern_commands_apply();
            COMMENT ON FUNCTION pattern_commands_apply() IS
                'Applies a person''s change to a pattern once: enable/disable set enabled and keep the counts; an import adds the pattern or, for one that exists, takes its description and keeps the counts other runners taught (unless replace_statistics).';
            """#)
}
