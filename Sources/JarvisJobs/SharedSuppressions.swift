import JarvisCore

/// One summary of suppressed alerts for the fleet: runners fed the same notifications each
/// suppress the same alerts, and each used to send its own summary of them. Before a runner
/// summarises its run's suppressions it claims each suppressed notification in PostgreSQL
/// (`suppressed:<event key>`, held for the dedup cooldown, all in one round trip) and counts
/// only those it won: each suppression is in one runner's summary, and a runner that won none
/// sends none. While PostgreSQL cannot be asked, a runner summarises all of its own.
enum SharedSuppressions {
    /// The part of `triage`'s suppressions this runner summarises.
    static func summary(
        of triage: TriageSession.Summary, coordination: any RunnerCoordination, runner: String, cooldown: Double
    ) -> SuppressionSummary {
        // A run that suppressed more than it kept one by one summarises them all.
        guard triage.suppressions.total > 0, triage.suppressed.count == triage.suppressions.total else { return triage.suppressions }
        let keys = triage.suppressed.map { "suppressed:" + $0.eventKey }
        guard let won = try? coordination.claimNotifications(dedupKeys: keys, runner: runner, expiresAfter: cooldown) else {
            return triage.suppressions
        }
        var mine = SuppressionSummary()
        for (key, alert) in zip(keys, triage.suppressed) where won.contains(key) {
            mine.add(alert.outcome, severity: alert.severity, at: alert.at)
        }
        return mine
    }
}
