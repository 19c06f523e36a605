extension WeeklyReport {
    /// The version of the `json` shape; bumped only when a member is removed or changes meaning.
    public static let jsonVersion = 1

    /// The report as one JSON object (the shape the README documents; members are only ever
    /// added). Times are RFC 3339 in UTC, durations in seconds, money in US dollars.
    public var json: String {
        typealias F = ReportFormat
        let t = totals
        func ranked(_ rows: [Ranked]) -> String {
            F.array(
                rows.map {
                    F.object([("name", F.json($0.name)), ("occurrences", String($0.occurrences)), ("firing_seconds", F.json($0.firingSeconds))])
                })
        }
        let members: [(String, String)] = [
            ("version", String(Self.jsonVersion)),
            (
                "period",
                F.object([
                    ("label", F.json(period.label)), ("since", F.json(period.since.rfc3339)), ("until", F.json(period.until.rfc3339)),
                    ("time_zone", F.json(period.timeZone)), ("days", F.array(period.dayLabels.map { F.json($0) })),
                ])
            ),
            ("generated_at", F.json(generatedAt.rfc3339)),
            ("source", F.object([("kind", F.json(source.name)), ("note", F.json(source.note))])),
            (
                "remediation",
                F.object([
                    ("attempts", String(t.attempts)), ("successes", String(t.successes)), ("failures", String(t.failures)),
                    ("escalations", String(t.escalations)), ("rejections", String(t.rejections)), ("success_rate", F.json(t.successRate)),
                    ("tiers", F.object([("1", String(t.tier1)), ("2", String(t.tier2)), ("3", String(t.tier3))])),
                    ("tier1_successes", String(t.tier1Successes)),
                ])
            ),
            (
                "resolve",
                F.object([
                    ("resolved", String(resolved)), ("mean_seconds", F.json(meanResolveSeconds)), ("p90_seconds", F.json(p90ResolveSeconds)),
                    (
                        "after_remediation",
                        F.object([
                            ("resolved", String(remediatedResolved)), ("mean_seconds", F.json(remediatedMeanResolveSeconds)),
                            ("p90_seconds", F.json(remediatedP90ResolveSeconds)),
                        ])
                    ),
                ])
            ),
            (
                "llm",
                F.object([
                    ("calls", String(t.llmCalls)), ("errors", String(t.llmErrors)), ("tokens_in", String(t.tokensIn)),
                    ("tokens_out", String(t.tokensOut)),
                    ("cost_usd", F.json(t.costUSD)), ("average_call_usd", F.json(t.averageCallUSD)), ("saved_usd", F.json(t.savedUSD)),
                ])
            ),
            (
                "daily",
                F.array(
                    days.map {
                        F.object([
                            ("date", F.json($0.date)), ("attempts", String($0.outcomes.attempts)), ("successes", String($0.outcomes.successes)),
                            ("failures", String($0.outcomes.failures)), ("escalations", String($0.outcomes.escalations)),
                            ("other", String($0.outcomes.other)),
                        ])
                    })
            ),
            ("alerts", F.object([("events", String(alertEvents)), ("by_decision", F.object(decisions.map { ($0.decision, String($0.events)) }))])),
            (
                "top_alerts",
                F.object([("by_occurrences", ranked(Self.byOccurrences(topAlerts))), ("by_firing_time", ranked(Self.byFiringTime(topAlerts)))])
            ),
            (
                "top_hosts",
                F.object([("by_occurrences", ranked(Self.byOccurrences(topHosts))), ("by_firing_time", ranked(Self.byFiringTime(topHosts)))])
            ),
            ("patterns", F.object(["learned", "promoted", "demoted", "disabled", "enabled"].map { ($0, String(patternEvents[$0] ?? 0)) })),
            (
                "failure_signatures",
                F.array(
                    failureSignatures.map {
                        F.object([("alert_key", F.json($0.alertKey)), ("commands", F.json($0.commands)), ("failures", String($0.failures))])
                    })
            ),
            (
                "chronic",
                F.object([
                    ("minimum_days", String(period.chronicMinimumDays)),
                    ("alert_keys", F.array(chronic.map { F.object([("alert_key", F.json($0.alertKey)), ("days", String($0.days))]) })),
                ])
            ),
            (
                "downtime",
                F.object([
                    (
                        "episodes",
                        F.array(
                            downtime.map {
                                F.object([
                                    ("host", F.json($0.host)), ("started", F.json($0.started.rfc3339)), ("ended", F.json($0.ended?.rfc3339)),
                                    ("seconds", F.json($0.seconds)),
                                ])
                            })
                    ),
                    (
                        "by_host",
                        F.array(
                            downtimeByHost.map {
                                F.object([("host", F.json($0.host)), ("seconds", F.json($0.seconds)), ("episodes", String($0.episodes))])
                            })
                    ),
                ])
            ),
            (
                "maintenance",
                F.array(
                    windows.map {
                        F.object([
                            ("host", F.json($0.host)), ("reason", F.json($0.reason)), ("started", F.json($0.started.rfc3339)),
                            ("ended", F.json($0.ended?.rfc3339)), ("suppressed", String($0.suppressed)),
                            (
                                "suppressed_alerts",
                                F.array($0.suppressedAlerts.map { F.object([("alert_key", F.json($0.alertKey)), ("events", String($0.events))]) })
                            ),
                        ])
                    })
            ),
            (
                "journal",
                journal.map {
                    F.object([
                        ("queued", String($0.queued)), ("drained", String($0.drained)), ("flushes", String($0.flushes)),
                        ("deepest", String($0.deepest)),
                        ("longest_degraded_seconds", F.json($0.longestDegradedSeconds)),
                    ])
                } ?? "null"
            ),
        ]
        return F.object(members)
    }
}
