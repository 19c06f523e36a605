/// Port: the three ways `probe-hosts` checks a host. Live ones use the network and processes
/// (built by the CLI's composition root); tests pass closures.
public struct HostChecks: Sendable {
    /// TCP connect, then the SSH banner, within the timeout: `.answered(banner:)` or `.probeFailed(_:)`.
    public var probe: @Sendable (HostDefinition, Duration) async -> HostCheckOutcome
    /// An authenticated SSH session that runs `true` (`--auth`).
    public var session: @Sendable (HostDefinition) async -> HostCheckOutcome
    /// `true` run locally for a `local: true` host.
    public var local: @Sendable (HostDefinition) async -> HostCheckOutcome

    /// Creates checks from closures.
    ///
    /// - Parameters:
    ///   - probe: TCP + banner probe.
    ///   - session: Authenticated session running `true`.
    ///   - local: Local `true`.
    public init(
        probe: @escaping @Sendable (HostDefinition, Duration) async -> HostCheckOutcome,
        session: @escaping @Sendable (HostDefinition) async -> HostCheckOutcome,
        local: @escaping @Sendable (HostDefinition) async -> HostCheckOutcome
    ) {
        self.probe = probe
        self.session = session
        self.local = local
    }
}
