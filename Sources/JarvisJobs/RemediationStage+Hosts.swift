import JarvisCore

/// Remediation and diagnostic sessions are attempts on the host like `probe-hosts` sessions:
/// each feeds the host's state machine (a session that ran is a success, a connection failure
/// after retries one failed attempt), so a host that remediation cannot reach goes OFFLINE and
/// one it reaches again comes back ONLINE, with the same log rows and messages.
extension RemediationStage {
    /// Records `outcome`'s host attempt, if it has one, and tells `hostNotifier` of a transition.
    ///
    /// A failure to record is logged through the notifier's host and never stops the
    /// remediation: the command's own outcome is written regardless.
    func recordHostAttempt(_ outcome: ExecutionOutcome, on host: HostDefinition) {
        guard let attempt = outcome.hostAttempt else { return }
        let store = HostStateStore(journal: journal, journalRows: journaled, runner: configuration.runner)
        let time = now()
        guard let changes = try? store.record([.init(host: host.name, event: .attempt(attempt), at: time)], thresholds: configuration.ssh.thresholds, now: time)
        else { return }
        for transition in changes.compactMap(\.transition) { hostNotifier?.hostTransition(transition) }
    }
}
