/// Availability of one host, as `HostStateMachine` tracks it.
public enum HostState: String, Sendable, Codable, Equatable, Hashable, CaseIterable {
    /// Reachable: SSH sessions are expected to work. Every host starts here.
    case online = "ONLINE"
    /// Several consecutive attempts failed; only `probe-hosts` looks at it, every re-check interval.
    case offline = "OFFLINE"
    /// Was OFFLINE and answered a probe; the next successful SSH session makes it ONLINE.
    case checking = "CHECKING"
}
