extension SeedPattern {
    /// The 14 shipped seeds, one per alert (docs/behaviour.md, "Learning"), all with 2 successes and
    /// 0 failures (tier 3 on day one; see `SeedPattern`).
    ///
    /// | alert | labels | actions |
    /// |---|---|---|
    /// | ContainerUnhealthy | container | `docker.logs`, `docker.restart` |
    /// | ContainerDown | container | `docker.logs`, `docker.start` |
    /// | ContainerRestartLoop | container | `docker.inspect`, `docker.logs` (diagnostics only: restarting a crash loop fixes nothing) |
    /// | HighMemoryUsage | container | `docker.stats`, `docker.restart` (a leaking container) |
    /// | ContainerOOM | container | `docker.inspect`, `docker.start` (a no-op when the restart policy already brought it back) |
    /// | PostgreSQLDown | instance | `systemctl.status`, `systemctl.restart` of `postgresql` |
    /// | DatabaseConnectionPoolExhausted | container | `docker.logs`, `docker.restart` (the client holding the connections) |
    /// | ServiceUnreachable | service | `systemctl.status`, `systemctl.restart` |
    /// | WireGuardVPNDown | interface | `wireguard.show`, `wireguard.restart` |
    /// | DiskSpaceHigh | instance | `host.disk`, `docker.image-prune`, `docker.builder-prune` (never `--volumes`) |
    /// | TLSCertificateExpiringSoon | instance | `certbot.renew` |
    /// | HighCPUUsage | instance | `host.uptime`, `host.processes`, `docker.stats` (diagnostics only: no generic fix) |
    /// | SystemdServiceFailed | name (node_exporter's unit label) | `journalctl.unit`, `systemctl.restart` |
    /// | TargetDown | instance, job | `host.uptime`, `systemctl.failed` (diagnostics only: which exporter is not derivable) |
    ///
    /// Every action is a default catalog action and passes the command policy once bound
    /// (a test proves it). `instance` and `job` are required only so that a host-level alert
    /// is routable; no parameter uses them.
    public static let all: [SeedPattern] = [
        SeedPattern(
            alertname: "ContainerUnhealthy", summary: "Read the container's recent log, then restart it",
            actions: [logs("{{labels.container}}", lines: "50"), act("docker.restart", container: "{{labels.container}}")]),
        SeedPattern(
            alertname: "ContainerDown", summary: "Read the container's last log lines, then start it again",
            actions: [logs("{{labels.container}}", lines: "50"), act("docker.start", container: "{{labels.container}}")]),
        SeedPattern(
            alertname: "ContainerRestartLoop",
            summary: "Diagnostics only: inspect the container and read its log; a restart does not fix a crash loop",
            actions: [
                ActionProposal(
                    action: "docker.inspect", parameters: ["container": "{{labels.container}}"], rationale: "exit code, restarts, OOMKilled"),
                logs("{{labels.container}}", lines: "100"),
            ]),
        SeedPattern(
            alertname: "HighMemoryUsage", summary: "See which containers use the memory, then restart the leaking one",
            actions: [
                ActionProposal(action: "docker.stats", rationale: "memory per container"), act("docker.restart", container: "{{labels.container}}"),
            ]),
        SeedPattern(
            alertname: "ContainerOOM", summary: "Confirm the OOM kill, then make sure the container runs again",
            actions: [
                ActionProposal(action: "docker.inspect", parameters: ["container": "{{labels.container}}"], rationale: "State.OOMKilled"),
                act("docker.start", container: "{{labels.container}}"),
            ]),
        SeedPattern(
            alertname: "PostgreSQLDown", summary: "Check the postgresql unit, then restart it",
            actions: [
                ActionProposal(action: "systemctl.status", parameters: ["unit": "postgresql"], rationale: "why it stopped"),
                ActionProposal(action: "systemctl.restart", parameters: ["unit": "postgresql"], rationale: "bring the database back"),
            ],
            requiredLabels: ["instance"]),
        SeedPattern(
            alertname: "DatabaseConnectionPoolExhausted", summary: "Read the client's log, then restart it to release its connections",
            actions: [logs("{{labels.container}}", lines: "100"), act("docker.restart", container: "{{labels.container}}")]),
        SeedPattern(
            alertname: "ServiceUnreachable", summary: "Check the service's unit, then restart it",
            actions: [
                ActionProposal(action: "systemctl.status", parameters: ["unit": "{{labels.service}}"], rationale: "state and last log lines"),
                ActionProposal(action: "systemctl.restart", parameters: ["unit": "{{labels.service}}"], rationale: "restart the service"),
            ]),
        SeedPattern(
            alertname: "WireGuardVPNDown", summary: "Look at the interface's handshakes, then restart it with wg-quick",
            actions: [
                ActionProposal(action: "wireguard.show", parameters: ["interface": "{{labels.interface}}"], rationale: "latest handshakes"),
                ActionProposal(action: "wireguard.restart", parameters: ["interface": "{{labels.interface}}"], rationale: "bring the tunnel back"),
            ]),
        SeedPattern(
            alertname: "DiskSpaceHigh", summary: "Show usage, then remove dangling images and the build cache (never volumes)",
            actions: [
                ActionProposal(action: "host.disk", rationale: "which file system is full"),
                ActionProposal(action: "docker.image-prune", rationale: "dangling images"),
                ActionProposal(action: "docker.builder-prune", rationale: "build cache"),
            ],
            requiredLabels: ["instance"]),
        SeedPattern(
            alertname: "TLSCertificateExpiringSoon", summary: "Renew the certificates that are due",
            actions: [ActionProposal(action: "certbot.renew", rationale: "renew due certificates; deploy hooks reload the servers")],
            requiredLabels: ["instance"]),
        SeedPattern(
            alertname: "HighCPUUsage", summary: "Diagnostics only: load, busiest processes and containers",
            actions: [
                ActionProposal(action: "host.uptime", rationale: "load averages"),
                ActionProposal(action: "host.processes", rationale: "busiest processes"),
                ActionProposal(action: "docker.stats", rationale: "busiest containers"),
            ],
            requiredLabels: ["instance"]),
        SeedPattern(
            alertname: "SystemdServiceFailed", summary: "Read the failed unit's journal, then restart it",
            actions: [
                ActionProposal(action: "journalctl.unit", parameters: ["unit": "{{labels.name}}", "lines": "50"], rationale: "why it failed"),
                ActionProposal(action: "systemctl.restart", parameters: ["unit": "{{labels.name}}"], rationale: "restart the unit"),
            ]),
        SeedPattern(
            alertname: "TargetDown", summary: "Diagnostics only: is the host up, and which units failed",
            actions: [
                ActionProposal(action: "host.uptime", rationale: "is the host up, was it rebooted"),
                ActionProposal(action: "systemctl.failed", rationale: "a failed exporter unit"),
            ],
            requiredLabels: ["instance", "job"]),
    ]

    /// The seed for an alertname, or nil.
    ///
    /// - Parameter alertname: The alert's `alertname` label.
    public static func seed(for alertname: String) -> SeedPattern? { all.first { $0.alertname == alertname } }

    private static func logs(_ container: String, lines: String) -> ActionProposal {
        ActionProposal(action: "docker.logs", parameters: ["container": container, "lines": lines], rationale: "recent log lines")
    }

    private static func act(_ action: String, container: String) -> ActionProposal {
        ActionProposal(action: action, parameters: ["container": container], rationale: "the usual fix")
    }
}
