extension PostgresMigration {
    /// Version 1: the journal's tables, the six tables of the original service redesigned
    /// for jarvis, `calculate_pattern_confidence`, and the views `high_confidence_patterns`
    /// and `learning_stats`.
    ///
    /// Design rules, since people query this schema with psql and Grafana:
    /// - every table that rows reach through the local journal has `idempotency_key text not
    ///   null unique`, the key `PostgresStore.apply` deduplicates on;
    /// - no foreign keys between them: rows arrive from several runners' journals in any
    ///   order, so references are plain values (`pattern_id`, `occurrence_key`…);
    /// - times are `timestamptz`, JSON is `jsonb`, enumerations are `text` with a CHECK;
    /// - every table, view and function carries a COMMENT.
    static let coreSchema = PostgresMigration(
        version: 1, name: "core_schema",
        sql: #"""
            -- alert_events ------------------------------------------------------------------
            CREATE TABLE alert_events (
                id bigserial PRIMARY KEY,
                idempotency_key text NOT NULL UNIQUE,
                fingerprint text NOT NULL,
                sender_fingerprint text NOT NULL DEFAULT '',
                alertname text NOT NULL,
                alert_key text NOT NULL,
                status text NOT NULL CHECK (status IN ('firing', 'resolved')),
                starts_at timestamptz NOT NULL,
                ends_at timestamptz NULL,
                labels jsonb NOT NULL,
                annotations jsonb NOT NULL,
                receiver text NOT NULL DEFAULT '',
                group_key text NOT NULL DEFAULT '',
                external_url text NOT NULL DEFAULT '',
                generator_url text NOT NULL DEFAULT '',
                source_sha256 text NOT NULL DEFAULT '',
                received_at timestamptz NOT NULL,
                runner text NOT NULL DEFAULT ''
            );
            CREATE INDEX alert_events_fingerprint_starts_at_idx ON alert_events (fingerprint, starts_at);
            CREATE INDEX alert_events_alert_key_received_at_idx ON alert_events (alert_key, received_at);
            CREATE INDEX alert_events_received_at_idx ON alert_events (received_at);
            COMMENT ON TABLE alert_events IS
                'One row per alert occurrence and status as jarvis received it from Alertmanager (the ingest journal''s main table). '
                'Duplicate deliveries collapse on idempotency_key; rows are never updated or deleted.';
            COMMENT ON COLUMN alert_events.idempotency_key IS 'Key of (occurrence, status): fingerprint + starts_at + status. Unique across all runners.';
            COMMENT ON COLUMN alert_events.fingerprint IS 'Occurrence fingerprint: the label-set fingerprint recomputed from labels exactly as Alertmanager computes it (FNV-1a 64 over sorted labels), so it holds even when a sender''s fingerprint is empty or wrong.';
            COMMENT ON COLUMN alert_events.sender_fingerprint IS 'The fingerprint exactly as Alertmanager sent it ('''' when absent).';
            COMMENT ON COLUMN alert_events.alert_key IS 'alertname plus instance key (host:container, the system label, or instance): the unit of attempt budgets.';
            COMMENT ON COLUMN alert_events.status IS 'firing or resolved: the alert''s own status, not the group''s.';
            COMMENT ON COLUMN alert_events.ends_at IS 'NULL when Alertmanager sent no end (its zero time 0001-01-01).';
            COMMENT ON COLUMN alert_events.source_sha256 IS 'SHA-256 of the spool file the alert came from, to trace a row back to its delivery.';
            COMMENT ON COLUMN alert_events.received_at IS 'When jarvis accepted the notification.';
            COMMENT ON COLUMN alert_events.runner IS 'Name of the jarvis runner that received it (several runners may share this database).';

            -- remediation_log ---------------------------------------------------------------
            CREATE TABLE remediation_log (
                id bigserial PRIMARY KEY,
                idempotency_key text NOT NULL UNIQUE,
                occurrence_key text NOT NULL,
                alert_key text NOT NULL,
                alertname text NOT NULL,
                host text NOT NULL DEFAULT '',
                tier smallint NOT NULL CHECK (tier BETWEEN 1 AND 3),
                pattern_id bigint NULL,
                commands jsonb NOT NULL DEFAULT '[]',
                intent_at timestamptz NOT NULL,
                outcome text NOT NULL DEFAULT 'pending'
                    CHECK (outcome IN ('pending', 'succeeded', 'failed', 'rejected', 'escalated', 'unknown', 'dry_run')),
                outcome_at timestamptz NULL,
                exit_status integer NULL,
                stdout_excerpt text NOT NULL DEFAULT '',
                stderr_excerpt text NOT NULL DEFAULT '',
                verification text NOT NULL DEFAULT 'pending'
                    CHECK (verification IN ('pending', 'verified', 'failed', 'unverified', 'not_applicable')),
                llm_tokens_in integer NOT NULL DEFAULT 0 CHECK (llm_tokens_in >= 0),
                llm_tokens_out integer NOT NULL DEFAULT 0 CHECK (llm_tokens_out >= 0),
                llm_cost_usd numeric(12, 6) NOT NULL DEFAULT 0,
                escalated boolean NOT NULL DEFAULT false,
                error text NULL,
                runner text NOT NULL DEFAULT ''
            );
            CREATE INDEX remediation_log_alert_key_intent_at_idx ON remediation_log (alert_key, intent_at);
            CREATE INDEX remediation_log_occurrence_key_idx ON remediation_log (occurrence_key);
            CREATE INDEX remediation_log_host_intent_at_idx ON remediation_log (host, intent_at);
            CREATE INDEX remediation_log_pattern_id_idx ON remediation_log (pattern_id) WHERE pattern_id IS NOT NULL;
            CREATE INDEX remediation_log_intent_at_idx ON remediation_log (intent_at);
            COMMENT ON TABLE remediation_log IS
                'One row per remediation attempt: what was planned (intent, written before acting), what ran, and how it ended. Never deleted.';
            COMMENT ON COLUMN remediation_log.idempotency_key IS 'Key of the attempt: occurrence key + attempt number.';
            COMMENT ON COLUMN remediation_log.occurrence_key IS 'idempotency key of the alert occurrence this attempt answers (see alert_events.fingerprint/starts_at).';
            COMMENT ON COLUMN remediation_log.tier IS '1 = cached pattern, no LLM; 2 = pattern given to the LLM as a hint; 3 = full LLM diagnosis.';
            COMMENT ON COLUMN remediation_log.pattern_id IS 'remediation_patterns.id of the pattern used (tiers 1 and 2); not a foreign key.';
            COMMENT ON COLUMN remediation_log.commands IS 'JSON array of the catalog actions planned, each with its template and parameters.';
            COMMENT ON COLUMN remediation_log.outcome IS
                'pending (intent only), succeeded (ran, exit 0), failed, rejected (command policy), escalated (needs a person), unknown (crash or lost connection: never re-run), dry_run.';
            COMMENT ON COLUMN remediation_log.verification IS
                'pending until the verification window ends; verified (alert resolved or check passed), failed (still firing), unverified (no signal), not_applicable.';
            COMMENT ON COLUMN remediation_log.llm_cost_usd IS 'Cost of the LLM calls of this attempt, in US dollars.';

            -- remediation_patterns ----------------------------------------------------------
            CREATE TABLE remediation_patterns (
                id bigserial PRIMARY KEY,
                idempotency_key text NOT NULL UNIQUE,
                fingerprint text NOT NULL CHECK (fingerprint ~ '^[0-9a-f]{64}$'),
                alertname text NOT NULL,
                symptom_parts jsonb NOT NULL DEFAULT '[]',
                commands jsonb NOT NULL,
                risk text NOT NULL DEFAULT 'low' CHECK (risk IN ('low', 'medium', 'high')),
                success_count integer NOT NULL DEFAULT 0 CHECK (success_count >= 0),
                failure_count integer NOT NULL DEFAULT 0 CHECK (failure_count >= 0),
                enabled boolean NOT NULL DEFAULT true,
                source text NOT NULL CHECK (source IN ('seed', 'learned')),
                last_used_at timestamptz NULL,
                created_at timestamptz NOT NULL DEFAULT now(),
                updated_at timestamptz NOT NULL DEFAULT now()
            );
            CREATE INDEX remediation_patterns_alertname_idx ON remediation_patterns (alertname);
            CREATE INDEX remediation_patterns_fingerprint_idx ON remediation_patterns (fingerprint);
            COMMENT ON TABLE remediation_patterns IS
                'Learned and seeded remediations: a symptom fingerprint and the catalog actions that fixed it, with verified success and failure counts. '
                'Confidence is calculate_pattern_confidence(success_count, failure_count, last_used_at).';
            COMMENT ON COLUMN remediation_patterns.idempotency_key IS 'Identity of the pattern: hash of fingerprint + commands. Changed commands make a new pattern whose statistics start again.';
            COMMENT ON COLUMN remediation_patterns.fingerprint IS 'SHA-256 (hex) of the symptom, as in alert_fingerprints.sha256.';
            COMMENT ON COLUMN remediation_patterns.symptom_parts IS 'JSON array of the normalised "label=value" parts the fingerprint hashes; similarity is a Jaccard overlap of these.';
            COMMENT ON COLUMN remediation_patterns.commands IS 'JSON array of catalog actions with parameter placeholders filled from labels.';
            COMMENT ON COLUMN remediation_patterns.source IS 'seed (shipped with jarvis, low evidence count) or learned (from a verified LLM-path success).';

            -- alert_fingerprints ------------------------------------------------------------
            CREATE TABLE alert_fingerprints (
                id bigserial PRIMARY KEY,
                idempotency_key text NOT NULL UNIQUE,
                sha256 text NOT NULL UNIQUE CHECK (sha256 ~ '^[0-9a-f]{64}$'),
                alertname text NOT NULL,
                parts jsonb NOT NULL,
                first_seen_at timestamptz NOT NULL,
                last_seen_at timestamptz NOT NULL,
                occurrences integer NOT NULL DEFAULT 1 CHECK (occurrences >= 0)
            );
            CREATE INDEX alert_fingerprints_alertname_idx ON alert_fingerprints (alertname);
            COMMENT ON TABLE alert_fingerprints IS
                'Symptom fingerprints: alertname plus a fixed ordered set of labels (system, remediation_host, category, job, severity, container, service, host, device, filesystem) with volatile values normalised.';
            COMMENT ON COLUMN alert_fingerprints.sha256 IS 'SHA-256 (hex) of the normalised parts.';
            COMMENT ON COLUMN alert_fingerprints.parts IS 'JSON array of the normalised "label=value" parts.';

            -- learning_feedback -------------------------------------------------------------
            CREATE TABLE learning_feedback (
                id bigserial PRIMARY KEY,
                idempotency_key text NOT NULL UNIQUE,
                pattern_id bigint NULL,
                remediation_key text NOT NULL,
                outcome text NOT NULL CHECK (outcome IN ('success', 'failure')),
                verified boolean NOT NULL,
                recorded_at timestamptz NOT NULL
            );
            CREATE INDEX learning_feedback_pattern_id_idx ON learning_feedback (pattern_id);
            CREATE INDEX learning_feedback_remediation_key_idx ON learning_feedback (remediation_key);
            COMMENT ON TABLE learning_feedback IS
                'What the learning engine was told about one remediation: its outcome and whether it was verified. Only verified rows teach.';
            COMMENT ON COLUMN learning_feedback.pattern_id IS 'remediation_patterns.id the feedback applies to; NULL for an LLM-path attempt before extraction. Not a foreign key.';
            COMMENT ON COLUMN learning_feedback.remediation_key IS 'remediation_log.idempotency_key of the attempt.';

            -- host_status_log ---------------------------------------------------------------
            CREATE TABLE host_status_log (
                id bigserial PRIMARY KEY,
                idempotency_key text NOT NULL UNIQUE,
                host text NOT NULL,
                from_state text NOT NULL CHECK (from_state IN ('unknown', 'online', 'offline', 'checking')),
                to_state text NOT NULL CHECK (to_state IN ('unknown', 'online', 'offline', 'checking')),
                error text NULL,
                consecutive_failures integer NOT NULL DEFAULT 0 CHECK (consecutive_failures >= 0),
                last_success_at timestamptz NULL,
                changed_at timestamptz NOT NULL,
                runner text NOT NULL DEFAULT ''
            );
            CREATE INDEX host_status_log_host_changed_at_idx ON host_status_log (host, changed_at);
            COMMENT ON TABLE host_status_log IS
                'Host availability transitions only (online -> offline after consecutive failures, offline -> checking when a probe answers, checking -> online after a good SSH session).';
            COMMENT ON COLUMN host_status_log.error IS 'The failure that caused the transition, if any.';

            -- maintenance_windows -----------------------------------------------------------
            CREATE TABLE maintenance_windows (
                id bigserial PRIMARY KEY,
                idempotency_key text NOT NULL UNIQUE,
                host text NULL,
                reason text NOT NULL,
                author text NOT NULL,
                starts_at timestamptz NOT NULL,
                ends_at timestamptz NULL,
                ended_at timestamptz NULL,
                suppressed_count integer NOT NULL DEFAULT 0 CHECK (suppressed_count >= 0),
                created_at timestamptz NOT NULL DEFAULT now(),
                CHECK (ends_at IS NULL OR ends_at > starts_at)
            );
            CREATE INDEX maintenance_windows_host_starts_at_idx ON maintenance_windows (host, starts_at);
            COMMENT ON TABLE maintenance_windows IS
                'Maintenance windows: alerts for a host in a window (or any host in a global one) are recorded as suppressed, not remediated.';
            COMMENT ON COLUMN maintenance_windows.host IS 'The host the window covers; NULL for a global window.';
            COMMENT ON COLUMN maintenance_windows.ends_at IS 'Planned end; NULL for a window that lasts until it is ended by hand.';
            COMMENT ON COLUMN maintenance_windows.ended_at IS 'When the window actually ended (expired or ended by hand); NULL while it is open.';
            COMMENT ON COLUMN maintenance_windows.suppressed_count IS 'How many alerts the window suppressed.';

            -- calculate_pattern_confidence --------------------------------------------------
            CREATE FUNCTION calculate_pattern_confidence(
                successes integer,
                failures integer,
                last_used_at timestamptz,
                half_life_days double precision DEFAULT 30
            ) RETURNS double precision
            LANGUAGE sql STABLE PARALLEL SAFE
            AS $$
                SELECT 0.5 + (p.mean - 0.5) * CASE
                        -- 0.5^1000 is below 1e-301; power() would raise "underflow" further on.
                        WHEN p.half_lives >= 1000 THEN 0.0::double precision
                        ELSE power(0.5::double precision, p.half_lives)
                    END
                FROM (
                    SELECT
                        (greatest(coalesce(successes, 0), 0) + 1)::double precision
                            / (greatest(coalesce(successes, 0), 0) + greatest(coalesce(failures, 0), 0) + 2) AS mean,
                        CASE
                            WHEN half_life_days IS NULL OR half_life_days <= 0 OR last_used_at IS NULL OR last_used_at >= now()
                                THEN 0.0::double precision
                            ELSE ((extract(epoch FROM now()) - extract(epoch FROM last_used_at))::double precision / 86400.0) / half_life_days
                        END AS half_lives
                ) p
            $$;
            COMMENT ON FUNCTION calculate_pattern_confidence(integer, integer, timestamptz, double precision) IS
                'Confidence in a remediation pattern, 0..1: the Bayesian posterior mean (s+1)/(s+f+2) of its verified success rate '
                '(uniform prior), decayed towards 0.5 with the age of its last use: 0.5 + ((s+1)/(s+f+2) - 0.5) * 0.5^(age_days / half_life_days). '
                'Age is 0 when last_used_at is NULL or in the future; negative counts count as 0; a half-life <= 0 means no decay; after 1000 half-lives the result is exactly 0.5. '
                'jarvis computes the same in Swift (PatternConfidence.calculate).';

            -- views -------------------------------------------------------------------------
            CREATE VIEW high_confidence_patterns AS
            SELECT p.id, p.alertname, p.fingerprint, p.commands, p.risk, p.source,
                   p.success_count, p.failure_count, p.last_used_at,
                   calculate_pattern_confidence(p.success_count, p.failure_count, p.last_used_at) AS confidence
            FROM remediation_patterns p
            WHERE p.enabled
              AND p.success_count >= 5
              AND calculate_pattern_confidence(p.success_count, p.failure_count, p.last_used_at) >= 0.90
            ORDER BY confidence DESC, p.success_count DESC, p.id;
            COMMENT ON VIEW high_confidence_patterns IS
                'Enabled patterns trusted enough to run with no LLM call (tier 1): confidence >= 0.90 and at least 5 verified successes, most confident first.';

            CREATE VIEW learning_stats AS
            SELECT alertname,
                   count(*) AS patterns,
                   count(*) FILTER (WHERE enabled) AS enabled_patterns,
                   sum(success_count)::bigint AS successes,
                   sum(failure_count)::bigint AS failures,
                   CASE WHEN sum(success_count) + sum(failure_count) > 0
                        THEN sum(success_count)::double precision / (sum(success_count) + sum(failure_count))
                   END AS success_rate,
                   max(last_used_at) AS last_used_at
            FROM remediation_patterns
            GROUP BY alertname
            ORDER BY alertname;
            COMMENT ON VIEW learning_stats IS
                'Per alertname: number of patterns (and enabled ones), verified successes and failures over all its patterns, overall success rate (NULL without evidence), and last use.';
            """#)
}
