import JarvisCore

/// Who sends a notification when several runners share one PostgreSQL: the first runner to
/// claim its dedup key there. The others mark their copy as sent elsewhere, so one event is
/// posted once. While PostgreSQL cannot be asked, a runner sends its own copy (a message
/// twice is better than none). The claimant that fails to deliver keeps trying in later runs
/// from its own outbox.
///
/// An escalation's key ends with the time its runner decided it (`escalation:<occurrence>@<time>`),
/// which differs between runners: it is claimed without the time, for the escalation
/// cooldown, so a person hears of an occurrence once per cooldown whichever runners escalate.
public final class SharedSendClaims: @unchecked Sendable {
    // Used only from the thread that runs the dispatcher, as the connection requires.
    private let coordination: any RunnerCoordination
    private let runner: String
    private let escalationCooldown: Double

    /// - Parameters:
    ///   - coordination: PostgreSQL.
    ///   - runner: This runner's name.
    ///   - escalationCooldown: How long an escalation's claim holds (`triage.attempts`).
    public init(coordination: any RunnerCoordination, runner: String, escalationCooldown: Double) {
        self.coordination = coordination
        self.runner = runner
        self.escalationCooldown = escalationCooldown
    }

    /// The runner that sends `row` when it is another one; nil when this runner sends it (it
    /// holds the claim, or PostgreSQL cannot be asked).
    func otherSender(of row: OutboxRow) -> String? {
        var key = row.dedupKey
        var expiresAfter: Double?
        if row.kind == NotificationKind.escalation.rawValue, let at = key.lastIndex(of: "@") {
            key = String(key[..<at])
            expiresAfter = escalationCooldown
        }
        guard let holder = try? coordination.claimNotification(dedupKey: key, runner: runner, expiresAfter: expiresAfter), holder != runner
        else { return nil }
        return holder
    }
}
