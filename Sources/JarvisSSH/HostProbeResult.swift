import JarvisCore

/// What probing one host found.
public struct HostProbeResult: Sendable, Equatable {
    /// How the host answered.
    public enum Outcome: Sendable, Equatable, Hashable {
        /// TCP connected and an SSH identification line arrived (e.g. `SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u10`).
        case answered(banner: String)
        /// The TCP connection was refused.
        case refused
        /// No connection, or no banner, within the timeout.
        case timedOut
        /// Anything else: unreachable network, reset, not an SSH server…
        case failed(String)
    }

    /// Host name.
    public var host: String
    /// How it answered.
    public var outcome: Outcome
    /// Time the probe took.
    public var duration: Duration

    /// True when the host answered with an SSH banner.
    public var answered: Bool {
        if case .answered = outcome { return true }
        return false
    }

    /// Words for a failed probe, safe to log; nil when it answered.
    public var errorText: String? {
        switch outcome {
        case .answered: return nil
        case .refused: return "probe: connection refused"
        case .timedOut: return "probe: no SSH banner within the timeout"
        case .failed(let text): return "probe: \(text)"
        }
    }
}
