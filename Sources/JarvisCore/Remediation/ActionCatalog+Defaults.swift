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
        CommandTemplate(
            name: "docker.ps", argv: ["docker", "ps", "--all", "--no-trunc"], risk: .low, kind: .readOnly,
            summary: "List all containers with their state"),
        CommandTemplate(
            name: "docker.logs", argv: ["docker", "logs", "--tail", "{lines}", "{container}"],
            parameters: ["lines": .lines, "container": .container], risk: .low, kind: .readOnly,
            summary: "Show the last lines of a container's log"),
        CommandTemplate(
            name: "docker.inspect", argv: ["docker", "inspect", "{container}"], parameters: ["container": .container], risk: .low,
            kind: .readOnly, summary: "Show a container's configuration and state (health, restarts, OOMKilled)"),
        CommandTemplate(
            name: "docker.stats", argv: ["docker", "stats", "--no-stream", "--no-trunc"], risk: .low, kind: .readOnly,
            summary: "Show CPU and memory use of every running container"),
        CommandTemplate(
            name: "docker.start", argv: ["docker", "start", "{container}"], parameters: ["container": .container], risk: .low,
            kind: .acting, summary: "Start a stopped container"),
        CommandTemplate(
            name: "docker.restart", argv: ["docker", "restart", "{container}"], parameters: ["container": .container], risk: .low,
            kind: .acting, summary: "Restart a container"),
        CommandTemplate(
            name: "docker.image-prune", argv: ["docker", "image", "prune", "-f"], risk: .medium, kind: .acting,
            summary: "Remove dangling images (never volumes)"),
        CommandTemplate(
            name: "docker.builder-prune", argv: ["docker", "builder", "prune", "-f"], risk: .medium, kind: .acting,
            summary: "Remove the build cache (never volumes)"),
        CommandTemplate(
            name: "docker.compose-restart", argv: ["docker", "compose", "-p", "{project}", "restart"], parameters: ["project": .project],
            risk: .high, kind: .acting, summary: "Restart every container of a Compose project (needs approval)"),
        CommandTemplate(
            name: "systemctl.status", argv: ["systemctl", "status", "--no-pager", "--full", "{unit}"], parameters: ["unit": .unit],
            risk: .low, kind: .readOnly, summary: "Show a systemd unit's state and latest log lines"),
        CommandTemplate(
            name: "systemctl.failed", argv: ["systemctl", "list-units", "--failed", "--no-pager"], risk: .low, kind: .readOnly,
            summary: "List failed systemd units"),
        CommandTemplate(
            name: "systemctl.restart", argv: ["systemctl", "restart", "{unit}"], parameters: ["unit": .unit], risk: .medium,
            kind: .acting, summary: "Restart a systemd service"),
        CommandTemplate(
            name: "journalctl.unit", argv: ["journalctl", "-u", "{unit}", "-n", "{lines}", "--no-pager"],
            parameters: ["unit": .unit, "lines": .lines], risk: .low, kind: .readOnly, summary: "Show the last lines of a unit's journal"),
        CommandTemplate(
            name: "wireguard.show", argv: ["wg", "show", "{interface}"], parameters: ["interface": .interface], risk: .low,
            kind: .readOnly, summary: "Show a WireGuard interface's peers and latest handshakes"),
        CommandTemplate(
            name: "wireguard.restart", argv: ["systemctl", "restart", "wg-quick@{interface}"], parameters: ["interface": .interface],
            risk: .medium, kind: .acting, summary: "Restart a WireGuard interface (wg-quick)"),
        CommandTemplate(
            name: "certbot.renew", argv: ["certbot", "renew", "--non-interactive", "--no-random-sleep-on-renew"], risk: .medium,
            kind: .acting, summary: "Renew the certificates that are due (deploy hooks reload the servers)"),
        CommandTemplate(name: "host.disk", argv: ["df", "-h"], risk: .low, kind: .readOnly, summary: "Show file system usage"),
        CommandTemplate(name: "host.memory", argv: ["free", "-m"], risk: .low, kind: .readOnly, summary: "Show memory use in MiB"),
        CommandTemplate(name: "host.uptime", argv: ["uptime"], risk: .low, kind: .readOnly, summary: "Show uptime and load averages"),
        CommandTemplate(
            name: "host.processes", argv: ["ps", "-eo", "pid,user,comm,%cpu,%mem", "--sort=-%cpu"], risk: .low, kind: .readOnly,
            summary: "List processes, busiest CPU first"),
    ]
}
