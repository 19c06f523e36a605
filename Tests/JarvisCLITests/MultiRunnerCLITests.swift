import Foundation
import JarvisCore
import JarvisSQLite
import JarvisTestSupport
import Testing

/// Under `CI=true` these run even without sshd (or Alertmanager), so a server that cannot start fails them.
private let serversAvailable = ServerGate.runs(whenAvailable: TestSSHD.isAvailable)
private let clusterAvailable = ServerGate.runs(whenAvailable: TestSSHD.isAvailable && TestAlertmanager.isAvailable)

/// Several runners on one real PostgreSQL, each with its own spool and state folder, every
/// notification delivered to each of them (as an HA Alertmanager does), against one real
/// sshd host: the real binary, runs started together in a random order.
@Suite(.serialized, .timeLimit(.minutes(10))) struct MultiRunnerCLITests {
    let dir: TemporaryDirectory
    let markers: String

    init() throws {
        dir = try TemporaryDirectory("jarvis-runners")
        // The test user on the far side creates one file here per action it runs.
        var template = Array("/tmp/jarvis-runner-markers.XXXXXX".utf8CString)
        guard let made = mkdtemp(&template) else { throw TestServerError("mkdtemp failed") }
        markers = String(cString: made)
        chmod(markers, 0o777)
    }

    /// One runner: its folders and configuration.
    struct Runner {
        var name: String
        var env: [String: String]
    }

    /// Writes the configuration of runners `names` and returns them.
    func makeRunners(
        _ names: [String], postgres: TestPostgres, server: TestSSHD, discord: TestDiscordServer? = nil, mode: String = "shared",
        action: [String] = [], extra: String = "", remediationMode: String = "execute", commandTimeout: Int = 30
    ) throws -> [Runner] {
        let replay = dir.file("llm.json")
        try JSONSerialization.data(withJSONObject: ["*": [RemediationCLITests.plan("test.mark")]]).write(to: URL(fileURLWithPath: replay))
        let closed = try LoopbackPorts.closedPort()
        return try names.map { name in
            let config = dir.file("\(name).yml")
            let argv = (action.isEmpty ? ["mktemp", "-p", markers] : action).map { "\"\($0)\"" }.joined(separator: ", ")
            try """
            runner:
              id: \(name)
              mode: \(mode)
            postgres:
              url: \(postgres.url)
              connect_timeout: 2
            hosts:
              - name: testhost
                address: 127.0.0.1
                port: \(server.port)
                user: \(server.user)
                identity_file: \(server.clientIdentityFile)
                known_hosts_file: \(server.knownHostsFile)
              - name: deadhost
                address: 127.0.0.1
                port: \(closed)
                user: \(server.user)
                identity_file: \(server.clientIdentityFile)
                known_hosts_file: \(server.knownHostsFile)
            ssh:
              connect_timeout: 2
              command_timeout: \(commandTimeout)
              offline_after: 1
              probe_timeout: 1
              recheck_interval: 3600
            remediation:
              mode: \(remediationMode)
              max_per_run: 100
              actions:
                - name: test.mark
                  argv: [\(argv)]
                  risk: low
                  kind: acting
            llm:
              provider: anthropic
              replay_file: \(replay)
            \(discord.map { "discord:\n  webhook_url: \($0.webhookURL)" } ?? "")
            \(extra)
            """.write(toFile: config, atomically: true, encoding: .utf8)
            return Runner(
                name: name,
                env: ["JARVIS_SPOOL_DIR": dir.file("\(name)/spool"), "JARVIS_STATE_DIR": dir.file("\(name)/state"), "JARVIS_CONFIG": config])
        }
    }

    /// A PostgreSQL, an sshd and runners `names` on them, the schema migrated. Stop the
    /// returned sshd when done.
    func start(
        _ names: [String], discord: TestDiscordServer? = nil, mode: String = "shared", action: [String] = [],
        remediationMode: String = "execute", commandTimeout: Int = 30
    ) async throws -> (TestPostgres, TestSSHD, [Runner]) {
        let postgres = try await OffPool.run { try TestPostgres() }
        let server = try await OffPool.run { try TestSSHD.start() }
        let runners = try makeRunners(
            names, postgres: postgres, server: server, discord: discord, mode: mode, action: action, remediationMode: remediationMode,
            commandTimeout: commandTimeout)
        let migrate = try JarvisProcess.run(["migrate"], environment: runners[0].env)
        try #require(migrate.exitCode == 0, "\(migrate.stderr)")
        return (postgres, server, runners)
    }

    /// One webhook per alert, delivered to every runner.
    func deliver(_ alertnames: [String], host: String = "testhost", to runners: [Runner], startsAt: String = "2026-12-06T00:00:00Z") throws {
        let body = TriageCLITests.webhook(alertnames.map { (["alertname": $0, "host": host, "severity": "warning"], "firing", startsAt) })
        for runner in runners {
            let result = try JarvisProcess.run(["enqueue", "-"], environment: runner.env, stdin: body)
            try #require(result.exitCode == 0, "\(result.stderr)")
        }
    }

    /// Runs `arguments` on every runner at once, started in a random order a few ms apart.
    func runTogether(_ runners: [Runner], _ arguments: [String] = ["ingest"], random: inout SeededRandom) throws -> [String: JarvisProcess.Result] {
        var order = runners
        order.shuffle(using: &random)
        var running: [(String, JarvisProcess.Running)] = []
        for runner in order {
            running.append((runner.name, try JarvisProcess.start(arguments, environment: runner.env)))
            usleep(UInt32(random.next(below: 40_000)))
        }
        var results: [String: JarvisProcess.Result] = [:]
        for (name, process) in running { results[name] = process.wait() }
        return results
    }

    /// The marker files the action made on the far side; a folder that cannot be listed throws.
    func markerCount() throws -> Int { try FileManager.default.contentsOfDirectory(atPath: markers).count }

    func sql(_ postgres: TestPostgres, _ query: String) throws -> Int { try PSQL.int(postgres.url, query) }

    @Test(.enabled(if: serversAvailable))
    func threeRunnersFedTheSameAlertsActOnceShareWindowsHostStatesTheBudgetAndDiscord() async throws {
        let discord = try TestDiscordServer()
        defer { discord.stop() }
        let (postgres, server, runners) = try await start(["a", "b", "c"], discord: discord)
        defer { server.stop() }
        var random = SeededRandom(seed: 12)

        // 1. Eight actionable occurrences, each delivered to all three runners: each is
        //    remediated exactly once (one command on the host, one attempt row), the other two
        //    runners record that it was claimed.
        let first = (1...8).map { String(format: "RunnerMark%02d", $0) }
        try deliver(first, to: runners)
        var results = try runTogether(runners, random: &random)
        for (name, result) in results { #expect(result.exitCode == 0, "\(name): \(result.stdout)\n\(result.stderr)") }
        let outputs = results.values.map(\.stdout).joined(separator: "\n")
        #expect(try markerCount() == 8, "\(outputs)")
        #expect(try RemediationCLITests.sessions(server) == 8, "one SSH session per action")
        #expect(outputs.components(separatedBy: "deduplicated").count - 1 >= 16, "\(outputs)")
        #expect(try sql(postgres, "SELECT count(*) FROM remediation_log") == 8)
        #expect(try sql(postgres, "SELECT count(DISTINCT occurrence_key) FROM remediation_log WHERE outcome = 'succeeded'") == 8)
        #expect(try sql(postgres, "SELECT count(*) FROM remediation_claims") == 8)
        #expect(try sql(postgres, "SELECT count(*) FROM triage_decisions WHERE decision_reason LIKE 'deduplicated: claimed by runner %'") == 16)
        #expect(try sql(postgres, "SELECT count(*) FROM alert_events WHERE alertname LIKE 'RunnerMark%'") == 8, "one row per occurrence")

        // 2. A window opened on runner a suppresses on b and c in their next runs.
        let window = try JarvisProcess.run(
            ["maintenance", "start", "--host", "testhost", "--for", "1h", "--reason", "disk swap"], environment: runners[0].env)
        try #require(window.exitCode == 0, "\(window.stderr)")
        #expect(window.stdout.contains("shared with every runner"), "\(window.stdout)")
        try deliver(["RunnerWindowed"], to: runners)
        results = try runTogether(runners, random: &random)
        for name in ["b", "c"] {
            #expect(results[name]?.stdout.contains("suppressed:maintenance 1") == true, "\(name): \(results[name]?.stdout ?? "")")
        }
        #expect(try markerCount() == 8)
        let status = try JarvisProcess.run(["maintenance", "status"], environment: runners[1].env)
        #expect(status.stdout.contains("disk swap"), "\(status.stdout)")
        let end = try JarvisProcess.run(["maintenance", "end", "--host", "testhost"], environment: runners[2].env)
        try #require(end.exitCode == 0, "\(end.stdout)\n\(end.stderr)")

        // 3. A host goes OFFLINE while all three probe at once: one transition, not three; a
        //    runner that did not probe it skips its alerts.
        let probes = try runTogether(runners, ["probe-hosts"], random: &random)
        #expect(probes.values.contains { $0.stdout.contains("ONLINE → OFFLINE") }, "\(probes.values.map(\.stdout))")
        #expect(try sql(postgres, "SELECT count(*) FROM host_status_log WHERE host = 'deadhost' AND to_state = 'offline'") == 1)
        let prober = try #require(probes.first { $0.value.stdout.contains("ONLINE → OFFLINE") }?.key)
        let other = try #require(runners.first { $0.name != prober })
        try deliver(["RunnerDeadHost"], host: "deadhost", to: [other])
        let skipped = try JarvisProcess.run(["ingest"], environment: other.env)
        #expect(skipped.stdout.contains("suppressed:host-offline 1"), "\(skipped.stdout)")

        // 4. The hourly budget of 20 holds for the three together: 8 used, 26 more wanted (the
        //    alert the window held back is triaged again now that it ended, by every runner).
        let more = (9...33).map { String(format: "RunnerMark%02d", $0) }
        try deliver(more, to: runners)
        results = try runTogether(runners, random: &random)
        for (name, result) in results { #expect(result.exitCode == 0, "\(name): \(result.stdout)\n\(result.stderr)") }
        #expect(try markerCount() == 20)
        #expect(try sql(postgres, "SELECT count(*) FROM remediation_log WHERE outcome = 'succeeded'") == 20)
        #expect(try sql(postgres, "SELECT count(*) FROM remediation_log WHERE error LIKE '%actions per hour is spent%'") == 14)
        let rows = try postgres.psql(["-c", "SELECT alertname, outcome, runner, left(error, 60) FROM remediation_log ORDER BY alertname"])
        #expect(try sql(postgres, "SELECT count(*) FROM remediation_log") == 34, "one attempt row per occurrence: \(rows)")

        // 5. Each Discord event was posted once: one message per occurrence acted on or escalated,
        //    and one summary of suppressed alerts for the fleet (the three runners each
        //    suppressed RunnerWindowed; the runner that claimed it first summarised it).
        let bodies = discord.requests.map(\.text)
        let summaries = bodies.filter { $0.contains("Recorded, not acted on") }
        let events = bodies.filter { !$0.contains("Recorded, not acted on") }
        for name in first + more + ["RunnerWindowed"] {
            #expect(events.filter { $0.contains(name) }.count == 1, "\(name): \(events.filter { $0.contains(name) })")
        }
        for name in ["RunnerWindowed", "RunnerDeadHost"] {
            #expect(summaries.filter { $0.contains(name) }.count == 1, "\(name): \(summaries)")
        }
        #expect(try sql(postgres, "SELECT count(*) FROM notification_claims WHERE dedup_key LIKE 'suppressed:%'") == 2)

        // 6. `jarvis status` lists the three runners and what each last did.
        let seen = try JarvisProcess.run(["status"], environment: runners[0].env)
        for name in ["a", "b", "c"] { #expect(seen.stdout.contains("runner \(name): "), "\(seen.stdout)") }
    }

    @Test(.enabled(if: clusterAvailable))
    func twoAlertmanagerReplicasInAClusterEachNotifyingARunnerGiveOneRemediationPerOccurrence() async throws {
        let (postgres, server, runners) = try await start(["a", "b"])
        defer { server.stop() }
        // Given two replicas gossiping on loopback, each notifying its own runner's listener
        let listeners = [try TestHTTPListener(), try TestHTTPListener()]
        defer { for listener in listeners { listener.stop() } }
        let gossip = [try LoopbackPorts.freePort(), try LoopbackPorts.freePort()]
        let replicas = try zip(listeners, ["jarvis-a", "jarvis-b"]).enumerated().map { index, pair in
            try TestAlertmanager(
                webhookURL: "http://127.0.0.1:\(pair.0.port)/", receiver: pair.1,
                cluster: TestAlertmanager.Cluster(port: gossip[index], peers: [gossip[1 - index]]))
        }
        defer { for replica in replicas { replica.stop() } }
        var joined = false
        for _ in 0..<100 where !joined {
            joined = (try? replicas[0].clusterPeers()) == 2
            if !joined { usleep(100_000) }
        }
        #expect(joined, "the replicas formed a cluster")
        // When Prometheus' alerts reach both replicas (as Prometheus sends to each)
        let names = ["RunnerHA1", "RunnerHA2", "RunnerHA3"]
        for replica in replicas {
            for name in names {
                try replica.addAlert(labels: ["alertname": name, "host": "testhost", "severity": "warning"], starts: "2026-12-06T00:00:00Z")
            }
        }
        // Each runner gets every notification from its replica, through the listener and `jarvis enqueue`
        for (listener, runner) in zip(listeners, runners) {
            var seen: Set<String> = []
            let deadline = Date().addingTimeInterval(30)
            while seen.count < names.count && Date() < deadline {
                let bodies = listener.requests.map { String(decoding: $0.body, as: UTF8.self) }
                seen = Set(names.filter { name in bodies.contains { $0.contains(name) } })
                if seen.count < names.count { usleep(200_000) }
            }
            #expect(seen.count == names.count, "\(runner.name) got \(seen)")
            for request in listener.requests {
                let enqueue = try JarvisProcess.run(["enqueue", "-"], environment: runner.env, stdin: request.body)
                try #require(enqueue.exitCode == 0, "\(enqueue.stderr)")
            }
        }
        var random = SeededRandom(seed: 3)
        let results = try runTogether(runners, random: &random)
        for (name, result) in results { #expect(result.exitCode == 0, "\(name): \(result.stdout)\n\(result.stderr)") }
        // Then one remediation per occurrence
        #expect(try markerCount() == 3)
        #expect(try sql(postgres, "SELECT count(*) FROM remediation_log WHERE outcome = 'succeeded'") == 3)
        #expect(try sql(postgres, "SELECT count(DISTINCT occurrence_key) FROM remediation_log") == 3)
        #expect(try sql(postgres, "SELECT count(*) FROM alert_events WHERE alertname LIKE 'RunnerHA%'") == 3)
    }

    @Test(.enabled(if: serversAvailable))
    func withPostgreSQLDownSharedRunnersActOnNothingAndTheirDrainsConverge() async throws {
        let (postgres, server, runners) = try await start(["a", "b", "c"])
        defer { server.stop() }
        var random = SeededRandom(seed: 7)
        // Given PostgreSQL down
        try postgres.stop()
        let names = ["RunnerDown1", "RunnerDown2", "RunnerDown3"]
        try deliver(names, to: runners)
        // When the three runners ingest
        let results = try runTogether(runners, random: &random)
        // Then nothing ran, every alert is recorded, and each runner escalated
        for (name, result) in results {
            #expect(result.exitCode == 75, "\(name): \(result.stdout)\n\(result.stderr)")
            #expect(result.stdout.contains("escalated"), "\(name): \(result.stdout)")
            #expect(result.stdout.contains("not acting: PostgreSQL cannot be asked"), "\(name): \(result.stdout)")
        }
        #expect(try markerCount() == 0)
        #expect(try RemediationCLITests.sessions(server) == 0)
        // When PostgreSQL returns and each drains
        try postgres.start()
        for runner in runners {
            let drain = try JarvisProcess.run(["drain"], environment: runner.env)
            #expect(drain.exitCode == 0, "\(drain.stdout)\n\(drain.stderr)")
        }
        // Then one row per occurrence and per attempt
        #expect(try sql(postgres, "SELECT count(*) FROM alert_events WHERE alertname LIKE 'RunnerDown%'") == 3)
        #expect(try sql(postgres, "SELECT count(*) FROM remediation_log") == 3)
        #expect(try sql(postgres, "SELECT count(*) FROM remediation_log WHERE escalated AND outcome = 'escalated'") == 3)
    }

    @Test(.enabled(if: serversAvailable))
    func aSingleRunnerStillActsWhilePostgreSQLIsAway() async throws {
        let (postgres, server, runners) = try await start(["solo"], mode: "single")
        defer { server.stop() }
        let solo = runners[0]
        try postgres.stop()
        try deliver(["RunnerAlone"], to: [solo])
        let result = try JarvisProcess.run(["ingest"], environment: solo.env)
        #expect(result.exitCode == 75, "\(result.stdout)\n\(result.stderr)")
        #expect(result.stdout.contains("remediated"), "\(result.stdout)")
        #expect(try markerCount() == 1)
        // And its attempt reaches PostgreSQL once it returns
        try postgres.start()
        #expect(try JarvisProcess.run(["drain"], environment: solo.env).exitCode == 0)
        #expect(try sql(postgres, "SELECT count(*) FROM remediation_log WHERE outcome = 'succeeded' AND runner = 'solo'") == 1)
    }

    @Test(.enabled(if: serversAvailable))
    func aRunnerKilledBetweenClaimAndOutcomeIsNeverRunByAnotherAndEscalatedOnce() async throws {
        let discord = try TestDiscordServer()
        defer { discord.stop() }
        let (postgres, server, runners) = try await start(["a", "b"], discord: discord, action: ["sleep", "20"])
        defer { server.stop() }
        try deliver(["RunnerKilled"], to: runners)
        // Given runner a killed while its command runs (after the claim and the intent)
        try RemediationCLITests.killDuringRemoteSleep(["ingest"], environment: runners[0].env, server: server)
        let sessions = try RemediationCLITests.sessions(server)
        // When runner b ingests the same notification: it does not run it
        let other = try JarvisProcess.run(["ingest"], environment: runners[1].env)
        #expect(other.exitCode == 0, "\(other.stdout)\n\(other.stderr)")
        #expect(other.stdout.contains("deduplicated: claimed by runner a"), "\(other.stdout)")
        #expect(try RemediationCLITests.sessions(server) == sessions)
        // And runner a's next runs escalate it, once
        let next = try JarvisProcess.run(["ingest"], environment: runners[0].env)
        #expect(next.stdout.contains("outcome is unknown"), "\(next.stdout)")
        let after = try JarvisProcess.run(["ingest"], environment: runners[0].env)
        #expect(after.exitCode == 0, "\(after.stdout)\n\(after.stderr)")
        #expect(!after.stdout.contains("outcome is unknown"), "\(after.stdout)")
        #expect(try RemediationCLITests.sessions(server) == sessions)
        #expect(try sql(postgres, "SELECT count(*) FROM remediation_log WHERE outcome = 'unknown' AND escalated") == 1)
        #expect(try sql(postgres, "SELECT count(*) FROM remediation_log") == 1)
        #expect(discord.requests.filter { $0.text.contains("RunnerKilled") }.count == 1, "escalated once")
    }

    @Test(.enabled(if: serversAvailable))
    func approveRunsUnderTheSharedClaimTheHostLockAndTheHourlyBudget() async throws {
        let (postgres, server, runners) = try await start(["a", "b"], remediationMode: "approve", commandTimeout: 2)
        defer { server.stop() }
        var random = SeededRandom(seed: 7)
        // Three plans parked for a person, each by the runner that claimed its alert.
        try deliver(["RunnerApprove1", "RunnerApprove2", "RunnerApprove3"], to: runners)
        let parked = try runTogether(runners, random: &random)
        for (name, result) in parked { #expect(result.exitCode == 0, "\(name): \(result.stdout)\n\(result.stderr)") }
        #expect(try sql(postgres, "SELECT count(*) FROM remediation_claims") == 3)
        #expect(try markerCount() == 0)
        /// The runner holding an alert's attempt, and the plan's local id there.
        func holder(_ alertname: String) throws -> (runner: Runner, id: Int64, key: String) {
            let name = try PSQL.scalar(postgres.url, "SELECT runner FROM remediation_log WHERE alertname = '\(alertname)'")
            let runner = try #require(runners.first { $0.name == name })
            let journal = try JournalDatabase(path: (runner.env["JARVIS_STATE_DIR"] ?? "") + "/jarvis.sqlite")
            let record = try #require(try journal.remediations(where: .awaitingApproval).first { $0.alertname == alertname })
            return (runner, try #require(try journal.remediationID(key: record.key)), record.key)
        }

        // 1. Another runner acted on the same alert meanwhile (a later attempt ran): refused,
        //    naming it; nothing runs.
        let first = try holder("RunnerApprove1")
        _ = try PSQL.scalar(
            postgres.url,
            """
            INSERT INTO remediation_claims (attempt_key, event_key, attempt, alert_key, host, runner, received_at, acted_at)
            SELECT replace(attempt_key, '#1', '#2'), event_key, 2, alert_key, host, 'z', now(), now() FROM remediation_claims
            WHERE attempt_key = '\(first.key)' RETURNING attempt
            """)
        let refused = try JarvisProcess.run(["approve", "\(first.id)"], environment: first.runner.env)
        #expect(refused.exitCode == 64, "\(refused.stdout)\n\(refused.stderr)")
        #expect(refused.stderr.contains("runner z already acted on this alert"), "\(refused.stderr)")
        #expect(try markerCount() == 0)

        // 2. Another runner holds the host's lock: approve waits its turn (the command timeout
        //    and 5 s), then refuses with exit 75 and the plan stays parked; once the lock is
        //    free it runs.
        let second = try holder("RunnerApprove2")
        let hold = Process()
        hold.executableURL = URL(fileURLWithPath: "/usr/bin/psql")
        hold.arguments = [
            postgres.url, "-X", "-q", "-c", "SELECT pg_advisory_lock(hashtextextended('jarvis/host/testhost', 0))", "-c", "SELECT pg_sleep(60)",
        ]
        hold.environment = JarvisProcess.environment([:])
        hold.standardOutput = FileHandle.nullDevice
        try hold.run()
        defer { if hold.isRunning { hold.terminate() } }
        for _ in 0..<100 where try sql(postgres, "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND granted") == 0 { usleep(50_000) }
        let busy = try JarvisProcess.run(["approve", "\(second.id)"], environment: second.runner.env)
        #expect(busy.exitCode == 75, "\(busy.stdout)\n\(busy.stderr)")
        #expect(busy.stderr.contains("another runner is still acting on testhost"), "\(busy.stderr)")
        #expect(try markerCount() == 0)
        _ = try PSQL.scalar(postgres.url, "SELECT count(pg_terminate_backend(pid)) FROM pg_locks WHERE locktype = 'advisory' AND granted")
        hold.waitUntilExit()
        let approved = try JarvisProcess.run(["approve", "\(second.id)"], environment: second.runner.env)
        #expect(approved.exitCode == 0, "\(approved.stdout)\n\(approved.stderr)")
        #expect(try markerCount() == 1)
        //    Recorded once: one attempt row, approved and succeeded, its action in the budget.
        #expect(try JarvisProcess.run(["drain"], environment: second.runner.env).exitCode == 0)
        #expect(try sql(postgres, "SELECT count(*) FROM remediation_log WHERE alertname = 'RunnerApprove2'") == 1)
        #expect(
            try sql(
                postgres,
                "SELECT count(*) FROM remediation_log WHERE alertname = 'RunnerApprove2' AND approval = 'approved' AND outcome = 'succeeded'") == 1)
        #expect(try sql(postgres, "SELECT count(*) FROM remediation_claims WHERE attempt_key = '\(second.key)' AND acted_at IS NOT NULL") == 1)
        let twice = try JarvisProcess.run(["approve", "\(second.id)"], environment: second.runner.env)
        #expect(twice.exitCode == 64 && twice.stderr.contains("not waiting for approval"), "\(twice.stderr)")
        #expect(try markerCount() == 1)

        // 3. The hourly budget of 20 is spent across runners (19 more actions elsewhere):
        //    refused with the reason, exit 75, nothing runs.
        _ = try PSQL.scalar(
            postgres.url,
            """
            INSERT INTO remediation_claims (attempt_key, event_key, attempt, alert_key, host, runner, received_at, acted_at)
            SELECT 'elsewhere/' || n, 'elsewhere/' || n, 1, 'Elsewhere', 'other', 'z', now(), now() FROM generate_series(1, 19) n RETURNING 1
            """)
        let third = try holder("RunnerApprove3")
        let over = try JarvisProcess.run(["approve", "\(third.id)"], environment: third.runner.env)
        #expect(over.exitCode == 75, "\(over.stdout)\n\(over.stderr)")
        #expect(over.stderr.contains("the budget of 20 actions per hour is spent (counted across runners)"), "\(over.stderr)")
        #expect(try markerCount() == 1)
    }
}
