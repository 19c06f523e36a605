import Foundation
import JarvisCore
import JarvisSSH
import JarvisTestSupport
import Testing

/// Measurements for the benchmark; run with `JARVIS_BENCH=1`. They print figures and
/// check only the probe-run target (≤ 1.5 × the timeout).
extension SSHIntegrationTests {
    @Suite(.enabled(if: ProcessInfo.processInfo.environment["JARVIS_BENCH"] == "1"))
    struct SSHBenchmarkTests {
        @Test func commandRoundTripAgainstOpenSSH() async throws {
            let server = try TestSSHD.start()
            defer { server.stop() }
            let executor = SSHExecutor(connectTimeout: .seconds(5), agentSocketPath: nil, sleeper: RecordingSleeper())
            let local = LocalExecutor()
            let sshArgv = [
                "ssh", "-o", "BatchMode=yes", "-o", "StrictHostKeyChecking=yes", "-o", "UserKnownHostsFile=\(server.knownHostsFile)",
                "-o", "IdentitiesOnly=yes", "-i", server.clientIdentityFile, "-p", String(server.port), "\(server.user)@127.0.0.1", "true",
            ]
            var ours: [Double] = []
            var theirs: [Double] = []
            let clock = ContinuousClock()
            for _ in 0..<31 {
                var start = clock.now
                let execution = executor.run(["true"], on: server.host(), timeout: .seconds(10))
                ours.append(Self.milliseconds(start.duration(to: clock.now)))
                #expect(try execution.result.get().exitStatus == 0)
                start = clock.now
                let openssh = try local.run(sshArgv, timeout: .seconds(10))
                theirs.append(Self.milliseconds(start.duration(to: clock.now)))
                #expect(openssh.exitStatus == 0, "\(openssh.stderrText)")
            }
            let (a, b) = (Self.median(ours), Self.median(theirs))
            print(
                "BENCH round trip `true`: jarvis SSHExecutor median \(Self.format(a)) ms, "
                    + "ssh -o BatchMode=yes median \(Self.format(b)) ms, ratio \(Self.format(a / b)) (n=31 each, interleaved)")
        }

        @Test(arguments: [64, 256])
        func probeRunOver256LoopbackTargets(maxConcurrency: Int) async throws {
            // 192 answering (a real sshd listening on 4 ports), 32 refused, 32 silent.
            let server = try TestSSHD.start(extraPortCount: 3)
            defer { server.stop() }
            let silent = try SilentListener()
            defer { silent.close() }
            let ports = [server.port] + server.extraPorts
            var hosts: [HostDefinition] = []
            for i in 0..<192 { hosts.append(HostDefinition(name: "ssh\(i)", address: "127.0.0.1", port: ports[i % ports.count])) }
            for i in 0..<32 { hosts.append(HostDefinition(name: "closed\(i)", address: "127.0.0.1", port: try LoopbackPorts.closedPort())) }
            for i in 0..<32 { hosts.append(HostDefinition(name: "silent\(i)", address: "127.0.0.1", port: silent.port)) }
            hosts.shuffle()
            let clock = ContinuousClock()
            let start = clock.now
            let results = await HostProbe.probeAll(hosts, timeout: .seconds(1), maxConcurrency: maxConcurrency)
            let elapsed = start.duration(to: clock.now)
            let answered = results.filter(\.answered).count
            let refused = results.filter { $0.outcome == .refused }.count
            let timedOut = results.filter { $0.outcome == .timedOut }.count
            print(
                "BENCH probeAll 256 targets, timeout 1 s, maxConcurrency \(maxConcurrency): \(Self.format(Self.milliseconds(elapsed))) ms wall; "
                    + "answered \(answered), refused \(refused), timed out \(timedOut)")
            // The target (≤ 1.5 × timeout) holds when every probe can start at once.
            if maxConcurrency >= hosts.count { #expect(elapsed <= .milliseconds(1500)) }
            #expect(refused == 32)
        }

        static func milliseconds(_ duration: Duration) -> Double {
            let (seconds, attoseconds) = duration.components
            return Double(seconds) * 1000 + Double(attoseconds) / 1e15
        }

        static func median(_ values: [Double]) -> Double { values.sorted()[values.count / 2] }

        static func format(_ value: Double) -> String { String(format: "%.2f", value) }
    }
}
