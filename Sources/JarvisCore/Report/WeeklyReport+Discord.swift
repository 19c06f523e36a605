import Foundation

extension WeeklyReport {
    /// The report as one Discord embed, posted once per period (dedup key
    /// `weekly-report:<period>`). Names are set in code spans, so nothing in them becomes a
    /// link or a mention; the embed links nothing. `DiscordEmbed.fitted()` keeps it within
    /// Discord's limits whatever the week held.
    public var discordNotification: DiscordNotification {
        typealias F = ReportFormat
        let t = totals
        func code(_ text: String) -> String {
            "`" + String(text.replacingOccurrences(of: "`", with: "'").replacingOccurrences(of: "\n", with: " ").prefix(80)) + "`"
        }
        func list(_ rows: [String]) -> String { rows.isEmpty ? "none" : rows.joined(separator: "\n") }
        var fields: [DiscordEmbed.Field] = [
            DiscordEmbed.Field(
                "Remediation",
                "\(F.count(t.attempts)) attempts\n\(F.count(t.successes)) succeeded · \(F.count(t.failures)) failed\n\(F.count(t.escalations)) escalated · success \(F.percent(t.successRate))",
                inline: true),
            DiscordEmbed.Field(
                "Time to resolve",
                "\(F.count(resolved)) resolved\nmean \(F.duration(meanResolveSeconds))\np90 \(F.duration(p90ResolveSeconds))\n"
                    + "after a fix: \(F.count(remediatedResolved)), mean \(F.duration(remediatedMeanResolveSeconds)), p90 \(F.duration(remediatedP90ResolveSeconds))",
                inline: true),
            DiscordEmbed.Field("Tiers", "1 pattern: \(F.count(t.tier1))\n2 hint: \(F.count(t.tier2))\n3 LLM: \(F.count(t.tier3))", inline: true),
            DiscordEmbed.Field(
                "LLM",
                "\(F.count(t.llmCalls)) calls · \(F.count(t.llmErrors)) errors\n\(F.count(t.tokensIn + t.tokensOut)) tokens · \(F.usd(t.costUSD))\nsaved by tier 1: \(F.usd(t.savedUSD))",
                inline: true),
            DiscordEmbed.Field(
                "Patterns",
                ["learned", "promoted", "demoted", "disabled"].map { "\($0) \(patternEvents[$0] ?? 0)" }.joined(separator: "\n"), inline: true),
            DiscordEmbed.Field(
                "Alerts", list(["\(F.count(alertEvents)) events"] + decisions.prefix(8).map { "\($0.decision): \(F.count($0.events))" }), inline: true
            ),
        ]
        fields.append(
            DiscordEmbed.Field("Top alerts", list(Self.byOccurrences(topAlerts, limit: 5).map { "\(code($0.name)) ×\(F.count($0.occurrences))" })))
        fields.append(
            DiscordEmbed.Field(
                "Longest firing", list(Self.byFiringTime(topAlerts, limit: 5).map { "\(code($0.name)) \(F.duration($0.firingSeconds))" })))
        fields.append(
            DiscordEmbed.Field(
                "Top hosts",
                list(Self.byOccurrences(topHosts, limit: 5).map { "\(code($0.name)) ×\(F.count($0.occurrences)), \(F.duration($0.firingSeconds))" })))
        if !failureSignatures.isEmpty {
            fields.append(
                DiscordEmbed.Field(
                    "Failure signatures", list(failureSignatures.prefix(5).map { "\(code($0.alertKey)) ×\($0.failures): \(code($0.commands))" })))
        }
        if !chronic.isEmpty {
            fields.append(
                DiscordEmbed.Field(
                    "Chronic (≥ \(period.chronicMinimumDays) days)", list(chronic.prefix(8).map { "\(code($0.alertKey)) \($0.days) days" })))
        }
        if !downtime.isEmpty {
            fields.append(
                DiscordEmbed.Field("Downtime", list(downtimeByHost.prefix(8).map { "\(code($0.host)) \(F.duration($0.seconds)) (\($0.episodes)×)" })))
        }
        if !windows.isEmpty {
            fields.append(
                DiscordEmbed.Field(
                    "Maintenance",
                    list(
                        windows.prefix(6).map { window in
                            let held = window.suppressedAlerts.prefix(3).map { "\(code($0.alertKey)) ×\($0.events)" }
                            return (["\(code(window.host ?? "all hosts")): \(window.suppressed) suppressed"] + held).joined(separator: " · ")
                        })))
        }
        if let journal {
            fields.append(
                DiscordEmbed.Field(
                    "Journal",
                    "\(F.count(journal.queued)) queued · \(F.count(journal.drained)) drained\ndeepest \(F.count(journal.deepest)) · degraded up to \(F.duration(journal.longestDegradedSeconds))"
                ))
        }
        let summary = "\(period.since.displayText) … \(period.until.displayText)\n\(source.note)"
        let notification = DiscordNotification.weeklyReport(
            week: period.label, title: "Weekly report \(period.label)", summary: summary, fields: fields, at: generatedAt)
        return notification
    }
}
