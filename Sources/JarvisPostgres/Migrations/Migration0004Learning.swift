internal import JarvisCore

extension PostgresMigration {
    /// Step 4: the learning engine. Patterns carry what choosing and binding them needs, every
    /// change to a pattern is a `pattern_events` row, fingerprints become snapshots (they
    /// change: occurrences, last seen), and the 14 shipped seeds become patterns 1–14 (the
    /// same ids and keys the local journal's step v8-learning writes).
    static let learning = PostgresMigration(
        version: 4, name: "learning",
        sql: #"""
            ALTER TABLE remediation_patterns
                ADD COLUMN summary text NOT NULL DEFAULT '',
                ADD COLUMN required_labels jsonb NOT NULL DEFAULT '[]',
                ADD COLUMN command_set text NOT NULL DEFAULT '',
                ADD COLUMN tier smallint NOT NULL DEFAULT 3 CHECK (tier BETWEEN 1 AND 3);
            COMMENT ON COLUMN remediation_patterns.summary IS 'What the pattern does and why, for people and as an LLM hint.';
            COMMENT ON COLUMN remediation_patterns.required_labels IS 'JSON array of labels an alert must carry for the pattern to apply (beyond the symptom).';
            COMMENT ON COLUMN remediation_patterns.command_set IS 'SHA-256 (hex) of the canonical action list; the failure memory compares command sets.';
            COMMENT ON COLUMN remediation_patterns.tier IS 'The tier at the last change: 1 runs with no LLM call, 2 is given to the LLM as a hint, 3 is not trusted yet.';
            COMMENT ON COLUMN remediation_patterns.enabled IS 'false after jarvis patterns disable: never used.';

            ALTER TABLE alert_fingerprints ADD COLUMN updated_at timestamptz NULL;
            COMMENT ON COLUMN alert_fingerprints.updated_at IS 'When this snapshot was taken; a newer snapshot replaces an older one.';

            CREATE TABLE pattern_events (
                id bigserial PRIMARY KEY,
                idempotency_key text NOT NULL UNIQUE,
                pattern_id bigint NOT NULL,
                kind text NOT NULL CHECK (kind IN ('learned','promoted','demoted','disabled','enabled')),
                from_tier smallint NULL, to_tier smallint NULL,
                remediation_key text NULL,   -- remediation_log.idempotency_key of the outcome that caused it
                recorded_at timestamptz NOT NULL,
                runner text NOT NULL DEFAULT '');
            CREATE INDEX pattern_events_pattern_id_idx ON pattern_events (pattern_id);
            COMMENT ON TABLE pattern_events IS
                'Every change to a remediation pattern: learned (created from a verified fix or an import), promoted or demoted between tiers by an outcome, disabled or enabled by a person.';
            -- Pattern rows arrive with the id the runner's journal gave them, so that
            -- remediation_log.pattern_id and pattern_events.pattern_id mean the same pattern in both
            -- stores. Another runner may have used that id for another pattern: then the row gets a
            -- free id of its own instead of failing the batch (its events keep the runner's id).
            CREATE FUNCTION remediation_patterns_free_id() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                IF EXISTS (SELECT 1 FROM remediation_patterns WHERE id = NEW.id AND idempotency_key <> NEW.idempotency_key) THEN
                    SELECT id INTO NEW.id FROM remediation_patterns WHERE idempotency_key = NEW.idempotency_key;
                    WHILE NEW.id IS NULL OR EXISTS (SELECT 1 FROM remediation_patterns WHERE id = NEW.id AND idempotency_key <> NEW.idempotency_key) LOOP
                        NEW.id := nextval(pg_get_serial_sequence('remediation_patterns', 'id'));
                    END LOOP;
                END IF;
                RETURN NEW;
            END $$;
            CREATE TRIGGER remediation_patterns_free_id BEFORE INSERT ON remediation_patterns
                FOR EACH ROW EXECUTE FUNCTION remediation_patterns_free_id();
            COMMENT ON FUNCTION remediation_patterns_free_id() IS
                'Gives a pattern row whose id another pattern holds already (another runner''s) its existing id or a free one.';

            COMMENT ON COLUMN pattern_events.remediation_key IS 'remediation_log.idempotency_key of the outcome that caused the change; NULL for a person''s change or an import.';

            """# + seedRows)

    /// The seeds as `INSERT`s (a row whose id or key exists already is kept), then the id
    /// sequence moved past them.
    static var seedRows: String {
        func literal(_ text: String) -> String { "'" + text.split(separator: "'", omittingEmptySubsequences: false).joined(separator: "''") + "'" }
        var sql = ""
        for (index, seed) in SeedPattern.all.enumerated() {
            let p = LearnedPattern(seed: seed, id: Int64(index + 1), createdAt: Timestamp(seconds: 0))
            let parts = JSONValue.array(p.symptom.parts.map(JSONValue.string)).jsonText
            let required = JSONValue.array(p.requiredLabels.map(JSONValue.string)).jsonText
            sql += """
                INSERT INTO remediation_patterns (id, idempotency_key, fingerprint, alertname, symptom_parts, commands, risk, success_count,
                    failure_count, enabled, source, summary, required_labels, command_set, tier)
                VALUES (\(p.id), \(literal(p.key)), \(literal(p.symptom.sha256)), \(literal(p.alertname)), \(literal(parts))::jsonb,
                    \(literal(PatternDocument.actionsJSON(p.actions).jsonText))::jsonb, 'low', \(p.successes), \(p.failures), true, 'seed',
                    \(literal(p.summary)), \(literal(required))::jsonb, \(literal(p.commandSet)), \(p.tier(now: Timestamp(seconds: 0)).rawValue))
                ON CONFLICT DO NOTHING;

                """
        }
        sql += "SELECT setval(pg_get_serial_sequence('remediation_patterns', 'id'), greatest((SELECT max(id) FROM remediation_patterns), 1));\n"
        return sql
    }
}
