/// The result of one *logical* attempt to use a host, whatever retries it made inside:
/// what executors report and `HostStateMachine.record(_:at:)` consumes.
public enum HostAttemptOutcome: Sendable, Equatable, Hashable {
    /// The host was reached and a session established (the command's own exit status does not matter).
    case succeeded
    /// The host could not be used; `error` is safe to log.
    case failed(error: String)
}
