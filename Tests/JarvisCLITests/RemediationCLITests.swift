import Foundation
import JarvisCore
import JarvisTestSupport
import Testing

private let sshdAvailable = ServerGate.runs(whenAvailable: TestSSHD.isAvailable)

/// Remediation through the real binary against a real sshd: an actionable alert → a catalog
/// action (configured for the test, harmless) run over SSH → a later resolve verifies it; and
/// a run killed between intent and outcome is escalated by the next run, never re-run.
@Suite(.serialized, .timeLimit(.minutes(5))) struct RemediationCLITests {
    let dir: TemporaryDirectory
    let markers: String

    init() throws {
        dir = try TemporaryDirectory()
        markers = try MarkerFolder.make()
    }

    var env: [String: String] {
        ["JARVIS_SPOOL_DIR": dir.file("spool"), "JARVIS_STATE_DIR": dir.file("state"), "JARVIS_CONFIG": dir.file("jarvis.yml")]
    }

    /// A recorded LLM answer proposing one action.
    static func plan(_ action: String, _ parameters: [String: String] = [:]) -> [String: Any] {
        [
            "id": "msg_test", "type": "message", "role": "assistant", "model": "claude-test", "stop_reason": "tool_use",
            "usage": ["input_tokens": 100, "output_tokens": 20],
            "content": [
                [
                    "type": "tool_use", "id": "toolu_test", "name": "propose_plan",
                    "input": ["actions": [["action": action, "parameters": parameters]], "summary": "test plan", "risk": "low"],
                ]
            ],
        ]
    }

    /// `extra` is appended as more top-level sections (e.g. `triage:` for a recurring alert).
    func writeConfig(server: TestSSHD, mode: String = "execute", answers: [String: [[String: Any]]], extra: String = "") throws {
        let replay = dir.file("llm.json")
        try JSONSerialization.data(withJSONObject: answers).write(to: URL(fileURLWithPath: replay))
        try """
        hosts:
          - name: testhost
            address: 127.0.0.1
            port: \(server.port)
            user: \(server.user)
            identity_file: \(server.clientIdentityFile)
            known_hosts_file: \(server.knownHostsFile)
        ssh:
          connect_timeout: 5
          command_timeout: 30
        remediation:
          mode: \(mode)
          actions:
            - name: test.touch-marker
              argv: [touch, \(markers)/fixed]
              risk: low
              kind: acting
            - name: test.sleep
              argv: [sleep, "20"]
              risk: low
              kind: acting
        llm:
          provider: anthropic
          replay_file: \(replay)
        \(extra)
        """.write(toFile: dir.file("jarvis.yml"), atomically: true, encoding: .utf8)
    }

    func enqueue(_ alertname: String, status: String = "firing") throws {
        let body = TriageCLITests.webhook([(["alertname": alertname, "host": "testhost", "severity": "warning"], status, "2026-11-29T03:00:00Z")])
        let result = try JarvisProcess.run(["enqueue", "-"], environment: env, stdin: body)
        try #require(result.exitCode == 0, "\(result.stderr)")
    }

    @Test(.enabled(if: sshdAvailable))
    func anActionableAlertRunsACatalogActionOverSSHAndALaterResolveVerifiesIt() async throws {
        let server = try await OffPool.run { try TestSSHD.start() }
        defer { server.stop() }
        try writeConfig(server: server, answers: ["MarkerAlert": [Self.plan("test.touch-marker")]])
        try enqueue("MarkerAlert")
        let first = try JarvisProcess.run(["ingest"], environment: env)
        #expect(first.exitCode == 0, "\(first.stdout)\n\(first.stderr)")
        #expect(first.stdout.contains("remediated #1"), "\(first.stdout)")
        #expect(FileManager.default.fileExists(atPath: markers + "/fixed"), "the action ran on the test host")

        try enqueue("MarkerAlert", status: "resolved")
        let second = try JarvisProcess.run(["ingest"], environment: env)
        #expect(second.exitCode == 0, "\(second.stderr)")
        #expect(second.stdout.contains("verified #1"), "\(second.stdout)")
        #expect(second.stdout.contains("resolved 1"))
    }

    @Test(.enabled(if: sshdAvailable))
    func aRunKilledBetweenIntentAndOutcomeIsEscalatedByTheNextRunAndNeverRunAgain() async throws {
        let server = try await OffPool.run { try TestSSHD.start() }
        defer { server.stop() }
        try writeConfig(server: server, answers: ["SlowAlert": [Self.plan("test.sleep")]])
        try enqueue("SlowAlert")
        try Self.killDuringRemoteSleep(["ingest"], environment: env, server: server)
        let sessionsBefore = try Self.sessions(server)

        let next = try JarvisProcess.run(["ingest"], environment: env)
        #expect(next.exitCode == 0, "\(next.stderr)")
        #expect(next.stdout.contains("escalated #1"), "\(next.stdout)")
        #expect(next.stdout.contains("outcome is unknown"), "\(next.stdout)")
        #expect(!next.stdout.contains("remediated"), "\(next.stdout)")
        #expect(try Self.sessions(server) == sessionsBefore, "no new SSH session: the command was not run again")
        // And once only
        let after = try JarvisProcess.run(["ingest"], environment: env)
        #expect(after.exitCode == 0, "\(after.stdout)\n\(after.stderr)")
        #expect(!after.stdout.contains("escalated #1"), "\(after.stdout)")
    }

    @Test(.enabled(if: sshdAvailable))
    func promptInjectionThatAnLLMObeysReachesNoExecutor() async throws {
        let server = try await OffPool.run { try TestSSHD.start() }
        defer { server.stop() }
        // The "LLM" proposes what the alert text tells it to: a shell, a catalog action with a
        // hostile parameter, a protected target, and an unknown host.
        try writeConfig(
            server: server,
            answers: [
                "Injected1": [Self.plan("shell", ["command": "touch \(markers)/pwned"])],
                "Injected2": [Self.plan("docker.restart", ["container": "x; touch \(markers)/pwned"])],
                "Injected3": [Self.plan("docker.restart", ["container": "postgres-jarvis"])],
                "Injected4": [Self.plan("systemctl.stop", ["unit": "nginx.service"])],
            ])
        for name in ["Injected1", "Injected2", "Injected3", "Injected4"] { try enqueue(name) }
        let result = try JarvisProcess.run(["ingest"], environment: env)
        #expect(result.exitCode == 0, "\(result.stderr)")
        #expect(result.stdout.components(separatedBy: "rejected #").count - 1 == 4, "\(result.stdout)")
        #expect(!FileManager.default.fileExists(atPath: markers + "/pwned"))
        #expect(try Self.sessions(server) == 0, "nothing reached the host")
    }

    /// Starts `jarvis ARGUMENTS` and kills it (SIGKILL) once the `sleep` it runs as the test
    /// user on the far side has started: its intent is on disk by then.
    static func killDuringRemoteSleep(_ arguments: [String], environment: [String: String], server: TestSSHD) throws {
        // The test user's `sleep` processes: an earlier run's may still be there (they outlive
        // the test by up to 20 s), so only a new one counts.
        func sleepers() throws -> Set<Substring> {
            Set(try TestCommand.run("/usr/bin/pgrep", ["-u", server.user, "-x", "sleep"], check: false).stdout.split(separator: "\n"))
        }
        let earlier = try sleepers()
        let running = try JarvisProcess.start(arguments, environment: environment)
        var started = false
        for _ in 0..<300 where !started {
            started = !(try sleepers().subtracting(earlier)).isEmpty
            if !started { usleep(100_000) }
        }
        try #require(started, "the remote command never started")
        running.kill(SIGKILL)
        _ = running.wait()
    }

    /// Authenticated SSH sessions the server has logged. A log that cannot be read throws: read
    /// as empty it would make every "no session" check pass.
    static func sessions(_ server: TestSSHD) throws -> Int {
        let log = try String(contentsOfFile: server.logFile, encoding: .utf8)
        return log.components(separatedBy: "Accepted publickey").count - 1
    }
}

/// The binary's own HTTP client (libcurl) against the stand-in LLM servers.
@Suite(.serialized) struct LLMProviderCLITests {
    let dir: TemporaryDirectory

    init() throws { dir = try TemporaryDirectory() }

    var env: [String: String] {
        [
            "JARVIS_SPOOL_DIR": dir.file("spool"), "JARVIS_STATE_DIR": dir.file("state"), "JARVIS_CONFIG": dir.file("jarvis.yml"),
            "ANTHROPIC_API_KEY": "sk-test-not-a-secret", "OPENAI_API_KEY": "",
        ]
    }

    func run(provider: String, baseURL: String) throws -> JarvisProcess.Result {
        try """
        hosts:
          - name: vps
            address: 192.0.2.2
        llm:
          provider: \(provider)
          model: test-model
          base_url: \(baseURL)
        """.write(toFile: dir.file("jarvis.yml"), atomically: true, encoding: .utf8)
        let body = TriageCLITests.webhook([(["alertname": "ContainerDown", "host": "vps", "container": "nginx"], "firing", "2026-11-29T03:00:00Z")])
        let enqueue = try JarvisProcess.run(["enqueue", "-"], environment: env, stdin: body)
        try #require(enqueue.exitCode == 0, "\(enqueue.stderr)")
        return try JarvisProcess.run(["ingest"], environment: env)
    }

    @Test func theAnthropicStandInDrivesAnIngestRunThroughLibcurl() throws {
        let server = try StandInAnthropicServer()
        defer { server.stop() }
        server.enqueue(
            .rateLimited(retryAfter: "0"), .proposePlan(actions: [ActionProposal(action: "docker.start", parameters: ["container": "nginx"])]))
        let result = try run(provider: "anthropic", baseURL: server.baseURL)
        #expect(result.exitCode == 0, "\(result.stderr)")
        #expect(result.stdout.contains("planned #1"), "\(result.stdout)")
        #expect(result.stdout.contains("$ docker start nginx"), "\(result.stdout)")
        let requests = server.requests
        #expect(requests.count == 2, "a 429 is retried")
        #expect(requests.last?.path == "/v1/messages")
        #expect(requests.last?.headers["x-api-key"] == "sk-test-not-a-secret")
        #expect(requests.last?.headers["anthropic-version"] == "2023-06-01")
        #expect(!result.stdout.contains("sk-test") && !result.stderr.contains("sk-test"), "the key never prints")
    }

    @Test func anOpenAICompatibleStandInDrivesAnIngestRunThroughLibcurl() throws {
        let server = try StandInOpenAIServer()
        defer { server.stop() }
        server.enqueue(.proposePlan(actions: [ActionProposal(action: "docker.start", parameters: ["container": "nginx"])]))
        let result = try run(provider: "openai", baseURL: server.baseURL)
        #expect(result.exitCode == 0, "\(result.stderr)")
        #expect(result.stdout.contains("$ docker start nginx"), "\(result.stdout)")
        #expect(server.requests.last?.path == "/v1/chat/completions")
    }

    @Test func anUnreachableLLMIsAFailedAttemptNotACrash() throws {
        let port = try LoopbackPorts.closedPort()
        let result = try run(provider: "anthropic", baseURL: "http://127.0.0.1:\(port)")
        #expect(result.exitCode == 0, "\(result.stderr)")
        #expect(result.stdout.contains("failed #1"), "\(result.stdout)")
        #expect(result.stdout.contains("LLM diagnosis failed"), "\(result.stdout)")
    }
}
