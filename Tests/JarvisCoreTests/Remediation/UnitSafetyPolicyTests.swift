import Testing

@testable import JarvisCore

private let policy = CommandPolicy()
private let remote = PolicyContext()

private func verdict(_ action: String, _ parameters: [String: String], context: PolicyContext = remote) -> PolicyVerdict {
    policy.evaluate(ActionProposal(action: action, parameters: parameters), host: "vps", context: context)
}

/// Unit names that restart, reboot or cut off the machine, in the spellings a hostile plan
/// may use. Each is refused by `systemctl.restart` on any host.
private let coreUnits: [String] = [
    // What reboot/poweroff/halt/kexec/soft-reboot.target pull in.
    "systemd-reboot.service", "systemd-poweroff.service", "systemd-halt.service", "systemd-kexec.service",
    "systemd-soft-reboot.service", "systemd-reboot", "SYSTEMD-REBOOT.SERVICE", "Systemd-Reboot", "systemd-reboot.service.",
    "systemd-reboot.", "plymouth-reboot", "plymouth-poweroff.service", "reboot", "poweroff", "halt", "kexec", "rc-local-shutdown",
    // systemd's own daemons.
    "systemd-journald", "systemd-journald.service", "systemd-logind", "systemd-udevd", "systemd-networkd", "systemd-resolved",
    "SYSTEMD-LOGIND",
    // The bus.
    "dbus", "dbus.service", "dbus-broker", "DBUS",
    // Sessions, consoles, logins.
    "user@0.service", "user@1000", "user-runtime-dir@0", "getty@tty1", "getty@tty1.service", "serial-getty@ttyS0", "autovt@tty2",
    "console-getty",
    // jarvis's way in, on any host.
    "ssh", "sshd", "ssh.service", "SSHD.SERVICE", "sshd.", "sshd@0-127.0.0.1:22-127.0.0.1:5000",
    // PID 1 and its boot modes.
    "init", "init.service", "emergency", "rescue.service", "initrd-switch-root",
]

/// Unit types that acting templates never take (the unit pattern lets `.socket` and `.timer`
/// through for reading; `systemctl restart` must still refuse them).
private let nonServiceUnits: [String] = ["docker.socket", "dbus.socket", "ssh.socket", "apt-daily.timer", "DOCKER.SOCKET", "docker.socket."]

/// systemd's `\x2d` escapes, decoded before judging.
private let escapedUnits: [String] = ["systemd\\x2dreboot", "systemd\\x2dreboot.service", "user\\x400.service", "sshd\\x2eservice"]

@Suite struct UnitSafetyPolicyTests {
    @Test(arguments: coreUnits)
    func aCoreUnitIsNeverRestartedOnAnyHost(_ unit: String) throws {
        for context in [remote, PolicyContext(targetIsJarvisHost: true), PolicyContext(protectedUnits: [])] {
            let rejection = try #require(verdict("systemctl.restart", ["unit": unit], context: context).rejection, "\(unit)")
            #expect(rejection.code == .coreUnit, "\(unit): \(rejection)")
            #expect(rejection.message.contains("core unit"))
        }
        // Reading a core unit's state and logs stays allowed.
        #expect(verdict("systemctl.status", ["unit": unit]).isAllowed || unit.hasSuffix("."), "\(unit)")
    }

    @Test(arguments: nonServiceUnits)
    func actingTemplatesTakeOnlyServices(_ unit: String) throws {
        let rejection = try #require(verdict("systemctl.restart", ["unit": unit]).rejection)
        #expect(rejection.code == .unitType, "\(rejection)")
        #expect(rejection.message.contains("only restarts services"))
        #expect(verdict("systemctl.status", ["unit": "docker.socket"]).isAllowed)
    }

    @Test(arguments: escapedUnits)
    func escapedSpellingsNeverPassThePatternNorTheRule(_ unit: String) throws {
        // The parameter pattern refuses the backslash before the unit rule is reached…
        #expect(verdict("systemctl.restart", ["unit": unit]).rejection?.code == .invalidParameter)
        // …a configured template may not hold one either…
        let template = CommandTemplate(name: "site.restart", argv: ["systemctl", "restart", unit], risk: .low, kind: .acting, summary: "s")
        let site = CommandPolicy(catalog: ActionCatalog.defaults.merging(overrides: CatalogOverrides(templates: [template])))
        let result = site.evaluate(ActionProposal(action: "site.restart"), host: "vps", context: remote)
        #expect(result.rejection?.code == .invalidTemplate, "\(result)")
        // …and the rule reads the decoded name, should one ever reach it.
        #expect(CoreUnits.reason(UnitName(unit)) != nil)
    }

    @Test func unitNamesAreReadInEverySpelling() {
        #expect(UnitName("SYSTEMD\\x2dREBOOT.SERVICE.").description == "systemd-reboot.service")
        #expect(UnitName("nginx").isService && !UnitName("nginx").typeIsExplicit)
        #expect(UnitName("php8.2-fpm").base == "php8.2-fpm")
        #expect(UnitName("docker.socket").type == "socket")
        #expect(UnitName("user@0.service").template == "user@")
        #expect(UnitName("a\\x2").base == "a\\x2")
        #expect(UnitName("a\\xzz").base == "a\\xzz")
    }

    @Test(arguments: ["nginx", "php8.2-fpm.service", "wg-quick@wg0", "haproxy", "systemdish", "sshguard", "rebootless-updater-x"])
    func ordinaryServicesStillRestart(_ unit: String) {
        let result = verdict("systemctl.restart", ["unit": unit])
        #expect(result.isAllowed, "\(unit): \(result)")
    }

    @Test func jarvisOwnLocalDatabaseIsProtectedOnTheJarvisHostOnly() throws {
        let local = PolicyContext(targetIsJarvisHost: true, databaseIsLocal: true)
        for (action, parameters) in [
            ("docker.restart", ["container": "postgres"]), ("docker.restart", ["container": "postgres-16"]),
            ("docker.start", ["container": "POSTGRES"]), ("systemctl.restart", ["unit": "postgresql@15-main"]),
            ("systemctl.restart", ["unit": "postgres.service"]),
        ] {
            let rejection = try #require(verdict(action, parameters, context: local).rejection, "\(parameters)")
            #expect(rejection.code == .protectedTarget)
            #expect(rejection.message.contains("postgres"))
        }
        // The database is someone else's when it is not local, and on other hosts.
        #expect(verdict("docker.restart", ["container": "postgres"], context: PolicyContext(targetIsJarvisHost: true)).isAllowed)
        #expect(verdict("docker.restart", ["container": "postgres"], context: PolicyContext(databaseIsLocal: true)).isAllowed)
    }

    @Test func aTargetNamedByNeitherTheAlertNorTheInventoryWaitsForAPerson() throws {
        let named = PolicyContext.namedTargets(
            labels: ["alertname": "ServiceDown", "service": "nginx.service", "container": "grafana", "instance": "web1:9100"],
            units: ["php8.2-fpm"], containers: ["worker"])
        let context = PolicyContext(namedTargets: named)
        // Named by a label (in any spelling) or by the inventory: runs.
        #expect(verdict("systemctl.restart", ["unit": "nginx"], context: context).isAllowed)
        #expect(verdict("systemctl.restart", ["unit": "NGINX.service"], context: context).isAllowed)
        #expect(verdict("systemctl.restart", ["unit": "php8.2-fpm.service"], context: context).isAllowed)
        #expect(verdict("docker.restart", ["container": "grafana"], context: context).isAllowed)
        #expect(verdict("docker.start", ["container": "worker"], context: context).isAllowed)
        // Named by nobody: parked for approval, never run alone.
        for (action, parameters) in [
            ("systemctl.restart", ["unit": "haproxy"]), ("docker.restart", ["container": "redis"]),
            ("docker.restart", ["container": "web1"]), ("wireguard.restart", ["interface": "wg1"]),
        ] {
            guard case .needsApproval(let command, let reason) = verdict(action, parameters, context: context) else {
                Issue.record("\(action) \(parameters) was not parked")
                continue
            }
            #expect(command.action == action)
            #expect(reason.contains("named neither by the alert's labels nor by the host's inventory"))
        }
        // Reading is never held back, and a label that is not a target label names nothing.
        #expect(verdict("docker.logs", ["container": "redis", "lines": "10"], context: context).isAllowed)
        #expect(!context.names("web1:9100"))
        // A core unit is refused even when a label names it.
        let hostile = PolicyContext(namedTargets: PolicyContext.namedTargets(labels: ["unit": "systemd-reboot.service"], units: [], containers: []))
        #expect(verdict("systemctl.restart", ["unit": "systemd-reboot"], context: hostile).rejection?.code == .coreUnit)
    }
}
