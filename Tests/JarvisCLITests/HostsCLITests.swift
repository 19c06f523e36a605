import Foundation
import JarvisCore
import JarvisTestSupport
import Testing

/// `check-config`, `probe-hosts` and `hosts` through the built binary, against a real sshd,
/// closed ports and silent listeners on loopback, with state in temp folders: every run is a
/// new process, as under systemd.
///
/// `.serialized`: the runs measure wall time on a 2-core machine.
@Suite(.serialized, .timeLimit(.minutes(5)))
struct HostsCLITests {
    static var sshdAvailable: Bool { ServerGate.runs(whenAvailable: TestSSHD.isAvailable) }
    static var postgresAvailable: Bool { ServerGate.runs(whenAvailable: geteuid() == 0) }

    /// A configuration file, a state folder and a spool folder for one test.
    final class Setup {
        let dir: TemporaryDirectory
        var configPath: String { dir.file("jarvis.yml") }
        var extraEnvironment: [String: String] = [:]

        init() throws { dir = try TemporaryDirectory() }

        var env: [String: String] {
            let base = ["JARVIS_CONFIG": configPath, "JARVIS_STATE_DIR": dir.file("state"), "JARVIS_SPOOL_DIR": dir.file("spool")]
            return base.merging(extraEnvironment) { $1 }
        }

        /// Writes the configuration: `ssh:` settings and one YAML mapping per host.
        func write(ssh: [String: String] = [:], hosts: [[String: String]]) throws {
            var lines = ["ssh:"] + ssh.sorted { $0.key < $1.key }.map { "  \($0.key): \($0.value)" }
            if ssh.isEmpty { lines = [] }
            lines.append("hosts:")
            for host in hosts {
                let keys = ["name"] + host.keys.filter { $0 != "name" }.sorted()
                for (index, key) in keys.enumerated() {
                    lines.append("\(index == 0 ? "  - " : "    ")\(key): \(host[key] ?? "")")
                }
            }
            try (lines.joined(separator: "\n") + "\n").write(toFile: configPath, atomically: true, encoding: .utf8)
        }

        /// Runs jarvis and waits for it off the cooperative pool.
        func run(_ arguments: [String]) async throws -> JarvisProcess.Result {
            let env = self.env
            return try await OffPool.run { try JarvisProcess.run(arguments, environment: env) }
        }

        /// Runs a command that must exit 0 and print JSON.
        func json(_ arguments: [String]) async throws -> [String: Any] {
            let result = try await run(arguments)
            try #require(result.exitCode == 0, "\(arguments): exit \(result.exitCode): \(result.stderr)")
            return try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any], "\(result.stdout)")
        }

        /// `jarvis hosts --json`, by host name.
        func hostStates() async throws -> [String: [String: Any]] {
            let hosts = try #require(try await json(["hosts", "--json"])["hosts"] as? [[String: Any]])
            return Dictionary(uniqueKeysWithValues: hosts.map { ($0["host"] as? String ?? "?", $0) })
        }
    }

    static func entries(_ report: [String: Any]) -> [String: [String: Any]] {
        let hosts = report["hosts"] as? [[String: Any]] ?? []
        return Dictionary(uniqueKeysWithValues: hosts.map { ($0["host"] as? String ?? "?", $0) })
    }

    static func transition(_ entry: [String: Any]?) -> String? {
        guard let transition = entry?["transition"] as? [String: Any] else { return nil }
        return "\(transition["from"] as? String ?? "?")>\(transition["to"] as? String ?? "?")"
    }

    /// Lines of `stderr` that announce a host transition.
    static func notifications(_ stderr: String) -> [String] {
        stderr.split(separator: "\n").map(String.init).filter { $0.contains(": host ") && $0.contains(" → ") }
    }

    // MARK: - Configuration

    @Test func aBadInventoryExits78AndListsEveryProblemWithItsKeyPath() async throws {
        let setup = try Setup()
        try """
        hosts:
          - name: edge
            address: 127.0.0.1
            port: 70000
            parents: [core]
          - name: core
            address: 127.0.0.1
            parents: [edge]
          - name: edge
            address: 127.0.0.2
            parents: [nowhere]
          - name: db
            address: 127.0.0.3
            colour: blue
        ssh:
          probe_timeout: never
        """.write(toFile: setup.configPath, atomically: true, encoding: .utf8)
        let check = try await setup.run(["check-config"])
        #expect(check.exitCode == 78)
        for expected in [
            "hosts[0].port: port 70000 is outside 1...65535",
            "hosts[0].parents: parent cycle: edge → core → edge",
            "hosts[2].name: duplicate host name \"edge\" (first at hosts[0])",
            "hosts[2].parents[0]: parent \"nowhere\" is not a host of the inventory",
            "hosts[3].colour: unknown setting",
            "ssh.probe_timeout: invalid duration",
        ] {
            #expect(check.stderr.contains(expected), "missing \(expected) in:\n\(check.stderr)")
        }
        #expect(check.stderr.contains("has 6 problems"), "\(check.stderr)")
        // Every other command refuses the configuration too, in one line
        let probe = try await setup.run(["probe-hosts"])
        #expect(probe.exitCode == 78)
        #expect(probe.stderr.split(separator: "\n").count == 1, "\(probe.stderr)")
    }

    @Test func helpTeachesTheHostCommands() throws {
        let root = try JarvisProcess.run(["--help"])
        #expect(root.stdout.contains("probe-hosts") && root.stdout.contains("hosts "))
        for arguments in [["probe-hosts", "--help"], ["hosts", "--help"], ["hosts", "list", "--help"], ["hosts", "scan", "--help"]] {
            let help = try JarvisProcess.run(arguments)
            #expect(help.exitCode == 0)
            #expect(help.stdout.contains("Examples:"), "\(arguments)")
        }
        let probe = try JarvisProcess.run(["probe-hosts", "--help"])
        for words in ["--auth", "--dry-run", "--json", "recheck_interval", "CHECKING", "Exit codes: 0 when the run completed"] {
            #expect(probe.stdout.contains(words), "probe-hosts --help lacks \(words)")
        }
    }

    // MARK: - probe-hosts over a mixed inventory

    @Test(.enabled(if: sshdAvailable))
    func deadHostsGoOfflineAtTheThirdRunOnceEachAndAreNotReprobedWithinTheInterval() async throws {
        let server = try await OffPool.run { try TestSSHD.start() }
        defer { server.stop() }
        let silent = try SilentListener()
        defer { silent.close() }
        let setup = try Setup()
        let dead = ["closed1", "closed2", "silent1", "silent2", "silent3"]
        try setup.write(
            ssh: ["probe_timeout": "1"],
            hosts: [
                ["name": "sshd", "address": "127.0.0.1", "port": "\(server.port)"],
                ["name": "closed1", "address": "127.0.0.1", "port": "\(try LoopbackPorts.closedPort())"],
                ["name": "closed2", "address": "127.0.0.1", "port": "\(try LoopbackPorts.closedPort())"],
                ["name": "silent1", "address": "127.0.0.1", "port": "\(silent.port)"],
                ["name": "silent2", "address": "127.0.0.1", "port": "\(silent.port)"],
                ["name": "silent3", "address": "127.0.0.1", "port": "\(silent.port)"],
                ["name": "skynet", "address": "127.0.0.1", "local": "true"],
            ])
        var notifications: [String] = []
        let clock = ContinuousClock()
        for run in 1...3 {
            // When probe-hosts runs (a new process each time)
            let start = clock.now
            let result = try await setup.run(["probe-hosts", "--json"])
            let wall = start.duration(to: clock.now)
            try #require(result.exitCode == 0, "run \(run): \(result.stderr)")
            notifications += Self.notifications(result.stderr)
            let report = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
            let entries = Self.entries(report)
            // Then every host was checked, in about one probe timeout for all (three silent
            // hosts alone would take 3 s one after the other)
            let elapsed = try #require(report["elapsed_ms"] as? Int)
            #expect(elapsed >= 950 && elapsed < 2900, "run \(run): checks took \(elapsed) ms for a 1 s probe timeout")
            _ = wall  // speed is measured by benchmarks; parallelism is proven in HostProbeTests
            #expect(entries.values.allSatisfy { $0["checked"] as? Bool == true })
            #expect(entries["sshd"]?["outcome"] as? String == "answered")
            #expect(entries["skynet"]?["outcome"] as? String == "local-ok")
            for name in dead {
                #expect(entries[name]?["outcome"] as? String == "probe-failed")
                #expect(entries[name]?["consecutive_failures"] as? Int == run, "\(name) after run \(run)")
                // And the third run, not before, is the one that makes the dead hosts OFFLINE
                #expect(Self.transition(entries[name]) == (run == 3 ? "ONLINE>OFFLINE" : nil), "\(name) run \(run)")
            }
            #expect(Self.transition(entries["sshd"]) == nil && Self.transition(entries["skynet"]) == nil)
        }
        // Exactly one notification per transition
        #expect(notifications.count == dead.count, "\(notifications)")
        for name in dead {
            #expect(notifications.filter { $0.contains("host \(name): ONLINE → OFFLINE after 3 consecutive failed attempts") }.count == 1)
        }
        // The state the runs wrote is what the next process sees
        let states = try await setup.hostStates()
        for name in dead {
            #expect(states[name]?["state"] as? String == "OFFLINE")
            #expect(states[name]?["consecutive_failures"] as? Int == 3)
            #expect(states[name]?["next_check_at"] is String)
        }
        #expect(states["closed1"]?["last_error"] as? String == "probe: connection refused")
        #expect(states["silent1"]?["last_error"] as? String == "probe: no SSH banner within the timeout")
        #expect(states["sshd"]?["state"] as? String == "ONLINE" && states["skynet"]?["state"] as? String == "ONLINE")
        #expect(states["skynet"]?["last_success_at"] is String)

        // When a fourth run comes within the re-check interval (300 s)
        let start = clock.now
        let fourth = try await setup.run(["probe-hosts"])
        _ = start
        #expect(fourth.exitCode == 0)
        // Then the OFFLINE hosts are skipped, and the output says why; nothing silent is waited for
        for name in dead {
            let line = fourth.stdout.split(separator: "\n").first { $0.hasPrefix(name + " ") } ?? ""
            #expect(line.contains("skipped: OFFLINE, re-check interval 300s not passed; next probe in"), "\(line)")
        }
        #expect(fourth.stdout.contains("5 OFFLINE skipped (re-check interval 300s not passed)"), "\(fourth.stdout)")
        #expect(Self.notifications(fourth.stderr).isEmpty)
        let after = try await setup.hostStates()
        for name in dead { #expect(after[name]?["last_checked_at"] as? String == states[name]?["last_checked_at"] as? String) }
    }

    @Test func dryRunPrintsThePlanAndWritesNothing() async throws {
        let setup = try Setup()
        try setup.write(hosts: [
            ["name": "closed", "address": "127.0.0.1", "port": "\(try LoopbackPorts.closedPort())"],
            ["name": "skynet", "address": "127.0.0.1", "local": "true"],
        ])
        let result = try await setup.run(["probe-hosts", "--dry-run"])
        #expect(result.exitCode == 0, "\(result.stderr)")
        #expect(result.stdout.contains("would probe (TCP + SSH banner)"))
        #expect(result.stdout.contains("would run `true` locally"))
        #expect(result.stdout.contains("would check 2 of 2 hosts; nothing probed, nothing written"))
        #expect(!FileManager.default.fileExists(atPath: setup.dir.file("state/jarvis.sqlite")))
        let states = try await setup.hostStates()
        #expect(states["closed"]?["consecutive_failures"] as? Int == 0)
        #expect(states["closed"]?["last_checked_at"] is NSNull)
    }

    // MARK: - OFFLINE → CHECKING → ONLINE

    /// The shipped timer unit's command line without the binary: what systemd runs.
    static func shippedProbeCommand() throws -> [String] {
        let unit = try String(
            contentsOf: Fixtures.repositoryRoot.appendingPathComponent("systemd/jarvis-probe-hosts.service"), encoding: .utf8)
        let line = try #require(unit.split(separator: "\n").first { $0.hasPrefix("ExecStart=") })
        let words = line.dropFirst("ExecStart=".count).split(separator: " ").map(String.init)
        try #require(words.first?.hasSuffix("/jarvis") == true, "\(line)")
        return Array(words.dropFirst())
    }

    @Test(.enabled(if: sshdAvailable))
    func aHostTakenDownAndBroughtBackRecoversUnderTheShippedTimerWithOneMessage() async throws {
        let command = try Self.shippedProbeCommand()
        #expect(command == ["probe-hosts"], "the timer runs plain probe-hosts: \(command)")
        let server = try await OffPool.run { try TestSSHD.start() }
        defer { server.stop() }
        let discord = try TestDiscordServer()
        let setup = try Setup()
        setup.extraEnvironment["JARVIS_DISCORD_WEBHOOK_URL"] = discord.webhookURL
        let host = [
            "name": "phoenix", "address": "127.0.0.1", "port": "\(server.port)", "user": server.user,
            "identity_file": server.clientIdentityFile, "known_hosts_file": server.knownHostsFile,
        ]
        // recheck_interval 0: every run may re-probe the OFFLINE host
        try setup.write(ssh: ["probe_timeout": "1", "connect_timeout": "5", "recheck_interval": "0"], hosts: [host])
        var stderr = ""
        var states: [String] = []
        func run() async throws {
            let result = try await setup.run(command)
            try #require(result.exitCode == 0, "\(result.stdout) \(result.stderr)")
            stderr += result.stderr
            states.append(try await setup.hostStates()["phoenix"]?["state"] as? String ?? "?")
        }
        // Given an ONLINE host
        try await run()
        // When its sshd is stopped: three failed probes make it OFFLINE
        server.pause()
        for _ in 1...3 { try await run() }
        // And when it is started again: a probe makes it CHECKING, the next run's session ONLINE
        try await OffPool.run { try server.resume() }
        try await run()
        try await run()
        try await run()
        #expect(states == ["ONLINE", "ONLINE", "ONLINE", "OFFLINE", "CHECKING", "ONLINE", "ONLINE"], "\(stderr)")
        let state = try #require(try await setup.hostStates()["phoenix"])
        #expect(state["consecutive_failures"] as? Int == 0)
        #expect(state["last_error"] is NSNull)

        // One notification line per transition, and exactly one recovery message on Discord
        let lines = Self.notifications(stderr)
        #expect(lines.filter { $0.contains("host phoenix: ONLINE → OFFLINE") }.count == 1, "\(lines)")
        #expect(lines.filter { $0.contains("host phoenix: OFFLINE → CHECKING") }.count == 1, "\(lines)")
        #expect(lines.filter { $0.contains("host phoenix: CHECKING → ONLINE") }.count == 1, "\(lines)")
        let titles = NotificationCLITests.titles(discord)
        #expect(titles.filter { $0.contains("offline") }.count == 1, "\(titles)")
        #expect(titles.filter { $0.lowercased().contains("recovered") || $0.lowercased().contains("back online") }.count == 1, "\(titles)")
    }

    @Test(.enabled(if: sshdAvailable))
    func aCheckingHostWhoseSessionFailsGoesBackOffline() async throws {
        let server = try await OffPool.run { try TestSSHD.start() }
        defer { server.stop() }
        let setup = try Setup()
        let wrongKey = try server.makeKeyPair(name: "not-authorized")
        var host = [
            "name": "phoenix", "address": "127.0.0.1", "port": "\(server.port)", "user": server.user,
            "identity_file": wrongKey, "known_hosts_file": server.knownHostsFile,
        ]
        let ssh = ["probe_timeout": "1", "connect_timeout": "5", "recheck_interval": "0", "offline_after": "1"]
        try setup.write(ssh: ssh, hosts: [host])
        server.pause()
        #expect(try await setup.run(["probe-hosts"]).exitCode == 0)
        #expect(try await setup.hostStates()["phoenix"]?["state"] as? String == "OFFLINE")
        try await OffPool.run { try server.resume() }
        #expect(try await setup.run(["probe-hosts"]).exitCode == 0)
        #expect(try await setup.hostStates()["phoenix"]?["state"] as? String == "CHECKING")
        // The plain run logs in on a CHECKING host; a refused login is a failed attempt
        let failed = try await setup.run(["probe-hosts", "--json"])
        let entries = Self.entries(try #require(try JSONSerialization.jsonObject(with: Data(failed.stdout.utf8)) as? [String: Any]))
        #expect(entries["phoenix"]?["outcome"] as? String == "session-failed", "\(failed.stdout)")
        #expect(Self.transition(entries["phoenix"]) == "CHECKING>OFFLINE")
        // With the right key it comes back through CHECKING
        host["identity_file"] = server.clientIdentityFile
        try setup.write(ssh: ssh, hosts: [host])
        #expect(try await setup.run(["probe-hosts"]).exitCode == 0)
        #expect(try await setup.run(["probe-hosts"]).exitCode == 0)
        #expect(try await setup.hostStates()["phoenix"]?["state"] as? String == "ONLINE")
    }

    // MARK: - hosts scan and host keys

    @Test(.enabled(if: sshdAvailable))
    func aScannedKeyLetsAuthSucceedAndAWrongKeyIsRefusedNamingTheFingerprint() async throws {
        let server = try await OffPool.run { try TestSSHD.start() }
        defer { server.stop() }
        let setup = try Setup()
        let knownHosts = setup.dir.file("known_hosts")
        try setup.write(
            ssh: ["probe_timeout": "2", "connect_timeout": "5"],
            hosts: [
                [
                    "name": "outpost", "address": "127.0.0.1", "port": "\(server.port)", "user": server.user,
                    "identity_file": server.clientIdentityFile, "known_hosts_file": knownHosts,
                ],
                ["name": "skynet", "address": "127.0.0.1", "local": "true"],
            ])

        // Given no known_hosts file: --auth refuses the unknown key and says what to do
        let unknown = try await setup.run(["probe-hosts", "--auth"])
        #expect(unknown.exitCode == 0)
        let unknownLine = unknown.stdout.split(separator: "\n").first { $0.hasPrefix("outpost ") } ?? ""
        #expect(unknownLine.contains("unknown key") && unknownLine.contains(server.hostKeyFingerprint), "\(unknownLine)")

        // When a person scans the key
        let scan = try await setup.run(["hosts", "scan", "outpost"])
        #expect(scan.exitCode == 0, "\(scan.stderr)")
        let line = scan.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let serverKey = server.hostPublicKey.split(separator: " ").prefix(2).joined(separator: " ")
        #expect(line == "[127.0.0.1]:\(server.port) \(serverKey)")
        #expect(scan.stderr.contains(server.hostKeyFingerprint))
        #expect(scan.stderr.contains("jarvis wrote nothing"))
        #expect(!FileManager.default.fileExists(atPath: knownHosts), "scan must never write known_hosts")

        // And adds the line it printed: --auth then succeeds
        try (line + "\n").write(toFile: knownHosts, atomically: true, encoding: .utf8)
        let trusted = try await setup.json(["probe-hosts", "--auth", "--json"])
        #expect(Self.entries(trusted)["outpost"]?["outcome"] as? String == "session-ok", "\(trusted)")

        // When known_hosts holds another key for the host: refused, naming the fingerprint seen
        let other = setup.dir.file("other_host_key")
        let keygen = try TestCommand.run("/usr/bin/ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-f", other])
        #expect(keygen.status == 0)
        let otherKey = try String(contentsOfFile: other + ".pub", encoding: .utf8).split(separator: " ").prefix(2).joined(separator: " ")
        try "[127.0.0.1]:\(server.port) \(otherKey)\n".write(toFile: knownHosts, atomically: true, encoding: .utf8)
        let refused = try await setup.json(["probe-hosts", "--auth", "--json"])
        let detail = Self.entries(refused)["outpost"]?["detail"] as? String ?? ""
        #expect(Self.entries(refused)["outpost"]?["outcome"] as? String == "host-key-refused")
        #expect(detail.contains("changed key") && detail.contains("[127.0.0.1]:\(server.port) \(otherKey)"), "\(detail)")
        #expect(detail.contains(server.hostKeyFingerprint), "\(detail)")

        // And scan refuses names it does not know and the local host
        let missing = try await setup.run(["hosts", "scan", "nowhere"])
        #expect(missing.exitCode == 64, "a usage error, as maintenance start --host says of an unknown host")
        #expect(missing.stderr.contains("no host named \"nowhere\"") && missing.stderr.contains("outpost, skynet"))
        let local = try await setup.run(["hosts", "scan", "skynet"])
        #expect(local.exitCode == 64)
        #expect(local.stderr.contains("is local"))
    }

    @Test func scanningAHostThatRefusesExits75() async throws {
        let setup = try Setup()
        try setup.write(hosts: [["name": "gone", "address": "127.0.0.1", "port": "\(try LoopbackPorts.closedPort())"]])
        let result = try await setup.run(["hosts", "scan", "gone"])
        #expect(result.exitCode == 75)
        #expect(result.stderr.contains("host gone") && result.stderr.contains("refused"), "\(result.stderr)")
        #expect(result.stdout.isEmpty)
    }

    // MARK: - PostgreSQL

    @Test(.enabled(if: postgresAvailable))
    func withPostgresHostStatusLogGetsExactlyOneRowPerTransition() async throws {
        let postgres = try await OffPool.run { try TestPostgres() }
        defer { postgres.destroy() }
        let silent = try SilentListener()
        defer { silent.close() }
        let setup = try Setup()
        setup.extraEnvironment["DATABASE_URL"] = postgres.url
        try setup.write(
            ssh: ["probe_timeout": "1"],
            hosts: [
                ["name": "closed", "address": "127.0.0.1", "port": "\(try LoopbackPorts.closedPort())"],
                ["name": "silent", "address": "127.0.0.1", "port": "\(silent.port)"],
                ["name": "skynet", "address": "127.0.0.1", "local": "true"],
            ])
        let migrate = try await setup.run(["migrate"])
        try #require(migrate.exitCode == 0, "\(migrate.stderr)")

        // Given four probe runs: the third makes two hosts OFFLINE, the fourth skips them
        for run in 1...4 {
            let result = try await setup.run(["probe-hosts"])
            try #require(result.exitCode == 0, "run \(run): \(result.stderr)")
            if run == 3 { #expect(result.stdout.contains("2 host_status_log rows queued for PostgreSQL"), "\(result.stdout)") }
        }
        // When the journal is drained, twice
        for _ in 0..<2 {
            let drain = try await setup.run(["drain"])
            #expect(drain.exitCode == 0, "\(drain.stderr)")
        }
        // Then exactly one row per transition, with its details
        #expect(try PSQL.int(postgres.url, "SELECT count(*) FROM host_status_log") == 2)
        for host in ["closed", "silent"] {
            #expect(
                try PSQL.int(
                    postgres.url,
                    """
                    SELECT count(*) FROM host_status_log WHERE host = '\(host)' AND from_state = 'online' AND to_state = 'offline'
                    AND consecutive_failures = 3 AND error LIKE 'probe: %' AND last_success_at IS NULL AND runner <> ''
                    """) == 1)
        }
        #expect(try PSQL.scalar(postgres.url, "SELECT error FROM host_status_log WHERE host = 'closed'") == "probe: connection refused")
        #expect(try PSQL.int(postgres.url, "SELECT count(*) FROM host_status_log WHERE host = 'skynet'") == 0)
    }
}
