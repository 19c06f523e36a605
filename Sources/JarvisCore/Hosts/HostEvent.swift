/// Something that happened to a host, as `HostStateMachine.apply(_:at:)` consumes it: the one
/// vocabulary probe runs and executors share to feed the state machine.
public enum HostEvent: Sendable, Equatable, Hashable {
    /// The host answered a probe (TCP connect and SSH banner): OFFLINE → CHECKING.
    case probeAnswered
    /// A probe got no answer; counts as one failed attempt.
    case probeFailed(error: String)
    /// One logical attempt (SSH session or local command) ended, whatever retries it made.
    case attempt(HostAttemptOutcome)
}
