import JarvisCore

/// Who sends a notification when several runners share one PostgreSQL: the first runner to
/// claim its dedup key there. The others mark their copy as sent elsewhere, so one event is
/// posted once. While PostgreSQL cannot be asked, a runner sends its own copy (a message
/// twice is better than none). The claimant that fails to deliver keeps trying in later runs
/// from its own outbox.
public final class SharedSendClaims: @unchecked Sendable {
    // Used only from the thread that runs the dispatcher, as the connection requires.
    private let coordination: any RunnerCoordination
    private let runner: String

    /// - Parameters:
    ///   - coordination: PostgreSQL.
    ///   - runner: This runner's name.
    public init(coordination: any RunnerCoordination, runner: String) {
        self.coordination = coordination
        self.runner = runner
    }

    /// The runner that sends the message with `dedupKey` when it is another one; nil when
    /// this runner sends it (it holds the claim, or PostgreSQL cannot be asked).
    func otherSender(of dedupKey: String) -> String? {
        guard let holder = try? coordination.claimNotification(dedupKey: dedupKey, runner: runner), holder != runner else { return nil }
        return holder
    }
}
