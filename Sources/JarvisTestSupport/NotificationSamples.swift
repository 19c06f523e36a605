import JarvisCore

/// One notification of every kind, built from plausible domain facts, for message and
/// delivery tests. `text` goes wherever alert text goes (summaries, errors, reasons).
public enum NotificationSamples {
    /// The reference instant, 2026-11-29T03:00:00Z.
    public static let t0 = Timestamp(seconds: 1_795_921_200)

    /// Every kind, in `NotificationKind.allCases` order; the flapping kind twice (held, released).
    /// - Parameters:
    ///   - text: Alert-supplied text to embed.
    ///   - critical: Whether the alert-level messages are critical.
    public static func all(text: String = "Disk almost full on /var", critical: Bool = false) -> [DiscordNotification] {
        let severity = critical ? "critical" : "warning"
        let notice = RemediationNotice(
            remediationKey: "fp1@2026-11-29T02:00:00Z/1", alertKey: "DiskFull/vps", occurrence: "fp1@2026-11-29T02:00:00Z", host: "vps",
            severity: severity, summary: text, action: "disk.clean_journal", commands: ["journalctl --vacuum-size=500M"], tier: 1,
            detail: "alert resolved after 40s", output: text, at: t0)
        let rejection = CommandRejection(
            key: "fp1@2026-11-29T02:00:00Z/2", alertKey: "DiskFull/vps", occurrence: "fp1@2026-11-29T02:00:00Z", host: "vps",
            action: "shell.run", proposer: "LLM", reason: "not in the action catalog: \(text)", at: t0)
        let escalation = Escalation(
            alertKey: "DiskFull/vps", alertname: "DiskFull", occurrence: "fp1@2026-11-29T02:00:00Z", critical: critical, attempts: 3,
            windowSeconds: 7200, at: t0)
        let offline = HostTransition(
            host: "vps", from: .online, to: .offline, at: t0, error: text, consecutiveFailures: 3, lastSuccessAt: t0.adding(seconds: -600))
        let recovered = HostTransition(
            host: "vps", from: .checking, to: .online, at: t0.adding(seconds: 3600), error: nil, consecutiveFailures: 0, lastSuccessAt: nil)
        var suppressed = SuppressionSummary()
        for (index, name) in ["ContainerDown", "ContainerDown", "PostgreSQLDown", text].enumerated() {
            suppressed.add(
                alertname: name, severity: index == 2 ? "critical" : "warning", reason: index == 3 ? "cascade" : "host offline",
                at: t0.adding(seconds: Double(index * 60)))
        }
        let window = MaintenanceWindow(
            id: 7, host: "vps", reason: text, author: "ops", startsAt: t0, endsAt: t0.adding(seconds: 7200), suppressedCount: 12)
        return [
            .remediated(notice), .failed(notice), .escalation(escalation, summary: text, host: "vps"), .commandRejected(rejection),
            .hostOffline(offline), .hostRecovered(recovered, offlineSince: t0, suppressed: suppressed),
            .hostKeyRefused(
                HostKeyRefusal(
                    host: "vps", kind: .changed, fingerprint: "SHA256:uJqZ3kq0lDxkVV7aHj5Zb9t0vY2kL2yYw4r8l0mXq1E",
                    knownHostsLine: "vps ssh-ed25519 \(text)",
                    knownHostsFile: "/etc/jarvis/known_hosts", knownHostsStamp: "0123456789abcdef", at: t0.rfc3339)),
            .maintenanceStarted(window),
            .maintenanceEnded(window, at: t0.adding(seconds: 5400)), .suppressionSummary(suppressed, runID: "run-1", at: t0)!,
            .flapping(FlapReport(alertKey: "DiskFull/vps", verdict: .startedFlapping, percentStateChange: 31.25, at: t0)),
            .flapping(FlapReport(alertKey: "DiskFull/vps", verdict: .stoppedFlapping, percentStateChange: 12.5, at: t0.adding(seconds: 900))),
            .weeklyReport(
                week: "2026-W48", title: "jarvis weekly report", summary: text,
                fields: [DiscordEmbed.Field("Success rate", "92 %", inline: true), DiscordEmbed.Field("Top alert", text)], at: t0),
        ]
    }
}
