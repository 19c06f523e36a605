extension ActionCatalog {
    /// The built-in actions. Deliberately modest: each one is either read-only or an
    /// interruption that loses nothing.
    ///
    /// | name | argv | risk | kind |
    /// |---|---|---|---|
    /// | `docker.ps` | `docker ps --all --no-trunc` | low | read-only |
    /// | `docker.logs` | `docker logs --tail {lines} {container}` | low | read-only |
    /// | `docker.inspect` | `docker inspect {container}` | low | read-only |
    /// | `docker.stats` | `docker stats --no-stream --no-trunc` | low | read-only |
    /// | `docker.start` | `docker start {container}` | low | acting |
    /// | `docker.restart` | `docker restart {container}` | low | acting |
    /// | `docker.image-prune` | `docker image prune -f` (dangling images only; never `--volumes`) | medium | acting |
    /// | `docker.builder-prune` | `docker builder prune -f` (build cache; never `--volumes`) | medium | acting |
    /// | `docker.compose-restart` | `docker compose -p {project} restart` | high | acting |
    /// | `systemctl.status` | `systemctl status --no-pager --full {unit}` | low | read-only |
    /// | `systemctl.failed` | `systemctl list-units --failed --no-pager` | low | read-only |
    /// | `systemctl.restart` | `systemctl restart {unit}` | medium | acting |
    /// | `journalctl.unit` | `journalctl -u {unit} -n {lines} --no-pager` | low | read-only |
    /// | `wireguard.show` | `wg show {interface}` | low | read-only |
    /// | `wireguard.restart` | `systemctl restart wg-quick@{interface}` | medium | acting |
    /// | `certbot.renew` | `certbot renew --non-interactive --no-random-sleep-on-renew` | medium | acting |
    /// | `host.disk` | `df -h` | low | read-only |
    /// | `host.memory` | `free -m` | low | read-only |
    /// | `host.uptime` | `uptime` | low | read-only |
    /// | `host.processes` | `ps -eo pid,user,comm,%cpu,%mem --sort=-%cpu` | low | read-only |
    ///
    /// Restarting a whole Compose project is `high`: it is there for a person to approve, never
    /// run on its own.
    public static let defaults = ActionCatalog(templates: defaultTemplates)

    /// The templates of `defaults`, in the order of the table above.
    public static let defaultTemplates: [CommandTemplate] = [
        builtIn("docker.ps", "docker ps --all --no-trunc", .low, .readOnly, "List all containers with their state"),
        builtIn("docker.logs", "docker logs --tail {lines} {container}", .low, .readOnly, "Show the last lines of a container's log"),
        builtIn(
            "docker.inspect", "docker inspect {container}", .low, .readOnly,
            "Show a container's configuration and state (health, restarts, OOMKilled)"),
        builtIn("docker.stats", "docker stats --no-stream --no-trunc", .low, .readOnly, "Show CPU and memory use of every running container"),
        builtIn("docker.start", "docker start {container}", .low, .acting, "Start a stopped container"),
        builtIn("docker.restart", "docker restart {container}", .low, .acting, "Restart a container"),
        builtIn("docker.image-prune", "docker image prune -f", .medium, .acting, "Remove dangling images (never volumes)"),
        builtIn("docker.builder-prune", "docker builder prune -f", .medium, .acting, "Remove the build cache (never volumes)"),
        builtIn(
            "docker.compose-restart", "docker compose -p {project} restart", .high, .acting,
            "Restart every container of a Compose project (needs approval)"),
        builtIn("systemctl.status", "systemctl status --no-pager --full {unit}", .low, .readOnly, "Show a systemd unit's state and latest log lines"),
        builtIn("systemctl.failed", "systemctl list-units --failed --no-pager", .low, .readOnly, "List failed systemd units"),
        builtIn("systemctl.restart", "systemctl restart {unit}", .medium, .acting, "Restart a systemd service"),
        builtIn("journalctl.unit", "journalctl -u {unit} -n {lines} --no-pager", .low, .readOnly, "Show the last lines of a unit's journal"),
        builtIn("wireguard.show", "wg show {interface}", .low, .readOnly, "Show a WireGuard interface's peers and latest handshakes"),
        builtIn("wireguard.restart", "systemctl restart wg-quick@{interface}", .medium, .acting, "Restart a WireGuard interface (wg-quick)"),
        builtIn(
            "certbot.renew", "certbot renew --non-interactive --no-random-sleep-on-renew", .medium, .acting,
            "Renew the certificates that are due (deploy hooks reload the servers)"),
        builtIn("host.disk", "df -h", .low, .readOnly, "Show file system usage"),
        builtIn("host.memory", "free -m", .low, .readOnly, "Show memory use in MiB"),
        builtIn("host.uptime", "uptime", .low, .readOnly, "Show uptime and load averages"),
        builtIn("host.processes", "ps -eo pid,user,comm,%cpu,%mem --sort=-%cpu", .low, .readOnly, "List processes, busiest CPU first"),
    ]

    /// A template of the table above: `argv` is written as one line of words split on spaces,
    /// and each placeholder takes the built-in parameter pattern of its name.
    private static func builtIn(_ name: String, _ argv: String, _ risk: ActionRisk, _ kind: ActionKind, _ summary: String) -> CommandTemplate {
        var template = CommandTemplate(name: name, argv: argv.split(separator: " ").map(String.init), risk: risk, kind: kind, summary: summary)
        for parameter in template.placeholderNames { template.parameters[parameter] = ParameterPattern.builtIn[parameter] }
        return template
    }
}
