extension ReportQuery {
    /// Every figure, in the order the migration creates their functions.
    public static let all: [ReportQuery] = [
        .dailyOutcomes, .decisions, .resolveTimes, .topFiring, .patternEvents, .failureSignatures, .chronicAlerts,
        .hostDowntime, .maintenance, .journalActivity,
    ]

    /// Condition of a remediation attempt that failed: it ran and failed, its outcome is
    /// unknown, or its alert was still firing at the end of the verification window.
    public static let failedAttempt = "(outcome IN ('failed', 'unknown') OR verification = 'failed')"
    /// Condition of an attempt whose LLM diagnosis failed.
    public static let llmErrorCondition = "error LIKE 'LLM diagnosis failed%'"

    /// Condition of an attempt that called the LLM: tiers 2 and 3 that used tokens or failed in it.
    public static let llmCallCondition = "tier >= 2 AND (llm_tokens_in + llm_tokens_out > 0 OR \(llmErrorCondition))"

    /// Remediation attempts per day of the period (by intent time): outcomes, tiers, LLM use.
    public static let dailyOutcomes = ReportQuery(
        name: "daily_outcomes",
        summary:
            "Remediation attempts per day (by intent_at): attempts; successes (ran, exit 0, not failed verification); failures (failed, unknown, or failed verification); "
            + "escalations; rejections by the command policy; attempts per tier; tier-1 successes; LLM calls (tier 2/3 attempts that used tokens or failed in the LLM), LLM errors, tokens and cost.",
        columns: [
            ("day", .integer), ("attempts", .integer), ("successes", .integer), ("failures", .integer), ("escalations", .integer),
            ("rejections", .integer), ("tier1", .integer), ("tier2", .integer), ("tier3", .integer), ("tier1_successes", .integer),
            ("llm_calls", .integer), ("llm_errors", .integer), ("tokens_in", .integer), ("tokens_out", .integer), ("cost_usd", .real),
        ]
    ) { d in
        let success = "outcome = 'succeeded' AND verification <> 'failed'"
        return """
            SELECT \(d.integer(d.day(d.time("intent_at")))) AS day,
                   \(d.integer("count(*)")) AS attempts,
                   \(d.integer("count(*) FILTER (WHERE \(success))")) AS successes,
                   \(d.integer("count(*) FILTER (WHERE \(failedAttempt))")) AS failures,
                   \(d.integer("count(*) FILTER (WHERE outcome = 'escalated' OR \(d.isTrue("escalated")))")) AS escalations,
                   \(d.integer("count(*) FILTER (WHERE outcome = 'rejected')")) AS rejections,
                   \(d.integer("count(*) FILTER (WHERE tier = 1)")) AS tier1,
                   \(d.integer("count(*) FILTER (WHERE tier = 2)")) AS tier2,
                   \(d.integer("count(*) FILTER (WHERE tier = 3)")) AS tier3,
                   \(d.integer("count(*) FILTER (WHERE tier = 1 AND \(success))")) AS tier1_successes,
                   \(d.integer("count(*) FILTER (WHERE \(llmCallCondition))")) AS llm_calls,
                   \(d.integer("count(*) FILTER (WHERE \(llmErrorCondition))")) AS llm_errors,
                   \(d.integer("coalesce(sum(llm_tokens_in), 0)")) AS tokens_in,
                   \(d.integer("coalesce(sum(llm_tokens_out), 0)")) AS tokens_out,
                   \(d.real("coalesce(sum(llm_cost_usd), 0)")) AS cost_usd
            FROM remediation_log
            WHERE \(d.time("intent_at")) >= \(d.since) AND \(d.time("intent_at")) < \(d.until)
            GROUP BY 1
            ORDER BY 1
            """
    }

    /// Alert notifications of occurrences that started in the period, by triage decision.
    public static let decisions = ReportQuery(
        name: "decisions",
        summary: "Alert events whose occurrence started in the period, by triage decision (unknown: recorded before triage).",
        columns: [("decision", .text), ("events", .integer)]
    ) { d in
        """
        SELECT coalesce(decision, 'unknown') AS decision, \(d.integer("count(*)")) AS events
        FROM alert_events
        WHERE \(d.time("starts_at")) >= \(d.since) AND \(d.time("starts_at")) < \(d.until)
        GROUP BY 1
        ORDER BY 2 DESC, 1
        """
    }

    /// How long alerts took to resolve: occurrences resolved in the period, from start to end.
    public static let resolveTimes = ReportQuery(
        name: "resolve_times",
        summary:
            "Occurrences resolved in the period (by ends_at of their resolved event): how many, and the mean and 90th percentile (nearest rank) of ends_at - starts_at in seconds.",
        columns: [("resolved", .integer), ("mean_seconds", .real), ("p90_seconds", .real)]
    ) { d in
        let duration = d.seconds(d.time("ends_at"), minus: d.time("starts_at"))
        return """
            WITH d AS (
                SELECT \(d.greatest(duration, "0")) AS secs
                FROM alert_events
                WHERE status = 'resolved' AND ends_at IS NOT NULL
                  AND \(d.time("ends_at")) >= \(d.since) AND \(d.time("ends_at")) < \(d.until)
            ), r AS (
                SELECT secs, row_number() OVER (ORDER BY secs) AS rn, count(*) OVER () AS n FROM d
            )
            SELECT \(d.integer("count(*)")) AS resolved, \(d.real("avg(secs)")) AS mean_seconds,
                   \(d.real("min(secs) FILTER (WHERE rn * 10 >= 9 * n)")) AS p90_seconds
            FROM r
            """
    }

    /// Alert keys and hosts ranked by occurrences and by time firing: occurrences that started
    /// in the period, how many, and how long they fired (to their resolution, or the end of
    /// the period); the top `p_limit` of each dimension by either measure. One scan serves both.
    public static let topFiring = ReportQuery(
        name: "top_firing",
        summary:
            "Occurrences that started in the period by alert key (dimension alert) and by host (dimension host: remediation_host or host label, else instance without port): "
            + "how many, and seconds firing (to their resolved event's ends_at, or p_until); per dimension the top p_limit by occurrences and the top p_limit by time firing.",
        columns: [("dimension", .text), ("name", .text), ("occurrences", .integer), ("firing_seconds", .real)]
    ) { d in
        let end = d.least("coalesce(o.ended, \(d.until))", d.until)
        return """
            WITH o AS (
                -- An occurrence has one firing event and at most one resolved event (one row per
                -- occurrence and status): a hash join of the two, both bounded by the period.
                SELECT f.alert_key, \(d.host("f.labels")) AS host, \(d.time("f.starts_at")) AS started, \(d.time("r.ends_at")) AS ended
                FROM alert_events f LEFT JOIN alert_events r
                  ON r.fingerprint = f.fingerprint AND r.starts_at = f.starts_at AND r.status = 'resolved'
                 AND \(d.time("r.starts_at")) >= \(d.since) AND \(d.time("r.starts_at")) < \(d.until)
                WHERE f.status = 'firing' AND \(d.time("f.starts_at")) >= \(d.since) AND \(d.time("f.starts_at")) < \(d.until)
            ), f AS (
                SELECT o.alert_key, o.host, \(d.greatest(d.seconds(end, minus: "o.started"), "0")) AS secs FROM o
            ), g AS (
                SELECT 'alert' AS dimension, alert_key AS name, count(*) AS occurrences, sum(secs) AS firing_seconds FROM f GROUP BY alert_key
                UNION ALL
                SELECT 'host' AS dimension, host AS name, count(*) AS occurrences, sum(secs) AS firing_seconds FROM f GROUP BY host
            ), r AS (
                SELECT g.*, rank() OVER (PARTITION BY dimension ORDER BY occurrences DESC, name) AS by_count,
                       rank() OVER (PARTITION BY dimension ORDER BY firing_seconds DESC, name) AS by_time
                FROM g
            )
            SELECT \(d.text("dimension")) AS dimension, \(d.text("name")) AS name, \(d.integer("occurrences")) AS occurrences,
                   \(d.real("firing_seconds")) AS firing_seconds
            FROM r
            WHERE by_count <= \(d.limit) OR by_time <= \(d.limit)
            ORDER BY dimension, occurrences DESC, firing_seconds DESC, name
            """
    }

    /// Learning events in the period by kind.
    public static let patternEvents = ReportQuery(
        name: "pattern_events",
        summary: "pattern_events recorded in the period by kind (learned, promoted, demoted, disabled, enabled): events and distinct patterns.",
        columns: [("kind", .text), ("events", .integer), ("patterns", .integer)]
    ) { d in
        """
        SELECT kind, \(d.integer("count(*)")) AS events, \(d.integer("count(DISTINCT pattern_id)")) AS patterns
        FROM pattern_events
        WHERE \(d.time("recorded_at")) >= \(d.since) AND \(d.time("recorded_at")) < \(d.until)
        GROUP BY kind
        ORDER BY kind
        """
    }

    /// The same commands failing for the same alert key more than once.
    public static let failureSignatures = ReportQuery(
        name: "failure_signatures",
        summary:
            "Failure signatures: alert key and command set of remediation attempts in the period that failed at least twice, most failures first.",
        columns: [("alert_key", .text), ("commands", .text), ("failures", .integer)]
    ) { d in
        """
        SELECT alert_key, \(d.text("commands")) AS commands, \(d.integer("count(*)")) AS failures
        FROM remediation_log
        WHERE \(d.time("intent_at")) >= \(d.since) AND \(d.time("intent_at")) < \(d.until) AND \(failedAttempt)
        GROUP BY alert_key, commands
        HAVING count(*) >= 2
        ORDER BY 3 DESC, 1, 2
        LIMIT \(d.limit)
        """
    }

    /// Alert keys with a new firing occurrence on many days of the period.
    public static let chronicAlerts = ReportQuery(
        name: "chronic_alerts",
        summary: "Chronic alert keys: those with a firing occurrence starting on at least p_min_days distinct days of the period (days from p_days).",
        columns: [("alert_key", .text), ("days", .integer)]
    ) { d in
        return """
            WITH k AS (
                SELECT DISTINCT alert_key, \(d.day(d.time("starts_at"))) AS day
                FROM alert_events
                WHERE status = 'firing' AND \(d.time("starts_at")) >= \(d.since) AND \(d.time("starts_at")) < \(d.until)
            )
            SELECT alert_key, \(d.integer("count(*)")) AS days
            FROM k
            GROUP BY alert_key
            HAVING count(*) >= \(d.minDays)
            ORDER BY 2 DESC, 1
            LIMIT \(d.limit)
            """
    }

    /// Times a host was down during the period.
    public static let hostDowntime = ReportQuery(
        name: "host_downtime",
        summary:
            "Host downtime episodes overlapping the period, from host_status_log: from a transition to offline (not from checking) to the next transition to online "
            + "(ended NULL while still down); seconds is the part inside the period. At most 1000, by host and start.",
        columns: [("host", .text), ("started", .real), ("ended", .real), ("seconds", .real)]
    ) { d in
        let nextOnline =
            "(SELECT min(\(d.time("o.changed_at"))) FROM host_status_log o WHERE o.host = s.host AND o.to_state = 'online' AND \(d.time("o.changed_at")) > \(d.time("s.changed_at")))"
        return """
            WITH e AS (
                SELECT s.host, \(d.time("s.changed_at")) AS started, \(nextOnline) AS ended
                FROM host_status_log s
                WHERE s.to_state = 'offline' AND s.from_state <> 'checking' AND \(d.time("s.changed_at")) < \(d.until)
            )
            SELECT host, \(d.epoch("started")) AS started, \(d.epoch("ended")) AS ended,
                   \(d.greatest(d.seconds(d.least("coalesce(ended, \(d.until))", d.until), minus: d.greatest("started", d.since)), "0")) AS seconds
            FROM e
            WHERE ended IS NULL OR ended > \(d.since)
            ORDER BY host, started
            LIMIT 1000
            """
    }

    /// Maintenance windows that overlapped the period and what they held back.
    public static let maintenance = ReportQuery(
        name: "maintenance",
        summary:
            "Maintenance windows overlapping the period: host (NULL: all), reason, start, end (ended_at, else the planned ends_at; NULL: open), alerts suppressed.",
        columns: [("host", .text), ("reason", .text), ("started", .real), ("ended", .real), ("suppressed", .integer)]
    ) { d in
        let end = "coalesce(ended_at, ends_at)"
        return """
            SELECT host, reason, \(d.epoch(d.time("starts_at"))) AS started, \(d.epoch(d.time(end))) AS ended, \(d.integer("suppressed_count")) AS suppressed
            FROM maintenance_windows
            WHERE \(d.time("starts_at")) < \(d.until) AND (\(end) IS NULL OR \(d.time(end)) > \(d.since))
            ORDER BY starts_at, id
            LIMIT \(d.limit)
            """
    }

    /// The local journal's traffic: only SQLite knows it.
    public static let journalActivity = ReportQuery(
        name: "journal_activity",
        summary:
            "Journal traffic in the period (local to each runner): rows queued (drained plus growth), drained, the deepest backlog a flush found, "
            + "and the longest stretch in which flushes failed, in seconds (to the next good flush, or p_until).",
        columns: [("queued", .integer), ("drained", .integer), ("deepest", .integer), ("longest_degraded_seconds", .real), ("flushes", .integer)],
        inPostgres: false
    ) { d in
        """
        WITH a AS (
            SELECT id, \(d.time("at")) AS t, drained, depth_before, depth_after, degraded FROM journal_activity
            WHERE \(d.time("at")) >= \(d.since) AND \(d.time("at")) < \(d.until)
        ), n AS (
            SELECT t, (SELECT min(h.t) FROM a h WHERE h.degraded = 0 AND h.t > a.t) AS ended FROM a WHERE degraded <> 0
        ), s AS (
            SELECT min(t) AS started, ended FROM n GROUP BY ended
        )
        SELECT \(d.integer("coalesce(sum(drained), 0) + coalesce((SELECT depth_after FROM a ORDER BY t DESC, id DESC LIMIT 1), 0) - coalesce((SELECT depth_before FROM a ORDER BY t, id LIMIT 1), 0)")) AS queued,
               \(d.integer("coalesce(sum(drained), 0)")) AS drained,
               \(d.integer("coalesce(max(depth_before), 0)")) AS deepest,
               \(d.real("coalesce((SELECT max(coalesce(ended, \(d.until)) - started) FROM s), 0)")) AS longest_degraded_seconds,
               \(d.integer("count(*)")) AS flushes
        FROM a
        """
    }
}
