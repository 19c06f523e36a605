import JarvisCore

/// The Discord messages one ingest run produces: escalations, flapping changes, one summary
/// of the run's suppressions, maintenance windows that ended, and what remediation did.
/// Each has a dedup key derived from its facts, so a run that is repeated (or replayed after
/// a crash) enqueues nothing twice.
enum IngestNotifications {
    static func build(_ report: IngestReport, runner: String, startedAt: Timestamp, now: Timestamp) -> [DiscordNotification] {
        var out: [DiscordNotification] = []
        if let triage = report.triage {
            for escalation in triage.escalations { out.append(.escalation(escalation)) }
            for flap in triage.flapReports { out.append(.flapping(flap)) }
            for window in triage.expiredWindows { out.append(.maintenanceEnded(window, at: window.endsAt ?? now)) }
            if let summary = DiscordNotification.suppressionSummary(triage.suppressions, runID: "\(runner)/\(startedAt.rfc3339)", at: now) {
                out.append(summary)
            }
        }
        for item in report.remediation?.items ?? [] {
            let notice = RemediationNotice(
                remediationKey: item.key + "#" + item.kind.rawValue, alertKey: item.alertKey, occurrence: item.occurrence, host: item.host,
                severity: item.critical ? "critical" : nil, summary: item.reason, action: item.commands.first ?? "(no command)",
                commands: item.commands, tier: item.tier, detail: item.reason, at: now)
            switch item.kind {
            case .remediated, .verified: out.append(.remediated(notice))
            case .failed, .verificationFailed: out.append(.failed(notice))
            case .rejected:
                out.append(
                    .commandRejected(
                        CommandRejection(
                            key: item.key, alertKey: item.alertKey, occurrence: item.occurrence, host: item.host,
                            action: item.commands.first ?? "(the proposed plan)", proposer: item.tier == 1 ? "pattern" : "LLM",
                            reason: item.reason, at: now)))
            case .escalated:
                let alertname = item.alertname
                let escalation = Escalation(
                    alertKey: item.alertKey, alertname: alertname, occurrence: item.key, critical: item.critical, attempts: 0,
                    windowSeconds: 0, at: now)
                out.append(
                    .escalation(
                        escalation, summary: item.reason + (item.id.map { " (jarvis approve \($0) / jarvis reject \($0))" } ?? ""), host: item.host))
            case .planned, .unverified, .deduplicated:
                break
            }
        }
        return out
    }
}
