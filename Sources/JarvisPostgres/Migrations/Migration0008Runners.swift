extension PostgresMigration {
    /// Step 8: several runners on one database. Claims of remediation attempts (who acts on
    /// an alert occurrence, and the hourly action budget across runners), claims of
    /// notifications (who sends a Discord message), the runners seen, and the runner that
    /// opened each maintenance window.
    ///
    /// The claim is one function call, so it costs one round trip: it takes a transaction-
    /// scoped advisory lock on the occurrence, looks at its last claim, checks the alert key's
    /// attempt budget, and inserts the claim and the attempt's intent row in one transaction.
    static let runners = PostgresMigration(
        version: 8, name: "runners",
        sql: #"""
            CREATE TABLE remediation_claims (
                id bigserial PRIMARY KEY,
                attempt_key text NOT NULL UNIQUE,
                event_key text NOT NULL,
                attempt integer NOT NULL CHECK (attempt >= 1),
                alert_key text NOT NULL,
                host text NOT NULL DEFAULT '',
                runner text NOT NULL,
                received_at timestamptz NOT NULL,
                claimed_at timestamptz NOT NULL DEFAULT now(),
                acted_at timestamptz NULL,
                UNIQUE (event_key, attempt)
            );
            CREATE INDEX remediation_claims_alert_key_claimed_at_idx ON remediation_claims (alert_key, claimed_at);
            CREATE INDEX remediation_claims_acted_at_idx ON remediation_claims (acted_at) WHERE acted_at IS NOT NULL;
            COMMENT ON TABLE remediation_claims IS
                'Which runner holds each remediation attempt: one row per attempt at an alert occurrence, inserted with the attempt''s intent row in remediation_log. A runner that finds the attempt claimed does nothing.';
            COMMENT ON COLUMN remediation_claims.attempt_key IS 'remediation_log.idempotency_key of the attempt: remediation/<event_key>#<attempt>.';
            COMMENT ON COLUMN remediation_claims.event_key IS 'alert_events.idempotency_key of the firing occurrence the attempt answers.';
            COMMENT ON COLUMN remediation_claims.received_at IS 'When the notification that made the alert actionable reached the claiming runner.';
            COMMENT ON COLUMN remediation_claims.acted_at IS 'When the attempt took one action of the hourly budget shared by all runners; NULL when it ran nothing.';

            CREATE TABLE notification_claims (
                dedup_key text PRIMARY KEY,
                runner text NOT NULL,
                claimed_at timestamptz NOT NULL DEFAULT now()
            );
            COMMENT ON TABLE notification_claims IS
                'Which runner sends each Discord message (by its dedup key): the others drop their copy, so an event is posted once.';

            CREATE TABLE runners (
                runner text PRIMARY KEY,
                last_seen_at timestamptz NOT NULL,
                last_command text NOT NULL,
                last_result text NOT NULL,
                last_summary text NOT NULL DEFAULT ''
            );
            COMMENT ON TABLE runners IS 'Each jarvis runner using this database and what it last did (jarvis status lists those seen in the last hour).';

            ALTER TABLE maintenance_windows ADD COLUMN runner text NOT NULL DEFAULT '';
            COMMENT ON COLUMN maintenance_windows.runner IS 'The runner the window was opened on; it applies on every runner.';

            CREATE FUNCTION jarvis_claim_remediation(
                p_event_key text, p_occurrence_key text, p_alert_key text, p_alertname text, p_host text, p_runner text,
                p_received_at timestamptz, p_cooldown_seconds double precision, p_attempt_limit integer, p_attempt_window_seconds double precision
            ) RETURNS TABLE (verdict text, attempt integer, attempt_key text, claimant text)
            LANGUAGE plpgsql AS $$
            DECLARE
                last_claim remediation_claims%ROWTYPE;
                used integer;
                next_attempt integer;
                key text;
            BEGIN
                PERFORM pg_advisory_xact_lock(hashtextextended('jarvis/claim/' || p_event_key, 0));
                SELECT * INTO last_claim FROM remediation_claims c WHERE c.event_key = p_event_key ORDER BY c.attempt DESC LIMIT 1;
                IF FOUND AND (last_claim.received_at > p_received_at - make_interval(secs => p_cooldown_seconds)
                              OR last_claim.claimed_at > now() - make_interval(secs => p_cooldown_seconds)) THEN
                    RETURN QUERY SELECT 'lost'::text, last_claim.attempt, last_claim.attempt_key, last_claim.runner;
                    RETURN;
                END IF;
                IF p_attempt_limit > 0 THEN
                    PERFORM pg_advisory_xact_lock(hashtextextended('jarvis/alert-key/' || p_alert_key, 0));
                    SELECT count(*) INTO used FROM remediation_claims c
                        WHERE c.alert_key = p_alert_key AND c.claimed_at > now() - make_interval(secs => p_attempt_window_seconds);
                    IF used >= p_attempt_limit THEN
                        RETURN QUERY SELECT 'exhausted'::text, used, ''::text, ''::text;
                        RETURN;
                    END IF;
                END IF;
                next_attempt := coalesce(last_claim.attempt, 0) + 1;
                key := 'remediation/' || p_event_key || '#' || next_attempt;
                INSERT INTO remediation_claims (attempt_key, event_key, attempt, alert_key, host, runner, received_at)
                    VALUES (key, p_event_key, next_attempt, p_alert_key, p_host, p_runner, p_received_at);
                -- updated_at NULL: the runner's own snapshots (intent, outcome) replace this row
                -- whatever its clock says.
                INSERT INTO remediation_log (idempotency_key, occurrence_key, alert_key, alertname, host, tier, intent_at, outcome,
                                             verification, runner, updated_at, plan_summary)
                    VALUES (key, p_occurrence_key, p_alert_key, p_alertname, p_host, 3, now(), 'pending', 'pending', p_runner, NULL,
                            'claimed by runner ' || p_runner)
                    ON CONFLICT (idempotency_key) DO NOTHING;
                RETURN QUERY SELECT 'won'::text, next_attempt, key, p_runner;
            END
            $$;
            COMMENT ON FUNCTION jarvis_claim_remediation(text, text, text, text, text, text, timestamptz, double precision, integer, double precision) IS
                'Claims the next remediation attempt at an occurrence for a runner, in one transaction: lost (another claim of the same occurrence within the cooldown: its runner), '
                'exhausted (the alert key''s attempts across runners reached the limit within the window), or won (the claim and the attempt''s intent row are inserted).';

            CREATE FUNCTION jarvis_reserve_action(p_attempt_key text, p_host text, p_limit integer, p_window_seconds double precision)
            RETURNS text
            LANGUAGE plpgsql AS $$
            DECLARE
                used integer;
            BEGIN
                IF NOT pg_try_advisory_lock(hashtextextended('jarvis/host/' || p_host, 0)) THEN
                    RETURN 'host-busy';
                END IF;
                PERFORM pg_advisory_xact_lock(hashtextextended('jarvis/action-budget', 0));
                SELECT count(*) INTO used FROM remediation_claims WHERE acted_at > now() - make_interval(secs => p_window_seconds);
                IF used >= p_limit THEN
                    PERFORM pg_advisory_unlock(hashtextextended('jarvis/host/' || p_host, 0));
                    RETURN 'over-budget';
                END IF;
                UPDATE remediation_claims SET acted_at = now() WHERE attempt_key = p_attempt_key;
                RETURN 'reserved';
            END
            $$;
            COMMENT ON FUNCTION jarvis_reserve_action(text, text, integer, double precision) IS
                'Takes the host''s session advisory lock (one action per host across runners; released with pg_advisory_unlock after the outcome) '
                'and one action of the hourly budget shared by all runners: reserved, host-busy or over-budget.';
            """#)
}
