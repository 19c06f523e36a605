import Foundation

extension WeeklyReport {
    /// The report for a terminal: one figure per line, tables indented.
    public var text: String {
        typealias F = ReportFormat
        let t = totals
        var lines: [String] = []
        lines.append("jarvis weekly report \(period.label) (\(period.since.displayText) … \(period.until.displayText); days in \(period.timeZone))")
        lines.append("  \(source.note)")
        lines.append(
            "  remediation: \(F.count(t.attempts)) attempts, \(F.count(t.successes)) succeeded, \(F.count(t.failures)) failed, "
                + "\(F.count(t.escalations)) escalated, \(F.count(t.rejections)) rejected; success rate \(F.percent(t.successRate))")
        lines.append(
            "  time to resolve: \(F.count(resolved)) resolved, mean \(F.duration(meanResolveSeconds)), p90 \(F.duration(p90ResolveSeconds)); "
                + "after a remediation: \(F.count(remediatedResolved)), mean \(F.duration(remediatedMeanResolveSeconds)), p90 \(F.duration(remediatedP90ResolveSeconds))"
        )
        lines.append("  tiers: 1 (pattern) \(F.count(t.tier1)), 2 (hint) \(F.count(t.tier2)), 3 (LLM) \(F.count(t.tier3))")
        lines.append(
            "  LLM: \(F.count(t.llmCalls)) calls, \(F.count(t.llmErrors)) errors, \(F.count(t.tokensIn)) tokens in, \(F.count(t.tokensOut)) out, "
                + "\(F.usd(t.costUSD)); tier-1 fixes saved about \(F.usd(t.savedUSD))")
        if !decisions.isEmpty {
            lines.append(
                "  alerts: \(F.count(alertEvents)) events — " + decisions.map { "\($0.decision) \(F.count($0.events))" }.joined(separator: ", "))
        } else {
            lines.append("  alerts: none")
        }
        if !days.isEmpty {
            lines.append("  per day (succeeded/failed/escalated/other):")
            for day in days {
                let o = day.outcomes
                lines.append("    \(day.date)  \(o.successes)/\(o.failures)/\(o.escalations)/\(o.other)")
            }
        }
        func table(_ title: String, _ rows: [Ranked]) {
            guard !rows.isEmpty else { return }
            lines.append("  \(title):")
            let width = min(48, rows.map(\.name.count).max() ?? 0)
            for row in rows {
                let name =
                    row.name.count > width ? String(row.name.prefix(width - 1)) + "…" : row.name.padding(toLength: width, withPad: " ", startingAt: 0)
                lines.append(
                    "    \(name)  \(F.count(row.occurrences)) occurrence\(row.occurrences == 1 ? "" : "s"), firing \(F.duration(row.firingSeconds))")
            }
        }
        table("top alerts by occurrences", Self.byOccurrences(topAlerts))
        table("top alerts by time firing", Self.byFiringTime(topAlerts))
        table("top hosts by occurrences", Self.byOccurrences(topHosts))
        table("top hosts by time firing", Self.byFiringTime(topHosts))
        let kinds = ["learned", "promoted", "demoted", "disabled"]
        lines.append("  patterns: " + kinds.map { "\($0) \(patternEvents[$0] ?? 0)" }.joined(separator: ", "))
        if !failureSignatures.isEmpty {
            lines.append("  failure signatures:")
            for signature in failureSignatures {
                lines.append("    \(signature.alertKey): \(signature.failures) failures of `\(signature.commands)`")
            }
        }
        if !chronic.isEmpty {
            lines.append(
                "  chronic (firing on ≥ \(period.chronicMinimumDays) days): "
                    + chronic.map { "\($0.alertKey) (\($0.days) days)" }.joined(separator: ", "))
        }
        if !downtime.isEmpty {
            lines.append("  downtime:")
            for host in downtimeByHost {
                lines.append("    \(host.host): \(F.duration(host.seconds)) in \(host.episodes) episode\(host.episodes == 1 ? "" : "s")")
            }
        }
        for window in windows {
            let end = window.ended.map { $0.displayText } ?? "open"
            lines.append(
                "  maintenance: \(window.host ?? "all hosts") \(window.started.displayText) … \(end) (\(window.reason)): \(window.suppressed) alert(s) suppressed"
            )
            if !window.suppressedAlerts.isEmpty {
                lines.append("    held back: " + window.suppressedAlerts.map { "\($0.alertKey) ×\($0.events)" }.joined(separator: ", "))
            }
        }
        if let journal {
            lines.append(
                "  journal: \(F.count(journal.queued)) rows queued, \(F.count(journal.drained)) drained in \(journal.flushes) flush(es), "
                    + "deepest backlog \(F.count(journal.deepest)), longest degraded stretch \(F.duration(journal.longestDegradedSeconds))")
        }
        return lines.joined(separator: "\n")
    }
}
