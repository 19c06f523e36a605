import Foundation
import JarvisCore
import JarvisSSH
import JarvisTestSupport
import Testing

extension SSHIntegrationTests {
    /// Integration tests against a real sshd on 127.0.0.1 (each test starts its own server).
    @Suite
    struct SSHSessionTests {
        @Test func stdoutStderrAndExitStatusComeBackSeparately() throws {
            let server = try TestSSHD.start()
            defer { server.stop() }
            let session = try SSHSession(host: server.host(), connectTimeout: .seconds(5))
            let result = try session.run(argv: ["sh", "-c", "echo out; echo err >&2; exit 3"], timeout: .seconds(10))
            #expect(result.stdoutText == "out\n")
            #expect(result.stderrText == "err\n")
            #expect(result.exitStatus == 3)
            #expect(result.exitSignal == nil)
            #expect(!result.timedOut)
            #expect(!result.stdoutTruncated && !result.stderrTruncated)
            // The same session runs a second command.
            let second = try session.run(argv: ["true"], timeout: .seconds(10))
            #expect(second.exitStatus == 0 && second.succeeded)
        }

        @Test func aCommandKilledByASignalReportsTheSignal() throws {
            let server = try TestSSHD.start()
            defer { server.stop() }
            let session = try SSHSession(host: server.host(), connectTimeout: .seconds(5))
            let result = try session.run(argv: ["sh", "-c", "echo before; kill -KILL $$"], timeout: .seconds(10))
            #expect(result.exitSignal == "KILL")
            #expect(result.exitStatus == nil)
            #expect(result.stdoutText == "before\n")
            #expect(!result.timedOut)
        }

        @Test func tenMebibytesOfOutputAreCappedAndFlaggedWithoutHoldingThemInMemory() throws {
            let server = try TestSSHD.start()
            defer { server.stop() }
            let session = try SSHSession(host: server.host(), connectTimeout: .seconds(5))
            let before = Self.maxResidentBytes()
            // Given 10 MiB on stdout and 10 MiB on stderr at the same time
            let result = try session.run(
                argv: ["sh", "-c", "head -c 10485760 /dev/zero | tr '\\0' o & head -c 10485760 /dev/zero | tr '\\0' e >&2; wait; exit 0"],
                timeout: .seconds(30))
            // Then each stream keeps exactly the cap, flags the cut, and the command still ran to its end.
            #expect(result.stdout.count == 64 * 1024)
            #expect(result.stderr.count == 64 * 1024)
            #expect(result.stdoutTruncated && result.stderrTruncated)
            #expect(result.stdout.allSatisfy { $0 == UInt8(ascii: "o") })
            #expect(result.stderr.allSatisfy { $0 == UInt8(ascii: "e") })
            #expect(result.exitStatus == 0)
            // The peak resident size grew by far less than the 20 MiB that went through.
            #expect(Self.maxResidentBytes() - before < 8 * 1024 * 1024)
        }

        @Test func aSmallCapIsHonoured() throws {
            let server = try TestSSHD.start()
            defer { server.stop() }
            let session = try SSHSession(host: server.host(), connectTimeout: .seconds(5))
            let result = try session.run(argv: ["printf", "%s", "0123456789"], timeout: .seconds(10), outputCap: 4)
            #expect(result.stdoutText == "0123")
            #expect(result.stdoutTruncated)
        }

        @Test func aWrongHostKeyIsRefusedAndNothingRuns() throws {
            let server = try TestSSHD.start()
            defer { server.stop() }
            // Given a known_hosts entry for this [127.0.0.1]:port with another key
            let otherKey = try server.makeKeyPair(name: "other_host_key")
            let otherPublic = try String(contentsOfFile: otherKey + ".pub", encoding: .utf8).split(separator: " ").prefix(2).joined(separator: " ")
            let knownHosts = try server.writeKnownHosts(name: "wrong_known_hosts", lines: ["[127.0.0.1]:\(server.port) \(otherPublic)"])
            let marker = try server.makeSharedFolder() + "/marker"
            // When jarvis tries to run a command there
            let error = #expect(throws: SSHError.self) {
                let session = try SSHSession(host: server.host(name: "victim", knownHostsFile: knownHosts), connectTimeout: .seconds(5))
                _ = try session.run(argv: ["touch", marker], timeout: .seconds(5))
            }
            // Then it refuses, naming the host and the fingerprint it saw, and the command never ran.
            #expect(error?.code == .hostKeyMismatch)
            #expect(error?.host == "victim")
            #expect(error?.fingerprint == server.hostKeyFingerprint)
            #expect(error?.description.contains(server.hostKeyFingerprint) == true)
            #expect(error?.description.contains("victim") == true)
            #expect(error?.isConnectionClass == false)
            #expect(!FileManager.default.fileExists(atPath: marker))
        }

        @Test func anUnknownHostIsRefused() throws {
            let server = try TestSSHD.start()
            defer { server.stop() }
            // Known for another port only: the [host]:port form must match exactly.
            let key = server.hostPublicKey.split(separator: " ").prefix(2).joined(separator: " ")
            let knownHosts = try server.writeKnownHosts(name: "other_port", lines: ["[127.0.0.1]:\(server.port + 1) \(key)"])
            for file in [knownHosts, "/nonexistent/known_hosts"] {
                let error = #expect(throws: SSHError.self) {
                    _ = try SSHSession(host: server.host(knownHostsFile: file), connectTimeout: .seconds(5))
                }
                #expect(error?.code == .hostKeyUnknown)
                #expect(error?.fingerprint == server.hostKeyFingerprint)
            }
            let noFile = #expect(throws: SSHError.self) {
                var host = server.host()
                host.knownHostsFile = nil
                _ = try SSHSession(host: host, connectTimeout: .seconds(5))
            }
            #expect(noFile?.code == .hostKeyUnknown)
        }

        @Test func aBareKnownHostsLineMatchesAnyPortAsLibssh2Does() throws {
            let server = try TestSSHD.start()
            defer { server.stop() }
            let key = server.hostPublicKey.split(separator: " ").prefix(2).joined(separator: " ")
            let knownHosts = try server.writeKnownHosts(name: "bare", lines: ["127.0.0.1 \(key)"])
            let session = try SSHSession(host: server.host(knownHostsFile: knownHosts), connectTimeout: .seconds(5))
            #expect(try session.run(argv: ["true"], timeout: .seconds(5)).exitStatus == 0)
        }

        @Test func aWrongClientKeyIsAnAuthenticationError() throws {
            let server = try TestSSHD.start()
            defer { server.stop() }
            let stranger = try server.makeKeyPair(name: "stranger")
            let error = #expect(throws: SSHError.self) {
                _ = try SSHSession(host: server.host(identityFile: stranger), connectTimeout: .seconds(5))
            }
            #expect(error?.code == .authFailed)
            #expect(error?.isConnectionClass == false)
        }

        @Test func rsaKeyFilesAuthenticate() throws {
            let server = try TestSSHD.start()
            defer { server.stop() }
            let rsa = try server.makeKeyPair(name: "client_rsa", type: "rsa", authorize: true)
            let session = try SSHSession(host: server.host(identityFile: rsa), connectTimeout: .seconds(5))
            #expect(try session.run(argv: ["id", "-un"], timeout: .seconds(5)).stdoutText == "\(server.user)\n")
        }

        @Test func theSSHAgentIsUsedWhenNoIdentityFileIsGiven() throws {
            let server = try TestSSHD.start()
            defer { server.stop() }
            let agent = try TestSSHAgent.start(in: server.directory)
            defer { agent.stop() }
            try agent.add(server.clientIdentityFile)
            var host = server.host()
            host.identityFile = nil
            let session = try SSHSession(host: host, connectTimeout: .seconds(5), agentSocketPath: agent.socketPath)
            #expect(try session.run(argv: ["echo", "via agent"], timeout: .seconds(5)).stdoutText == "via agent\n")

            let none = #expect(throws: SSHError.self) {
                _ = try SSHSession(host: host, connectTimeout: .seconds(5), agentSocketPath: nil)
            }
            #expect(none?.code == .authFailed)
        }

        @Test(arguments: [
            "a; touch /tmp/jarvis-pwned",
            "$(id -un)",
            "`id -un`",
            "line1\nline2\n",
            "it's \"quoted\" \\ backslash",
            "* ? [a] ~ # & | > < ! {a,b} $HOME ${PATH}",
            "",
            "  spaces  ",
            "ünïcødé ✓",
        ])
        func shellMetacharactersArriveLiterally(argument: String) throws {
            let server = try TestSSHD.start()
            defer { server.stop() }
            let session = try SSHSession(host: server.host(), connectTimeout: .seconds(5))
            let result = try session.run(argv: ["printf", "%s", argument], timeout: .seconds(5))
            #expect(result.stdoutText == argument)
            #expect(result.exitStatus == 0)
            #expect(!FileManager.default.fileExists(atPath: "/tmp/jarvis-pwned"))
        }

        @Test func aCommandPastItsTimeoutIsStoppedAndDoesNotKeepRunning() async throws {
            let server = try TestSSHD.start()
            defer { server.stop() }
            let folder = try server.makeSharedFolder()
            let marker = "\(folder)/after-sleep"
            let token = "jarvis-timeout-\(server.port)"
            let session = try SSHSession(host: server.host(), connectTimeout: .seconds(5))
            // Given a command that sleeps 4 s and then writes a marker, with a 1 s timeout
            let clock = ContinuousClock()
            let start = clock.now
            let result = try session.run(argv: ["sh", "-c", "echo started; sleep 4; touch \(marker)", token], timeout: .seconds(1))
            let elapsed = start.duration(to: clock.now)
            // Then it is reported timed out soon after 1 s, with what it printed so far
            #expect(result.timedOut)
            #expect(result.stdoutText == "started\n")
            #expect(elapsed < .milliseconds(3900))  // before the 4 s sleep ends
            // And the remote process is gone: nothing matches it, and the marker never appears.
            let pgrep = try TestCommand.run("/usr/bin/pgrep", ["-f", token], check: false)
            #expect(pgrep.stdout.isEmpty)
            try await Task.sleep(for: .seconds(4))
            #expect(!FileManager.default.fileExists(atPath: marker))
        }

        @Test func aCommandIgnoringSIGTERMIsKilled() throws {
            let server = try TestSSHD.start()
            defer { server.stop() }
            let session = try SSHSession(host: server.host(), connectTimeout: .seconds(5))
            let result = try session.run(argv: ["sh", "-c", "trap '' TERM; sleep 30"], timeout: .milliseconds(500))
            #expect(result.timedOut)
            #expect(result.duration < .seconds(20))  // far from the 30 s sleep
        }

        @Test func aChannelThatOutlivesTheRemoteTimeoutIsAbandonedAtTheHardDeadline() throws {
            let server = try TestSSHD.start()
            defer { server.stop() }
            let session = try SSHSession(host: server.host(), connectTimeout: .seconds(5))
            // A grandchild escapes timeout's process group with setsid and keeps stdout open,
            // so no end of file comes: jarvis gives up at timeout + kill-after + 1 s.
            let result = try session.run(argv: ["sh", "-c", "setsid sleep 6 & echo started; sleep 6"], timeout: .milliseconds(500))
            #expect(result.timedOut)
            #expect(result.exitStatus == nil)
            #expect(result.stdoutText == "started\n")
            #expect(result.duration >= .milliseconds(3400) && result.duration < .milliseconds(5900))
            // The session is unusable afterwards, and tearing it down does not hang.
        }

        @Test func scanningReturnsTheHostKeyAsAKnownHostsLine() throws {
            let server = try TestSSHD.start()
            defer { server.stop() }
            let scanned = try KnownHostsScanner.scan(server.host(knownHostsFile: "/nonexistent"), timeout: .seconds(5))
            let key = server.hostPublicKey.split(separator: " ").prefix(2).joined(separator: " ")
            #expect(scanned.knownHostsLine == "[127.0.0.1]:\(server.port) \(key)")
            #expect(scanned.fingerprint == server.hostKeyFingerprint)
            #expect(scanned.algorithm == "ssh-ed25519")
            // The scanned line is accepted by the strict check.
            let file = try server.writeKnownHosts(name: "scanned", lines: [scanned.knownHostsLine])
            _ = try SSHSession(host: server.host(knownHostsFile: file), connectTimeout: .seconds(5))
        }

        static func maxResidentBytes() -> Int {
            var usage = rusage()
            getrusage(RUSAGE_SELF.rawValue, &usage)
            return usage.ru_maxrss * 1024
        }
    }
}
