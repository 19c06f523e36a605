import JarvisCore

/// Remediation and diagnostic sessions are attempts on the host like `probe-hosts` sessions:
/// each feeds the host's state machine (a session that ran is a success, a connection failure
/// after retries one failed attempt), so a host that remediation cannot reach goes OFFLINE and
/// one it reaches again comes back ONLINE, with the same log rows and messages. A refused host
/// key is recorded and announced once, and no command goes to that host until its known_hosts
/// file changes.
extension RemediationStage {
    /// The stage's executor behind the host checks: what remediation and diagnostics run through.
    var guardedExecutor: any RemediationExecutor { HostGuardedExecutor(stage: self) }

    /// Records `outcome`'s host attempt and host key refusal, if any, and tells `hostNotifier`.
    ///
    /// A failure to record never stops the remediation: the command's own outcome is written
    /// regardless.
    func recordHostAttempt(_ outcome: ExecutionOutcome, on host: HostDefinition) {
        let time = now()
        if let attempt = outcome.hostAttempt {
            let store = HostStateStore(journal: journal, journalRows: journaled, runner: configuration.runner)
            if let changes = try? store.record(
                [.init(host: host.name, event: .attempt(attempt), at: time)], thresholds: configuration.ssh.thresholds, now: time)
            {
                for transition in changes.compactMap(\.transition) { hostNotifier?.hostTransition(transition) }
            }
        }
        if let refusal = outcome.hostKeyRefusal {
            let status =
                (try? HostStateStore(journal: journal, journalRows: false, runner: "").load().status(of: host.name)) ?? HostStatus(host: host.name)
            if (try? refusals.record(refusal, status: status, now: time)) == true { hostNotifier?.hostKeyRefused(refusal) }
        }
    }

    /// The refused host keys.
    var refusals: HostKeyRefusals { HostKeyRefusals(journal: journal, journalRows: journaled, runner: configuration.runner) }
}

/// Runs a command through the stage's executor unless the host's key was refused and its
/// known_hosts file has not changed since; records what the session says about the host.
struct HostGuardedExecutor: RemediationExecutor, @unchecked Sendable {
    let stage: RemediationStage

    func execute(_ command: ResolvedCommand, on host: HostDefinition, timeout: Double) -> ExecutionOutcome {
        if !host.local, let standing = try? stage.refusals.standing(for: host) {
            return ExecutionOutcome(exitStatus: nil, error: standing.summary)
        }
        let outcome = stage.executor.execute(command, on: host, timeout: timeout)
        stage.recordHostAttempt(outcome, on: host)
        return outcome
    }
}
