extension DiscordNotification {
    /// "Escalation": the alert spent its attempt budget. Critical alerts are red and ping
    /// `@here`; the others are orange and ping nobody.
    /// Dedup key: `escalation:<occurrence>@<at>`.
    /// - Parameters:
    ///   - escalation: What triage decided.
    ///   - summary: The alert's summary annotation, shown in the embed (untrusted text).
    ///   - host: The routed host, if any.
    public static func escalation(_ escalation: Escalation, summary: String? = nil, host: String? = nil) -> DiscordNotification {
        var description = escalation.summary
        if let summary, !summary.isEmpty { description += "\n\n" + summary }
        var fields = [
            DiscordEmbed.Field("Attempts", "\(escalation.attempts)", inline: true),
            DiscordEmbed.Field("Window", DurationParser.format(seconds: escalation.windowSeconds), inline: true),
        ]
        if let host { fields.append(DiscordEmbed.Field("Host", host, inline: true)) }
        fields.append(DiscordEmbed.Field("Occurrence", escalation.occurrence))
        let embed = DiscordEmbed(
            title: "🚨 Needs a person: \(escalation.alertKey)", description: description, severity: escalation.critical ? .critical : .warning,
            fields: fields, timestamp: escalation.at)
        return DiscordNotification(
            dedupKey: "escalation:\(escalation.occurrence)@\(escalation.at.rfc3339)", kind: .escalation,
            message: DiscordMessage(embed: embed, mentionsHere: escalation.mentionsHere))
    }

    /// "Flapping": the alert key is held (started flapping, orange) or released (stopped,
    /// green). Dedup key: `flapping:<alertKey>:<verdict>@<at>`.
    /// - Parameter report: The flapping change.
    public static func flapping(_ report: FlapReport) -> DiscordNotification {
        let released = report.verdict == .stoppedFlapping
        let percent = (report.percentStateChange * 10).rounded() / 10
        let embed = DiscordEmbed(
            title: released ? "Released: \(report.alertKey) stopped flapping" : "Held: \(report.alertKey) is flapping",
            description: released
                ? "Remediation resumes for this alert key."
                : "No remediation for this alert key until it settles; its notifications are still recorded.",
            severity: released ? .success : .warning, fields: [DiscordEmbed.Field("State change", "\(percent) %", inline: true)],
            timestamp: report.at)
        return DiscordNotification(
            dedupKey: "flapping:\(report.alertKey):\(report.verdict.rawValue)@\(report.at.rfc3339)", kind: .flapping,
            message: DiscordMessage(embed: embed))
    }

    /// "Maintenance started". Blue. Dedup key: `maintenance-started:<id>`.
    /// - Parameter window: The window.
    public static func maintenanceStarted(_ window: MaintenanceWindow) -> DiscordNotification {
        var fields = [
            DiscordEmbed.Field("Scope", window.host ?? "all hosts", inline: true), DiscordEmbed.Field("By", window.author, inline: true),
            DiscordEmbed.Field("Ends", window.endsAt.map(\.rfc3339) ?? "when ended by hand", inline: true),
        ]
        if let end = window.endsAt {
            fields.append(DiscordEmbed.Field("Planned duration", DurationParser.format(seconds: end.seconds(since: window.startsAt)), inline: true))
        }
        let embed = DiscordEmbed(
            title: "🔧 Maintenance started: \(window.host ?? "all hosts")", description: window.reason, severity: .info, fields: fields,
            footer: "window #\(window.id)", timestamp: window.startsAt)
        return DiscordNotification(
            dedupKey: "maintenance-started:\(window.id)", kind: .maintenanceStarted, message: DiscordMessage(embed: embed))
    }

    /// "Maintenance ended", with its duration and how many alerts it suppressed. Blue.
    /// Dedup key: `maintenance-ended:<id>`.
    /// - Parameters:
    ///   - window: The window, with its final `suppressedCount`.
    ///   - at: When the end was noticed (the duration stops at the window's own end if earlier).
    public static func maintenanceEnded(_ window: MaintenanceWindow, at: Timestamp) -> DiscordNotification {
        let fields = [
            DiscordEmbed.Field("Scope", window.host ?? "all hosts", inline: true),
            DiscordEmbed.Field("Duration", DurationParser.format(seconds: window.duration(upTo: at)), inline: true),
            DiscordEmbed.Field("Alerts suppressed", "\(window.suppressedCount)", inline: true),
        ]
        let embed = DiscordEmbed(
            title: "✅ Maintenance ended: \(window.host ?? "all hosts")",
            description: window.reason + "\n\nAlerts still firing are triaged again on the next run.", severity: .info, fields: fields,
            footer: "window #\(window.id)", timestamp: window.effectiveEnd.map { min($0, at) } ?? at)
        return DiscordNotification(dedupKey: "maintenance-ended:\(window.id)", kind: .maintenanceEnded, message: DiscordMessage(embed: embed))
    }

    /// One message for all of a run's suppressions, or nil when there were none. Blue.
    /// Dedup key: `suppressions:<runID>`.
    /// - Parameters:
    ///   - summary: What the run suppressed.
    ///   - runID: The run's id (unique per run, stable if the same run is replayed).
    ///   - at: When the run finished triage.
    public static func suppressionSummary(_ summary: SuppressionSummary, runID: String, at: Timestamp) -> DiscordNotification? {
        guard summary.total > 0 else { return nil }
        var fields = [
            DiscordEmbed.Field("Alerts", summary.countsLine, inline: true), DiscordEmbed.Field("Why", summary.reasonsLine, inline: true),
        ]
        if let duration = summary.durationSeconds, duration >= 1 {
            fields.append(DiscordEmbed.Field("Over", DurationParser.format(seconds: duration), inline: true))
        }
        fields.append(DiscordEmbed.Field("Alert names", summary.alertNamesLine()))
        let embed = DiscordEmbed(
            title: "🔕 \(summary.total) alert\(summary.total == 1 ? "" : "s") suppressed",
            description: "Recorded, not acted on: maintenance windows, offline hosts and root causes hide them.", severity: .info,
            fields: fields, footer: "run \(runID)", timestamp: at)
        return DiscordNotification(dedupKey: "suppressions:\(runID)", kind: .suppressionSummary, message: DiscordMessage(embed: embed))
    }
}
