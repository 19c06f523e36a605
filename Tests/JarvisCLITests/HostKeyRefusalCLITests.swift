import Foundation
import JarvisCore
import JarvisTestSupport
import Testing

/// A refused host key through the binary, a real sshd, PostgreSQL and the Discord stand-in:
/// one critical message with the offered key's fingerprint and the known_hosts line it
/// conflicts with, one `host_status_log` row, and no session to that host again until its
/// known_hosts file changes.
@Suite(.serialized, .timeLimit(.minutes(3)))
struct HostKeyRefusalCLITests {
    typealias Setup = HostsCLITests.Setup

    /// sshd's count of accepted TCP connections so far.
    static func connections(_ server: TestSSHD) -> Int {
        let log = (try? String(contentsOfFile: server.logFile, encoding: .utf8)) ?? ""
        return log.components(separatedBy: "Connection from").count - 1
    }

    @Test(.enabled(if: HostsCLITests.sshdAvailable && HostsCLITests.postgresAvailable))
    func aChangedKeyIsOneCriticalMessageOneLogRowAndNoSessionUntilKnownHostsChanges() async throws {
        let server = try await OffPool.run { try TestSSHD.start() }
        defer { server.stop() }
        let postgres = try await OffPool.run { try TestPostgres() }
        defer { postgres.destroy() }
        let discord = try TestDiscordServer()
        let setup = try Setup()
        setup.extraEnvironment["DATABASE_URL"] = postgres.url
        setup.extraEnvironment["JARVIS_DISCORD_WEBHOOK_URL"] = discord.webhookURL
        let knownHosts = setup.dir.file("known_hosts")
        let other = setup.dir.file("other_host_key")
        _ = try TestCommand.run("/usr/bin/ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-f", other])
        let otherKey = try String(contentsOfFile: other + ".pub", encoding: .utf8).split(separator: " ").prefix(2).joined(separator: " ")
        let conflicting = "[127.0.0.1]:\(server.port) \(otherKey)"
        try (conflicting + "\n").write(toFile: knownHosts, atomically: true, encoding: .utf8)
        try setup.write(
            ssh: ["probe_timeout": "2", "connect_timeout": "5", "recheck_interval": "0"],
            hosts: [
                [
                    "name": "outpost", "address": "127.0.0.1", "port": "\(server.port)", "user": server.user,
                    "identity_file": server.clientIdentityFile, "known_hosts_file": knownHosts,
                ]
            ])
        let migrate = try await setup.run(["migrate"])
        try #require(migrate.exitCode == 0, "\(migrate.stderr)")

        // Given a host whose key changed: the session is refused as a security event
        let before = Self.connections(server)
        let first = try await setup.json(["probe-hosts", "--auth", "--json"])
        let entry = HostsCLITests.entries(first)["outpost"]
        #expect(entry?["outcome"] as? String == "host-key-refused", "\(first)")
        #expect(Self.connections(server) - before == 2, "the probe and one session")

        // Then later runs never open a session to it, only the probe, and tell nobody again
        for _ in 0..<2 {
            let start = Self.connections(server)
            let again = try await setup.json(["probe-hosts", "--auth", "--json"])
            let detail = HostsCLITests.entries(again)["outpost"]?["detail"] as? String ?? ""
            #expect(detail.contains("not connecting again"), "\(detail)")
            #expect(Self.connections(server) - start == 1, "the probe only")
        }
        let titles = NotificationCLITests.titles(discord)
        #expect(titles.filter { $0.contains("Host key refused: outpost") }.count == 1, "\(titles)")
        let message = try #require(discord.requests.map(\.text).first { $0.contains("Host key refused") }).replacingOccurrences(of: "\\/", with: "/")
        #expect(message.contains(server.hostKeyFingerprint), "the offered key's fingerprint: \(message)")
        #expect(message.contains(otherKey.split(separator: " ")[1]), "the conflicting known_hosts line: \(message)")

        // And PostgreSQL gets one host_status_log row for it (beside the ONLINE → OFFLINE one
        // the failed attempts caused)
        let drain = try await setup.run(["drain"])
        #expect(drain.exitCode == 0, "\(drain.stderr)")
        #expect(
            try PSQL.int(
                postgres.url,
                """
                SELECT count(*) FROM host_status_log WHERE host = 'outpost' AND from_state = to_state
                AND error LIKE '%\(server.hostKeyFingerprint)%' AND error LIKE '%changed key%'
                """
            ) == 1)

        // When a person puts the right key in known_hosts, the next session succeeds
        let right = "[127.0.0.1]:\(server.port) " + server.hostPublicKey.split(separator: " ").prefix(2).joined(separator: " ")
        try (right + "\n").write(toFile: knownHosts, atomically: true, encoding: .utf8)
        let trusted = try await setup.json(["probe-hosts", "--auth", "--json"])
        #expect(HostsCLITests.entries(trusted)["outpost"]?["outcome"] as? String == "session-ok", "\(trusted)")
    }
}
