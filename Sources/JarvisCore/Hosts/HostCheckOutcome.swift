/// What checking one host found during `probe-hosts`, and the event it feeds the state machine.
public enum HostCheckOutcome: Sendable, Equatable {
    /// TCP connected and the SSH banner arrived (no `--auth`).
    case answered(banner: String)
    /// `--auth`: an authenticated SSH session ran `true`.
    case sessionSucceeded(banner: String?, exitStatus: Int32?)
    /// A `local: true` host ran `true` without SSH.
    case localSucceeded(exitStatus: Int32?)
    /// No TCP connection or no banner within the probe timeout.
    case probeFailed(String)
    /// `--auth`: the port answered, but the session failed (host key refused, login refused…).
    case sessionFailed(String)
    /// A local host could not run `true`.
    case localFailed(String)
    /// The session was refused because of the host's key (unknown or changed): a failed
    /// attempt, and a security event recorded and announced once.
    case hostKeyRefused(HostKeyRefusal)

    /// The event for `HostStateMachine`: an answered probe is `.probeAnswered` (OFFLINE →
    /// CHECKING); a session or local command is one logical attempt; a silent probe is a failed
    /// probe (one failed attempt).
    public var event: HostEvent {
        switch self {
        case .answered: return .probeAnswered
        case .sessionSucceeded, .localSucceeded: return .attempt(.succeeded)
        case .probeFailed(let error): return .probeFailed(error: error)
        case .sessionFailed(let error), .localFailed(let error): return .attempt(.failed(error: error))
        case .hostKeyRefused(let refusal): return .attempt(.failed(error: refusal.summary))
        }
    }

    /// True when the host answered what was asked of it.
    public var succeeded: Bool {
        switch self {
        case .answered, .sessionSucceeded, .localSucceeded: return true
        case .probeFailed, .sessionFailed, .localFailed, .hostKeyRefused: return false
        }
    }

    /// Words for the result column, e.g. `banner SSH-2.0-OpenSSH_9.2p1`.
    public var summary: String {
        switch self {
        case .answered(let banner): return "answered: \(banner)"
        case .sessionSucceeded(_, let status): return "SSH session ok (`true` exited \(status.map(String.init) ?? "?"))"
        case .localSucceeded(let status): return "local `true` exited \(status.map(String.init) ?? "?")"
        case .probeFailed(let error), .sessionFailed(let error), .localFailed(let error): return error
        case .hostKeyRefused(let refusal): return refusal.summary
        }
    }

    /// A short word for tables and JSON: `answered`, `session-ok`, `local-ok`, `probe-failed`,
    /// `session-failed`, `local-failed`.
    public var kind: String {
        switch self {
        case .answered: return "answered"
        case .sessionSucceeded: return "session-ok"
        case .localSucceeded: return "local-ok"
        case .probeFailed: return "probe-failed"
        case .sessionFailed: return "session-failed"
        case .localFailed: return "local-failed"
        case .hostKeyRefused: return "host-key-refused"
        }
    }
}
