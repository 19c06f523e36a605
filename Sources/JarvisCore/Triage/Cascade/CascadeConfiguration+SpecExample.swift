extension CascadeConfiguration {
    /// The spec's defaults (docs/behaviour.md, "Cascade suppression") for the sample homelab in
    /// the bundled spool: `outpost` runs the WireGuard tunnel, `vps` is reached through it
    /// and runs PostgreSQL and containers.
    ///
    /// - `WireGuardVPNDown` takes down `service:wireguard`; `vps` depends on it. It hides
    ///   the host-down (`VPSHostDown`, `HostDown`, `InstanceDown`), `PostgreSQLDown`,
    ///   `SystemDown` and `TargetDown` alerts about anything behind the tunnel.
    /// - `HostDown`, `VPSHostDown` or `InstanceDown` takes down the alert's own host. It hides
    ///   the `ContainerDown`, `ContainerUnhealthy` and `ServiceUnreachable` alerts about that
    ///   host and anything behind it.
    ///
    /// Together they give the two-level cascade VPN → VPS host → containers. Pass the
    /// inventory's host parents to `CascadeGraph` beside it.
    public static var specExample: CascadeConfiguration {
        let hostDown = ["HostDown", "VPSHostDown", "InstanceDown"]
        return CascadeConfiguration(
            signals: [
                RootCauseSignal(
                    name: "vpn-down", matchers: [.equal("alertname", "WireGuardVPNDown")], down: .service("wireguard"),
                    suppresses: [.oneOf("alertname", hostDown + ["PostgreSQLDown", "SystemDown", "TargetDown"])]),
                RootCauseSignal(
                    name: "host-down", matchers: [.oneOf("alertname", hostDown)], down: .alertHost,
                    suppresses: [.oneOf("alertname", ["ContainerDown", "ContainerUnhealthy", "ServiceUnreachable"])]),
            ],
            services: [
                ServiceDefinition(name: "wireguard", host: "outpost", matchers: [.equal("alertname", "WireGuardVPNDown")]),
                ServiceDefinition(name: "postgresql", host: "vps", matchers: [.oneOf("alertname", ["PostgreSQLDown"])]),
            ],
            hostDependencies: ["vps": ["wireguard"]])
    }
}
