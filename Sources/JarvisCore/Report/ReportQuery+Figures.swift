extension ReportQuery {
    /// Every figure, in the order the migration creates their functions.
    public static let all: [ReportQuery] = [
        .dailyOutcomes, .decisions, .resolveTimes, .topFiring, .patternEvents, .failureSignatures, .chronicAlerts,
        .hostDowntime, .maintenance, .maintenanceSuppressed, .journalActivity,
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
        summary:
            "Alert events (firing and resolved) whose occurrence started in the period, by triage decision (unknown: recorded before triage); from alert_occurrences.",
        columns: [("decision", .text), ("events", .integer)]
    ) { d in
        // One scan: occurrences grouped by their two decisions, then each side counted.
        """
        WITH p AS (
            SELECT firing_decision, resolved_decision,
                   count(*) FILTER (WHERE \(d.isTrue("firing"))) AS fired, count(*) FILTER (WHERE \(d.isTrue("resolved"))) AS ended
            FROM alert_occurrences
            WHERE \(d.time("starts_at")) >= \(d.since) AND \(d.time("starts_at")) < \(d.until)
            GROUP BY 1, 2
        ), e AS (
            SELECT firing_decision AS decision, fired AS n FROM p WHERE fired > 0
            UNION ALL
            SELECT resolved_decision AS decision, ended AS n FROM p WHERE ended > 0
        )
        SELECT \(d.text("coalesce(decision, 'unknown')")) AS decision, \(d.integer("sum(n)")) AS events
        FROM e
        GROUP BY 1
        ORDER BY 2 DESC, 1
        """
    }

    /// How long alerts took to resolve: occurrences resolved in the period, from start to end;
    /// all of them, and those a remediation ran for before they resolved.
    public static let resolveTimes = ReportQuery(
        name: "resolve_times",
        summary:
            "Occurrences resolved in the period (ends_at of their resolved event in the period): how many, and the mean and 90th percentile (nearest rank) of ends_at - starts_at in seconds; "
            + "then the same over those of them with a remediation attempt that ran commands (outcome succeeded, failed or unknown) recorded before ends_at.",
        columns: [
            ("resolved", .integer), ("mean_seconds", .real), ("p90_seconds", .real), ("remediated", .integer), ("remediated_mean_seconds", .real),
            ("remediated_p90_seconds", .real),
        ]
    ) { d in
        let duration = d.seconds(d.time("o.ended_at"), minus: d.time("o.starts_at"))
        return """
            WITH m AS (
                -- The first attempt that ran commands, per occurrence (a hash join below).
                SELECT occurrence_key, min(\(d.time("intent_at"))) AS first_run
                FROM remediation_log
                WHERE outcome IN ('succeeded', 'failed', 'unknown') AND \(d.time("intent_at")) < \(d.until)
                GROUP BY occurrence_key
            ), d AS (
                SELECT \(d.greatest(duration, "0")) AS secs, CASE WHEN m.first_run <= \(d.time("o.ended_at")) THEN 1 ELSE 0 END AS remediated
                FROM alert_occurrences o LEFT JOIN m ON m.occurrence_key = o.occurrence_key
                WHERE \(d.isTrue("o.resolved")) AND o.ended_at IS NOT NULL
                  AND \(d.time("o.ended_at")) >= \(d.since) AND \(d.time("o.ended_at")) < \(d.until)
            )
            SELECT \(d.integer("count(*)")) AS resolved, \(d.real("avg(secs)")) AS mean_seconds, \(d.real(d.p90("secs", of: "d"))) AS p90_seconds,
                   \(d.integer("coalesce(sum(remediated), 0)")) AS remediated,
                   \(d.real("avg(secs) FILTER (WHERE remediated = 1)")) AS remediated_mean_seconds,
                   \(d.real(d.p90("secs", of: "d", where: "remediated = 1"))) AS remediated_p90_seconds
            FROM d
            """
    }

    /// Alert keys and hosts ranked by occurrences and by time firing: occurrences that started
    /// in the period, how many, and how long they fired (to their resolution, or the end of
    /// the period); the top `p_limit` of each dimension by either measure. One scan serves both.
    public static let topFiring = ReportQuery(
        name: "top_firing",
        summary:
            "Occurrences that started in the period by alert key (dimension alert) and by host (dimension host: remediation_host or host label, else instance without port): "
            + "how many, and seconds firing (to their resolved event's ends_at, or p_until); per dimension the top p_limit by occurrences and the top p_limit by time firing. "
            + "Occurrences with a firing event, from alert_occurrences.",
        columns: [("dimension", .text), ("name", .text), ("occurrences", .integer), ("firing_seconds", .real)]
    ) { d in
        let end = d.least("coalesce(\(d.time("ended_at")), \(d.until))", d.until)
        return """
            WITH f AS (
                -- One scan, grouped by both: few (alert key, host) pairs, then each dimension.
                SELECT alert_key, host, count(*) AS occurrences, sum(\(d.greatest(d.seconds(end, minus: d.time("starts_at")), "0"))) AS secs
                FROM alert_occurrences
                WHERE \(d.isTrue("firing")) AND \(d.time("starts_at")) >= \(d.since) AND \(d.time("starts_at")) < \(d.until)
                GROUP BY alert_key, host
            ), g AS (
                SELECT 'alert' AS dimension, alert_key AS name, sum(occurrences) AS occurrences, sum(secs) AS firing_seconds FROM f GROUP BY alert_key
                UNION ALL
                SELECT 'host' AS dimension, host AS name, sum(occurrences) AS occurrences, sum(secs) AS firing_seconds FROM f GROUP BY host
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

    /// Alert keys firing on many days of the period.
    public static let chronicAlerts = ReportQuery(
        name: "chronic_alerts",
        summary:
            "Chronic alert keys: those firing on at least p_min_days distinct days of the period (days from p_days). An occurrence fires on every day its interval "
            + "[starts_at, ends_at of its resolution, else p_until) touches, clipped to the period.",
        columns: [("alert_key", .text), ("days", .integer)]
    ) { d in
        let start = d.time("starts_at")
        let end = "coalesce(\(d.time("ended_at")), \(d.until))"
        return """
            WITH o AS (
                SELECT alert_key, \(d.greatest(start, d.since)) AS lo, \(d.least(end, d.until)) AS hi
                FROM alert_occurrences
                WHERE (\(start) >= \(d.since) AND \(start) < \(d.until))
                   OR (\(start) < \(d.since) AND (ended_at IS NULL OR \(d.time("ended_at")) > \(d.since)))
            ), k AS (
                -- A day counts when the interval overlaps it, or when it starts on it (an
                -- occurrence resolved the instant it began still fired that day).
                SELECT DISTINCT o.alert_key, b.day
                FROM o JOIN \(d.dayRanges) b ON b.day_end > o.lo AND (b.day_start < o.hi OR b.day_start <= o.lo)
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
            "Maintenance windows overlapping the period: key, host (NULL: all), reason, start, end (ended_at, else the planned ends_at; NULL: open), "
            + "alerts suppressed (the window's counter, plus the events other runners held back under it).",
        columns: [("key", .text), ("host", .text), ("reason", .text), ("started", .real), ("ended", .real), ("suppressed", .integer)]
    ) { d in
        """
        SELECT idempotency_key AS key, host, reason, \(d.epoch(d.time("starts_at"))) AS started, \(d.epoch(d.time(windowEnd))) AS ended,
               \(d.integer("suppressed_count + \(d.suppressedElsewhere(window: "maintenance_windows"))")) AS suppressed
        FROM maintenance_windows
        WHERE \(windowOverlaps(d))
        ORDER BY starts_at, id
        LIMIT \(d.limit)
        """
    }

    /// The alerts each of those windows suppressed.
    public static let maintenanceSuppressed = ReportQuery(
        name: "maintenance_suppressed",
        summary:
            "For each maintenance window of the maintenance figure (by key): the alert keys whose events it suppressed (decision suppressed:maintenance naming the window, on any runner), "
            + "with their event counts; the top p_limit per window, most first.",
        columns: [("window_key", .text), ("alert_key", .text), ("events", .integer)]
    ) { d in
        """
        WITH w AS (
            SELECT * FROM maintenance_windows WHERE \(windowOverlaps(d)) ORDER BY starts_at, id LIMIT \(d.limit)
        ), s AS (
            SELECT w.idempotency_key AS window_key, e.alert_key, count(*) AS events
            FROM w JOIN alert_events e ON \(d.suppressedBy(window: "w", event: "e")) AND e.decision = 'suppressed:maintenance'
            GROUP BY w.idempotency_key, e.alert_key
        ), r AS (
            SELECT s.*, row_number() OVER (PARTITION BY window_key ORDER BY events DESC, alert_key) AS rn FROM s
        )
        SELECT \(d.text("window_key")) AS window_key, \(d.text("alert_key")) AS alert_key, \(d.integer("events")) AS events
        FROM r
        WHERE rn <= \(d.limit)
        ORDER BY window_key, events DESC, alert_key
        """
    }

    /// A window's end: when it was ended, else its planned end; NULL when open.
    static let windowEnd = "coalesce(ended_at, ends_at)"

    /// The condition that a maintenance window overlaps the period.
    static func windowOverlaps(_ d: ReportDialect) -> String {
        "\(d.time("starts_at")) < \(d.until) AND (\(windowEnd) IS NULL OR \(d.time(windowEnd)) > \(d.since))"
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
