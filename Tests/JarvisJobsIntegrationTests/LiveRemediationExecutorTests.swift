import Foundation
import JarvisCore
import JarvisJobs
import JarvisSSH
import JarvisTestSupport
import Testing

/// The executor production remediation uses, against a real sshd on 127.0.0.1: each way a
/// remote command can end is a distinct recorded outcome, and only connection failures are
/// retried (2 s, then 4 s, with jitter; counted as one attempt for the host).
@Suite(.serialized, .enabled(if: ServerGate.runs(whenAvailable: TestSSHD.isAvailable)), .timeLimit(.minutes(2)))
struct LiveRemediationExecutorTests {
    /// What one run gave, and the waits asked for between connection attempts.
    struct Ran {
        var outcome: ExecutionOutcome
        var waits: [Double]
    }

    func run(
        _ argv: [String], on host: HostDefinition, connectTimeout: Double = 5, commandTimeout: Double = 10, outputCap: Int = 64 * 1024
    ) -> Ran {
        var settings = SSHSettings()
        settings.connectTimeout = connectTimeout
        settings.commandTimeout = commandTimeout
        settings.outputCap = outputCap
        let sleeper = RecordingSleeper()
        let executor = LiveRemediationExecutor(settings: settings, sleeper: sleeper, random: { 0.5 })
        let command = ResolvedCommand(action: "test.run", argv: argv, parameters: [:], risk: .low, kind: .acting, host: host.name)
        return Ran(outcome: executor.execute(command, on: host, timeout: commandTimeout), waits: sleeper.waits)
    }

    @Test func aRefusedConnectionIsRetriedTwiceThenOneFailedAttempt() throws {
        let host = HostDefinition(name: "refused", address: "127.0.0.1", port: try LoopbackPorts.closedPort(), knownHostsFile: "/nonexistent")
        let ran = run(["true"], on: host)
        #expect(ran.outcome.error?.contains("SSH connectFailed") == true, "\(ran.outcome)")
        #expect(ran.waits == [2, 4])
        #expect(ran.outcome.hostAttempt == .failed(error: ran.outcome.error ?? ""))
    }

    @Test func aSilentListenerTimesOutAndIsRetriedTwice() throws {
        let listener = try SilentListener()
        defer { listener.close() }
        let host = HostDefinition(name: "silent", address: "127.0.0.1", port: listener.port, knownHostsFile: "/nonexistent")
        let ran = run(["true"], on: host, connectTimeout: 0.3)
        #expect(ran.outcome.error?.contains("SSH connectTimeout") == true, "\(ran.outcome)")
        #expect(ran.waits == [2, 4])
        #expect(ran.outcome.hostAttempt != .succeeded)
    }

    @Test func anUnknownHostKeyIsRefusedAtOnce() throws {
        let server = try TestSSHD.start()
        defer { server.stop() }
        let empty = try server.writeKnownHosts(name: "empty", lines: [])
        let ran = run(["true"], on: server.host(knownHostsFile: empty))
        #expect(ran.outcome.error?.contains("SSH hostKeyUnknown") == true, "\(ran.outcome)")
        #expect(ran.outcome.error?.contains(server.hostKeyFingerprint) == true, "the offered key's fingerprint: \(ran.outcome)")
        #expect(ran.waits.isEmpty)
    }

    @Test func aChangedHostKeyIsRefusedAtOnce() throws {
        let server = try TestSSHD.start()
        defer { server.stop() }
        let other = try server.makeKeyPair(name: "other")
        let otherKey = try String(contentsOfFile: other + ".pub", encoding: .utf8).split(separator: " ").prefix(2).joined(separator: " ")
        let changed = try server.writeKnownHosts(name: "changed", lines: ["[127.0.0.1]:\(server.port) \(otherKey)"])
        let ran = run(["true"], on: server.host(knownHostsFile: changed))
        #expect(ran.outcome.error?.contains("SSH hostKeyMismatch") == true, "\(ran.outcome)")
        #expect(ran.waits.isEmpty)
    }

    @Test func aRefusedLoginIsAnAuthFailureAndIsNotRetried() throws {
        let server = try TestSSHD.start()
        defer { server.stop() }
        let stranger = try server.makeKeyPair(name: "stranger")
        let ran = run(["true"], on: server.host(identityFile: stranger))
        #expect(ran.outcome.error?.contains("SSH authFailed") == true, "\(ran.outcome)")
        #expect(ran.waits.isEmpty)
    }

    @Test func aCommandThatRunsTooLongTimesOutAndIsNotRunAgain() throws {
        let server = try TestSSHD.start()
        defer { server.stop() }
        let folder = try server.makeSharedFolder()
        let ran = run(["sh", "-c", "echo run >> \(folder)/runs; sleep 10"], on: server.host(), commandTimeout: 1)
        #expect(ran.outcome.error == "timed out", "\(ran.outcome)")
        #expect(ran.outcome.hostAttempt == .succeeded, "the session ran: the host answered")
        #expect(ran.waits.isEmpty)
        #expect(try String(contentsOfFile: "\(folder)/runs", encoding: .utf8) == "run\n")
    }

    @Test func tenMebibytesOfOutputAreReadAndCappedAndTheCommandSucceeds() throws {
        let server = try TestSSHD.start()
        defer { server.stop() }
        let ran = run(["sh", "-c", "head -c 10485760 /dev/zero | tr '\\0' x; echo done >&2"], on: server.host(), outputCap: 64 * 1024)
        #expect(ran.outcome.succeeded, "\(ran.outcome.error ?? "")")
        #expect(ran.outcome.exitStatus == 0)
        #expect(ran.outcome.stdout.utf8.count == 64 * 1024)
        #expect(ran.outcome.stderr.contains("done"))
    }

    @Test func aCommandKilledByASignalIsReportedAsSuch() throws {
        let server = try TestSSHD.start()
        defer { server.stop() }
        let ran = run(["sh", "-c", "kill -KILL $$"], on: server.host())
        #expect(ran.outcome.error?.contains("killed by signal KILL") == true, "\(ran.outcome)")
        #expect(ran.outcome.exitStatus == nil)
        #expect(ran.waits.isEmpty)
    }
}
