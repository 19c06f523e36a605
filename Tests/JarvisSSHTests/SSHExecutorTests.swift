import Foundation
import JarvisCore
import JarvisSSH
import JarvisTestSupport
import Testing

extension SSHIntegrationTests {
    @Suite
    struct SSHExecutorTests {
        let t0 = Timestamp(seconds: 1_800_000_000)

        @Test func aCommandRunsAndTheHostAttemptSucceeds() async throws {
            let server = try TestSSHD.start()
            defer { server.stop() }
            let executor = SSHExecutor(connectTimeout: .seconds(5), agentSocketPath: nil, sleeper: RecordingSleeper())
            let execution = executor.run(["sh", "-c", "echo ok; exit 3"], on: server.host(), timeout: .seconds(10))
            let result = try execution.result.get()
            #expect(result.stdoutText == "ok\n")
            #expect(result.exitStatus == 3)
            #expect(execution.connectionAttempts == 1)
            #expect(execution.hostAttempt == .succeeded)
        }

        @Test func aWrongClientKeyIsAnAuthErrorAndIsNotRetried() async throws {
            let server = try TestSSHD.start()
            defer { server.stop() }
            let stranger = try server.makeKeyPair(name: "stranger")
            let sleeper = RecordingSleeper()
            let executor = SSHExecutor(connectTimeout: .seconds(5), agentSocketPath: nil, sleeper: sleeper)
            let execution = executor.run(["true"], on: server.host(identityFile: stranger))
            #expect(throws: SSHError.self) { try execution.result.get() }
            if case .failure(let error) = execution.result { #expect(error.code == .authFailed) }
            #expect(execution.connectionAttempts == 1)
            #expect(sleeper.waits.isEmpty)
            // sshd saw exactly one client connection (one client port; sshd logs each twice).
            let log = try String(contentsOfFile: server.logFile, encoding: .utf8)
            let clientPorts = Set(
                log.split(separator: "\n").compactMap { line -> Substring? in
                    guard let range = line.range(of: "Connection from 127.0.0.1 port ") else { return nil }
                    return line[range.upperBound...].split(separator: " ").first
                })
            #expect(clientPorts.count == 1)
        }

        @Test func aWrongHostKeyIsNotRetried() async throws {
            let server = try TestSSHD.start()
            defer { server.stop() }
            let other = try server.makeKeyPair(name: "other")
            let otherKey = try String(contentsOfFile: other + ".pub", encoding: .utf8).split(separator: " ").prefix(2).joined(separator: " ")
            let knownHosts = try server.writeKnownHosts(name: "kh", lines: ["[127.0.0.1]:\(server.port) \(otherKey)"])
            let sleeper = RecordingSleeper()
            let executor = SSHExecutor(connectTimeout: .seconds(5), agentSocketPath: nil, sleeper: sleeper)
            let execution = executor.run(["true"], on: server.host(knownHostsFile: knownHosts))
            guard case .failure(let error) = execution.result else {
                Issue.record("a wrong host key must be refused")
                return
            }
            #expect(error.code == .hostKeyMismatch)
            #expect(execution.connectionAttempts == 1)
        }

        @Test func aSilentListenerTimesOutWithinTheBound() throws {
            let listener = try SilentListener()
            defer { listener.close() }
            let host = HostDefinition(
                name: "silent", address: "127.0.0.1", port: listener.port, identityFile: "/nonexistent", knownHostsFile: "/nonexistent")
            let clock = ContinuousClock()
            let start = clock.now
            let error = #expect(throws: SSHError.self) { _ = try SSHSession(host: host, connectTimeout: .seconds(1)) }
            let elapsed = start.duration(to: clock.now)
            #expect(error?.code == .connectTimeout)
            #expect(error?.isConnectionClass == true)
            #expect(elapsed >= .milliseconds(950) && elapsed < .seconds(4))
        }

        @Test func aClosedPortIsRefusedQuickly() throws {
            let port = try LoopbackPorts.closedPort()
            let host = HostDefinition(name: "closed", address: "127.0.0.1", port: port, knownHostsFile: "/nonexistent")
            let clock = ContinuousClock()
            let start = clock.now
            let error = #expect(throws: SSHError.self) { _ = try SSHSession(host: host, connectTimeout: .seconds(5)) }
            #expect(error?.code == .connectFailed)
            #expect(error?.isConnectionClass == true)
            #expect(error?.description.contains("Connection refused") == true)
            #expect(start.duration(to: clock.now) < .milliseconds(2500))  // not the 5 s timeout
        }

        @Test func connectionFailuresAreRetriedWithBackoffAndJitterAndCountAsOneAttempt() async throws {
            let listener = try SilentListener()
            defer { listener.close() }
            let silent = HostDefinition(name: "silent", address: "127.0.0.1", port: listener.port, knownHostsFile: "/nonexistent")
            let sleeper = RecordingSleeper()
            let executor = SSHExecutor(connectTimeout: .milliseconds(300), agentSocketPath: nil, sleeper: sleeper, random: { 0.9 })
            let clock = ContinuousClock()
            let start = clock.now
            let execution = executor.run(["true"], on: silent)
            let elapsed = start.duration(to: clock.now)
            guard case .failure(let error) = execution.result else {
                Issue.record("a silent listener must fail")
                return
            }
            #expect(error.code == .connectTimeout)
            #expect(execution.connectionAttempts == 3)
            // 2 s and 4 s, each scaled by 1 + 0.25 × (2 × 0.9 − 1) = 1.2.
            #expect(execution.backoffs == [.milliseconds(2400), .milliseconds(4800)])
            #expect(sleeper.waits.count == 2 && abs(sleeper.waits[0] - 2.4) < 1e-9 && abs(sleeper.waits[1] - 4.8) < 1e-9, "\(sleeper.waits)")
            #expect(elapsed < .seconds(2))
            #expect(execution.hostAttempt == .failed(error: error.description))
        }

        @Test func threeFailedAttemptsInARowMakeTheHostOfflineWithOneTransition() async throws {
            let listener = try SilentListener()
            defer { listener.close() }
            let closedPort = try LoopbackPorts.closedPort()
            let silent = HostDefinition(name: "flaky", address: "127.0.0.1", port: listener.port, knownHostsFile: "/nonexistent")
            var closed = silent
            closed.port = closedPort
            let sleeper = RecordingSleeper()
            let executor = SSHExecutor(connectTimeout: .milliseconds(300), agentSocketPath: nil, sleeper: sleeper)
            var machine = HostStateMachine(host: "flaky")
            var transitions: [HostTransition] = []
            var notifications: [String] = []
            // Given three logical attempts, each retried three times inside
            for (step, host) in [silent, closed, silent].enumerated() {
                let execution = executor.run(["true"], on: host)
                #expect(execution.connectionAttempts == 3)
                if let transition = machine.record(execution.hostAttempt, at: t0.adding(seconds: Double(step))) {
                    transitions.append(transition)
                    notifications.append("\(transition.host) \(transition.from.rawValue) → \(transition.to.rawValue)")
                }
            }
            // Then the host is OFFLINE after the third, with exactly one transition (one log row, one notification)
            #expect(machine.state == .offline)
            #expect(machine.status.consecutiveFailures == 3)
            #expect(transitions.count == 1)
            #expect(transitions.first?.consecutiveFailures == 3)
            #expect(transitions.first?.error?.contains("connectTimeout") == true)
            #expect(notifications == ["flaky ONLINE → OFFLINE"])
        }

        @Test func aCommandThatStartedIsNeverRunAgainEvenIfTheConnectionDrops() async throws {
            let server = try TestSSHD.start()
            defer { server.stop() }
            let folder = try server.makeSharedFolder()
            let counter = "\(folder)/runs"
            let sleeper = RecordingSleeper()
            let executor = SSHExecutor(connectTimeout: .seconds(5), agentSocketPath: nil, sleeper: sleeper)
            // The command records that it ran, then kills the sshd process serving its own connection.
            let script = "echo run >> \(counter); kill -KILL $(ps -o ppid= -p $PPID); sleep 5"
            let execution = executor.run(["sh", "-c", script], on: server.host(), timeout: .seconds(10))
            guard case .failure(let error) = execution.result else {
                Issue.record("the dropped connection must be reported, got \(execution.result)")
                return
            }
            #expect(error.code == .channelFailed)
            #expect(!error.isConnectionClass)
            #expect(execution.connectionAttempts == 1)
            #expect(sleeper.waits.isEmpty)
            #expect(try String(contentsOfFile: counter, encoding: .utf8) == "run\n")
        }

        @Test func anInvalidCommandNeverTouchesTheNetwork() async throws {
            let executor = SSHExecutor(agentSocketPath: nil, sleeper: RecordingSleeper())
            let host = HostDefinition(name: "h", address: "127.0.0.1", port: try LoopbackPorts.closedPort())
            let execution = executor.run([], on: host)
            guard case .failure(let error) = execution.result else {
                Issue.record("an empty argv must fail")
                return
            }
            #expect(error.code == .invalidCommand)
            #expect(execution.connectionAttempts == 1)
        }

        @Test func theRetryPolicySpreadsDelaysAroundTheBase() {
            let policy = SSHExecutor.RetryPolicy()
            #expect(policy.delay(after: 1, random: 0.5) == .seconds(2))
            #expect(policy.delay(after: 2, random: 0.5) == .seconds(4))
            #expect(policy.delay(after: 1, random: 0) == .milliseconds(1500))
            #expect(policy.delay(after: 2, random: 0.999_999) > .milliseconds(4999))
            #expect(policy.delay(after: 5, random: 0.5) == .seconds(4))
        }
    }
}
