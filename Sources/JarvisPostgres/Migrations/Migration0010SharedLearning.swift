extension PostgresMigration {
    /// Step 10: runners learn together. PostgreSQL counts every runner's settled outcomes
    /// once: each `learning_feedback` row is marked when it is taught (the shared cursor, in
    /// the transaction that changes the pattern), the occurrences counted for each pattern are
    /// rows here, and every change to a pattern records the transaction that made it, so a
    /// runner copies only what changed into its local cache.
    static let sharedLearning = PostgresMigration(
        version: 10, name: "shared_learning",
        sql: #"""
            ALTER TABLE learning_feedback
                ADD COLUMN learned_at timestamptz NULL,
                ADD COLUMN learned_by text NULL;
            -- Outcomes recorded before this step were counted by their own runner, whose pattern
            -- snapshots carry the counts: they are never counted again.
            UPDATE learning_feedback SET learned_at = now(), learned_by = '';
            CREATE INDEX learning_feedback_untaught_idx ON learning_feedback (id) WHERE learned_at IS NULL;
            COMMENT ON COLUMN learning_feedback.learned_at IS
                'When a runner''s jarvis learn (or ingest) counted this outcome in remediation_patterns; NULL: not yet. Set in the transaction that changed the pattern, so each outcome counts once.';
            COMMENT ON COLUMN learning_feedback.learned_by IS 'The runner that counted it.';

            CREATE TABLE pattern_evidence (
                pattern_id bigint NOT NULL,
                occurrence_key text NOT NULL,
                remediation_key text NOT NULL,
                counted_at timestamptz NOT NULL DEFAULT now(),
                PRIMARY KEY (pattern_id, occurrence_key)
            );
            COMMENT ON TABLE pattern_evidence IS
                'The alert occurrences counted for each pattern: a pattern''s successes and failures count distinct occurrences, whichever runner settled them.';

            ALTER TABLE remediation_patterns ADD COLUMN changed_xid xid8 NOT NULL DEFAULT pg_current_xact_id();
            CREATE FUNCTION remediation_patterns_changed() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                NEW.changed_xid := pg_current_xact_id();
                RETURN NEW;
            END $$;
            CREATE TRIGGER remediation_patterns_changed BEFORE INSERT OR UPDATE ON remediation_patterns
                FOR EACH ROW EXECUTE FUNCTION remediation_patterns_changed();
            CREATE INDEX remediation_patterns_changed_xid_idx ON remediation_patterns (changed_xid);
            COMMENT ON COLUMN remediation_patterns.changed_xid IS
                'The transaction that last changed the row: runners copy the rows changed since the oldest transaction running at their last copy.';
            """#)
}
