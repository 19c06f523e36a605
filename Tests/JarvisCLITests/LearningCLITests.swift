import Foundation
import GRDB
import JarvisCore
import JarvisSQLite
import JarvisTestSupport
import Testing

/// The learning loop through the real binary: a stand-in Anthropic server that counts calls,
/// a `local` host running a harmless acting template (it touches a file named after the
/// container), and the same symptom recurring as distinct occurrences, each resolved by a
/// later notification after the fix ran.
@Suite(.serialized, .timeLimit(.minutes(5))) struct LearningCLITests {
    let dir: TemporaryDirectory
    let server: StandInAnthropicServer

    init() throws {
        dir = try TemporaryDirectory()
        server = try StandInAnthropicServer()
        server.fallback = .proposePlan(
            actions: [ActionProposal(action: "test.touch", parameters: ["container": "frigate"])], summary: "restart frigate")
    }

    var env: [String: String] {
        [
            "JARVIS_SPOOL_DIR": dir.file("spool"), "JARVIS_STATE_DIR": dir.file("state"), "JARVIS_CONFIG": dir.file("jarvis.yml"),
            "ANTHROPIC_API_KEY": "sk-test-not-a-secret",
        ]
    }

    func writeConfig(verificationWindow: String = "10m", disableAction: Bool = false, discord: String? = nil) throws {
        try Self.writeConfig(dir: dir, llm: server.baseURL, verificationWindow: verificationWindow, disableAction: disableAction, discord: discord)
    }

    /// A `local` host and the harmless acting template `test.touch` (touches `marker-CONTAINER`
    /// in `dir`), flapping and attempt limits out of the way of a recurring alert.
    static func writeConfig(
        dir: TemporaryDirectory, llm: String, verificationWindow: String = "10m", disableAction: Bool = false, discord: String? = nil
    ) throws {
        try """
        hosts:
          - name: skynet
            address: 127.0.0.1
            local: true
        triage:
          flapping:
            window: 1000
          attempts:
            limit: 100
        remediation:
          mode: execute
          verification_window: \(verificationWindow)
          actions:
            - name: test.touch
              argv: [touch, "\(dir.file("marker-"))\u{7B}container\u{7D}"]
              parameters: {container: container}
              risk: low
              kind: acting
        \(disableAction ? "  hosts:\n    skynet: {disable: [test.touch]}\n" : "")\
        llm:
          provider: anthropic
          model: claude-test
          base_url: \(llm)
        \(discord.map { "discord:\n  webhook_url: \($0)\n" } ?? "")
        """.write(toFile: dir.file("jarvis.yml"), atomically: true, encoding: .utf8)
    }

    static let labels = ["alertname": "FrigateDown", "host": "skynet", "container": "frigate", "severity": "warning", "instance": "skynet:9100"]

    func startsAt(_ n: Int) -> String {
        Timestamp(seconds: 1_800_000_000 + Int64(n) * 3600).rfc3339
    }

    func ingest(_ n: Int, _ status: String) throws -> String {
        let body = TriageCLITests.webhook([(Self.labels, status, startsAt(n))])
        let enqueue = try JarvisProcess.run(["enqueue", "-"], environment: env, stdin: body)
        try #require(enqueue.exitCode == 0, "\(enqueue.stderr)")
        let result = try JarvisProcess.run(["ingest"], environment: env)
        try #require(result.exitCode == 0, "\(result.stdout)\n\(result.stderr)")
        return result.stdout
    }

    func patterns() throws -> [JSONValue] {
        let result = try JarvisProcess.run(["patterns", "list", "--json", "--alertname", "FrigateDown"], environment: env)
        try #require(result.exitCode == 0, "\(result.stderr)")
        return try JSONValue(parsing: result.stdout).arrayValue ?? []
    }

    @Test func afterEnoughVerifiedSuccessesTheNextOccurrenceIsFixedAtTier1WithNoLLMCallAndFailuresDemoteThenEscalate() throws {
        defer { server.stop() }
        let discord = try TestDiscordServer()
        defer { discord.stop() }
        try writeConfig(discord: discord.webhookURL)
        // Occurrences 1–9: the LLM proposes the fix, it runs, the alert resolves: verified.
        // The first success teaches the pattern. (8+1)/(8+2) is exactly 0.90, which the age
        // decay takes just below by the next run, so the ninth verified success makes it tier 1.
        for n in 1...9 {
            let fired = try ingest(n, "firing")
            #expect(fired.contains("remediated"), "occurrence \(n): \(fired)")
            #expect(server.requests.count == n, "occurrence \(n) asked the LLM")
            let resolved = try ingest(n, "resolved")
            #expect(resolved.contains("verified"), "occurrence \(n): \(resolved)")
        }
        var list = try patterns()
        try #require(list.count == 1, "\(list)")
        #expect(list[0]["successes"]?.intValue == 9 && list[0]["failures"]?.intValue == 0)
        #expect(list[0]["tier"]?.intValue == 1)
        #expect(list[0]["actions"]?[0]?["parameters"]?["container"]?.stringValue == "{{labels.container}}")
        let id = try #require(list[0]["id"]?.intValue)

        // Occurrence 10: tier 1, zero LLM calls; Discord says "learned fix (pattern #N, 9/9 verified)".
        let tenth = try ingest(10, "firing")
        #expect(server.requests.count == 9, "no LLM call at tier 1")
        #expect(tenth.contains("tier 1") && tenth.contains("learned fix (pattern #\(id), 9/9 verified)"), "\(tenth)")
        #expect(FileManager.default.fileExists(atPath: dir.file("marker-frigate")))
        let said = discord.requests.map { String(decoding: $0.body, as: UTF8.self) }
        #expect(said.contains { $0.contains("learned fix (pattern #\(id), 9/9 verified)") }, "the remediated message on Discord")

        // A repeated `learn` changes nothing (the ingest taught already).
        let learn = try JarvisProcess.run(["learn"], environment: env)
        #expect(learn.exitCode == 0 && learn.stdout.contains("0 settled outcomes read"), "\(learn.stdout)")

        // Occurrence 10 never resolves: the verification fails and the pattern is demoted.
        try writeConfig(verificationWindow: "10s", discord: discord.webhookURL)
        sleep(11)
        let settled = try ingest(11, "firing")
        #expect(settled.contains("verification-failed"), "\(settled)")
        list = try patterns()
        #expect(list[0]["failures"]?.intValue == 1 && list[0]["tier"]?.intValue == 2, "demoted: \(list)")
        let show = try JarvisProcess.run(["patterns", "show", "\(id)"], environment: env)
        #expect(show.stdout.contains("demoted tier 1 → tier 2") && show.stdout.contains("promoted tier 2 → tier 1"), "\(show.stdout)")
        // Occurrence 11 went to the LLM with the pattern as a hint (tier 2).
        #expect(server.requests.count == 10)
        #expect(server.requests.last?.text.contains("LEARNED PATTERN") == true)
        #expect(server.requests.last?.text.contains("FAILED PLANS") == true, "the failed command set is listed")

        // Occurrence 11 fails too: the same command set has failed twice for this alert key.
        sleep(11)
        let third = try ingest(12, "firing")
        #expect(third.contains("failed 2 times for this alert already"), "escalated, not retried: \(third)")
        #expect(!third.contains("remediated"), "\(third)")
    }

    @Test func replayShowsTheLLMCallsTheLearnedPatternWouldHaveAvoidedAndWritesNothing() throws {
        defer { server.stop() }
        try writeConfig()
        for n in 1...9 {
            _ = try ingest(n, "firing")
            _ = try ingest(n, "resolved")
        }
        let id = try #require(try patterns().first?["id"]?.intValue)
        func snapshot() throws -> [Int] {
            let journal = try JournalDatabase(path: dir.file("state/jarvis.sqlite"))
            return try journal.read { db in
                try ["remediation_log", "alert_events", "journal", "pattern_events", "alert_fingerprints", "remediation_patterns", "state"].map {
                    try Int.fetchOne(db, sql: "SELECT count(*) FROM \($0)") ?? -1
                } + [Int.fetchOne(db, sql: "SELECT sum(success_count) FROM remediation_patterns") ?? -1]
            }
        }
        let before = try snapshot()
        let calls = server.requests.count
        let replay = try JarvisProcess.run(["replay", "--since", "2020-01-01T00:00:00Z", "--json"], environment: env)
        #expect(replay.exitCode == 0, "\(replay.stderr)")
        let report = try JSONValue(parsing: replay.stdout)
        // The nine recorded firing notifications were diagnosed by the LLM; with the pattern
        // learned since, each would have been fixed at tier 1.
        #expect(report["actionable"]?.intValue == 9, "\(replay.stdout)")
        #expect(report["llm_calls_avoided"]?.intValue == 9, "\(replay.stdout)")
        #expect((report["tokens_saved"]?.intValue ?? 0) > 0, "\(replay.stdout)")
        #expect(report["patterns_fired"]?[0]?["pattern_id"]?.intValue == id && report["patterns_fired"]?[0]?["count"]?.intValue == 9)
        #expect(report["changed_tiers"]?.arrayValue?.count == 9)
        #expect(report["changed_decisions"]?.arrayValue?.isEmpty == true, "the same configuration decides the same: \(replay.stdout)")
        #expect(server.requests.count == calls, "no LLM call")
        #expect(try snapshot() == before, "nothing written")
        // The webhook-folder mode reads bodies from a folder.
        try FileManager.default.createDirectory(atPath: dir.file("bodies"), withIntermediateDirectories: true)
        try TriageCLITests.webhook([(Self.labels, "firing", startsAt(50))]).write(to: URL(fileURLWithPath: dir.file("bodies/1.json")))
        try Data("not json".utf8).write(to: URL(fileURLWithPath: dir.file("bodies/2.json")))
        let folder = try JarvisProcess.run(["replay", "--webhooks", dir.file("bodies")], environment: env)
        #expect(folder.exitCode == 0, "\(folder.stderr)")
        #expect(folder.stdout.contains("tier 1 1") && folder.stdout.contains("pattern #\(id) would fire 1 time(s)"), "\(folder.stdout)")
        #expect(folder.stderr.contains("skipped") && folder.stdout.contains("1 skipped"), "\(folder.stderr)")
    }

    @Test func aPatternThePolicyNowRejectsIsNeverUsed() throws {
        defer { server.stop() }
        try writeConfig()
        for n in 1...9 {
            _ = try ingest(n, "firing")
            _ = try ingest(n, "resolved")
        }
        #expect(try patterns().first?["tier"]?.intValue == 1)
        // The action is disabled for the host after the pattern was learned.
        try writeConfig(disableAction: true)
        let calls = server.requests.count
        let next = try ingest(10, "firing")
        #expect(!next.contains("tier 1"), "\(next)")
        #expect(server.requests.count == calls + 1, "the LLM was asked instead")
        #expect(next.contains("rejected"), "and its plan was refused: \(next)")
        // Disabled by a person: not used either (the policy allows it again).
        try writeConfig()
        let id = try #require(try patterns().first?["id"]?.intValue)
        let disable = try JarvisProcess.run(["patterns", "disable", "\(id)"], environment: env)
        #expect(disable.exitCode == 0 && disable.stdout.contains("disabled"), "\(disable.stdout)")
        let after = try ingest(11, "firing")
        #expect(!after.contains("tier 1") && server.requests.count == calls + 2, "\(after)")
    }
}

/// With PostgreSQL configured it learns: patterns get their ids there (the local copy has the
/// same), pattern events are written there, fingerprints arrive through the journal.
@Suite(.serialized, .timeLimit(.minutes(5))) final class LearningPostgresTests {
    let postgres: TestPostgres
    let dir: TemporaryDirectory
    let server: StandInAnthropicServer

    init() throws {
        postgres = try TestPostgres()
        dir = try TemporaryDirectory()
        server = try StandInAnthropicServer()
        server.fallback = .proposePlan(actions: [ActionProposal(action: "test.touch", parameters: ["container": "frigate"])])
    }

    deinit {
        server.stop()
        postgres.destroy()
    }

    var env: [String: String] {
        [
            "JARVIS_SPOOL_DIR": dir.file("spool"), "JARVIS_STATE_DIR": dir.file("state"), "JARVIS_CONFIG": dir.file("jarvis.yml"),
            "DATABASE_URL": postgres.url, "ANTHROPIC_API_KEY": "sk-test-not-a-secret",
        ]
    }

    func int(_ sql: String) throws -> Int { try PSQL.int(postgres.url, sql) }

    @Test func patternsAreLearnedInPostgreSQLAndTheLocalCopyHasTheirIds() throws {
        try LearningCLITests.writeConfig(dir: dir, llm: server.baseURL)
        let migrate = try JarvisProcess.run(["migrate"], environment: env)
        try #require(migrate.exitCode == 0, "\(migrate.stdout) \(migrate.stderr)")
        #expect(try int("SELECT count(*) FROM remediation_patterns WHERE source = 'seed'") == 14)
        // Another runner's pattern holds id 15 already.
        _ = try PSQL.scalar(
            postgres.url,
            "INSERT INTO remediation_patterns (id, idempotency_key, fingerprint, alertname, commands, source) VALUES (15, 'pattern/other-runner', '\(String(repeating: "b", count: 64))', 'Other', '[]', 'learned') RETURNING id"
        )
        for n in 1...3 {
            for status in ["firing", "resolved"] {
                let body = TriageCLITests.webhook([(LearningCLITests.labels, status, Timestamp(seconds: 1_800_000_000 + Int64(n) * 3600).rfc3339)])
                _ = try JarvisProcess.run(["enqueue", "-"], environment: env, stdin: body)
                let ingest = try JarvisProcess.run(["ingest"], environment: env)
                try #require(ingest.exitCode == 0, "\(ingest.stdout) \(ingest.stderr)")
            }
        }
        let local = try JarvisProcess.run(["patterns", "list", "--json", "--alertname", "FrigateDown"], environment: env)
        let pattern = try #require(try JSONValue(parsing: local.stdout)[0])
        let id = try #require(pattern["id"]?.intValue)
        #expect(id == 16, "after the 14 seeds and another runner's pattern 15")
        #expect(try int("SELECT count(*) FROM remediation_patterns") == 16)
        let mine = "alertname = 'FrigateDown'"
        #expect(try int("SELECT id FROM remediation_patterns WHERE \(mine)") == id, "PostgreSQL's id")
        #expect(try PSQL.scalar(postgres.url, "SELECT idempotency_key FROM remediation_patterns WHERE id = 15") == "pattern/other-runner")
        #expect(try int("SELECT count(*) FROM remediation_patterns WHERE \(mine)") == 1)
        #expect(try int("SELECT success_count FROM remediation_patterns WHERE \(mine)") == 3)
        #expect(try int("SELECT tier FROM remediation_patterns WHERE \(mine)") == 2)
        #expect(
            try PSQL.scalar(postgres.url, "SELECT commands->0->'parameters'->>'container' FROM remediation_patterns WHERE \(mine)")
                == "{{labels.container}}")
        #expect(try int("SELECT count(*) FROM pattern_events WHERE pattern_id = \(id) AND kind = 'learned' AND remediation_key IS NOT NULL") == 1)
        #expect(try int("SELECT count(*) FROM pattern_events WHERE pattern_id = \(id) AND kind = 'promoted' AND from_tier = 3 AND to_tier = 2") == 1)
        #expect(try int("SELECT occurrences FROM alert_fingerprints WHERE alertname = 'FrigateDown'") == 3)
        #expect(try int("SELECT count(*) FROM remediation_log WHERE pattern_id = \(id)") == 2, "occurrences 2 and 3 matched the pattern")
        // The SQL confidence of the stored row and the Swift value agree.
        let sql = try #require(
            Double(
                try PSQL.scalar(
                    postgres.url,
                    "SELECT calculate_pattern_confidence(success_count, failure_count, last_used_at) FROM remediation_patterns WHERE \(mine)")))
        let swift = try #require(pattern["confidence"].flatMap { if case .number(let v) = $0 { v } else { nil } })
        #expect(abs(sql - swift) < 0.001, "SQL \(sql), Swift \(swift)")
    }
}

/// `jarvis learn` killed (SIGKILL) at random moments and run again until it finishes: every
/// outcome is counted exactly once, as a run that was never interrupted counts them.
@Suite(.serialized, .timeLimit(.minutes(5))) struct LearnKillTests {
    /// Settled outcomes: containers c0…c9, occurrences o0… (after `prefix`), about 70 %
    /// verified; `forward` also journals them for PostgreSQL.
    static func populate(
        _ path: String, count: Int, prefix: String = "", seed: UInt64 = 1515, forward: Bool = false
    ) throws -> (successes: Int, failures: Int) {
        let journal = try JournalDatabase(path: path)
        var random = SeededRandom(seed: seed)
        var successes = 0
        var failures = 0
        var learnedCommands: Set<Int> = []
        let t0 = Timestamp(seconds: 1_800_000_000)
        for n in 0..<count {
            let container = random.next(below: 10)
            let verified = random.next(below: 10) < 7
            let at = t0.adding(seconds: Double(n))
            let record = RemediationRecord(
                key: "remediation/\(prefix)\(n)", occurrenceKey: "\(prefix)o\(n)", alertKey: "ContainerDown/vps", alertname: "ContainerDown",
                host: "vps", tier: 3,
                commandsJSON:
                    #"[{"action":"docker.restart","argv":["docker","restart","c\#(container)"],"parameters":{"container":"c\#(container)"}}]"#,
                intentAt: at, outcome: .succeeded, outcomeAt: at)
            _ = try journal.recordIntent(record, forward: forward, now: at)
            var settled = record
            settled.verification = verified ? .verified : .failed
            try journal.settleVerification(settled, forward: forward, now: at)
            // What an uninterrupted learner counts: a failure only once the pattern exists.
            if verified {
                successes += 1
                learnedCommands.insert(container)
            } else if learnedCommands.contains(container) {
                failures += 1
            }
        }
        return (successes, failures)
    }

    @Test func killedAtRandomAndRunAgainTheCountsAreExact() throws {
        let dir = try TemporaryDirectory()
        let env = ["JARVIS_SPOOL_DIR": dir.file("spool"), "JARVIS_STATE_DIR": dir.file("state"), "JARVIS_CONFIG": dir.file("jarvis.yml")]
        try "hosts: []\n".write(toFile: dir.file("jarvis.yml"), atomically: true, encoding: .utf8)
        try FileManager.default.createDirectory(atPath: dir.file("state"), withIntermediateDirectories: true)
        let expected = try Self.populate(dir.file("state/jarvis.sqlite"), count: 400)
        var random = SeededRandom(seed: 99)
        var kills = 0
        var killedHalfway = 0
        var finished = false
        for _ in 0..<40 where !finished {
            let running = try JarvisProcess.start(["learn"], environment: env)
            usleep(UInt32(20_000 + random.next(below: 180_000)))
            running.kill(SIGKILL)
            let result = running.wait()
            if result.exitCode == 0 {
                finished = true
            } else {
                kills += 1
                let cursor = try JournalDatabase(path: dir.file("state/jarvis.sqlite")).loadState("learn") ?? ""
                if !cursor.isEmpty && cursor != #"{"feedback_id":400}"# { killedHalfway += 1 }
            }
        }
        if !finished {
            let last = try JarvisProcess.run(["learn"], environment: env)
            #expect(last.exitCode == 0, "\(last.stderr)")
        }
        #expect(kills > 0 && killedHalfway > 0, "at least one run was killed halfway (\(kills) kills, \(killedHalfway) halfway)")
        let journal = try JournalDatabase(path: dir.file("state/jarvis.sqlite"))
        let learned = try journal.patterns().filter { $0.source == .learned }
        #expect(learned.reduce(0) { $0 + $1.successes } == expected.successes)
        #expect(learned.reduce(0) { $0 + $1.failures } == expected.failures)
        #expect(try journal.learn(forward: false, now: Timestamp(seconds: 1_900_000_000), runner: "").outcomes == 0, "nothing left to teach")
        // One learned event per pattern, never two.
        let learnedEvents = try journal.patternEvents().filter { $0.kind == .learned }
        #expect(learnedEvents.count == learned.count)
    }
}

/// `jarvis patterns import|export` through the binary: hostile files are refused with their
/// JSON paths and exit 65, and nothing is imported partially.
@Suite(.serialized) struct PatternsCLITests {
    let dir: TemporaryDirectory

    init() throws { dir = try TemporaryDirectory() }

    var env: [String: String] {
        ["JARVIS_SPOOL_DIR": dir.file("spool"), "JARVIS_STATE_DIR": dir.file("state"), "JARVIS_CONFIG": dir.file("jarvis.yml")]
    }

    func run(_ arguments: [String]) throws -> JarvisProcess.Result {
        try "hosts: []\n".write(toFile: dir.file("jarvis.yml"), atomically: true, encoding: .utf8)
        return try JarvisProcess.run(arguments, environment: env)
    }

    @Test func hostileImportsAreRefusedWithJSONPathsAndNothingIsImported() throws {
        let good =
            #"{"alertname": "ContainerDown", "source": "learned", "symptom": ["alertname=ContainerDown", "container=web"], "actions": [{"action": "docker.restart", "parameters": {"container": "{{labels.container}}"}}], "successes": 3, "failures": 0}"#
        let files: [(String, String, String)] = [
            (
                "unknown-action",
                #"{"format": "jarvis-patterns", "version": 1, "patterns": [\#(good), {"alertname": "A", "source": "learned", "symptom": ["alertname=A"], "actions": [{"action": "rm", "parameters": {}}], "successes": 1, "failures": 0}]}"#,
                "$.patterns[1].actions[0].action"
            ),
            (
                "shell",
                #"{"format": "jarvis-patterns", "version": 1, "patterns": [\#(good), {"alertname": "A", "source": "learned", "symptom": ["alertname=A"], "actions": [{"action": "docker.restart", "parameters": {"container": "$(reboot)"}}], "successes": 1, "failures": 0}]}"#,
                "$.patterns[1].actions[0].parameters.container"
            ),
            (
                "binding",
                #"{"format": "jarvis-patterns", "version": 1, "patterns": [\#(good), {"alertname": "A", "source": "learned", "symptom": ["alertname=A"], "actions": [{"action": "docker.restart", "parameters": {"container": "{{labels.nothere}}"}}], "successes": 1, "failures": 0}]}"#,
                "$.patterns[1].actions[0].parameters.container"
            ),
            ("invalid", #"{"format": "jarvis-patterns", "#, "$: not valid JSON"),
            ("huge", String(repeating: " ", count: PatternDocument.maximumBytes + 10), "$: the file has"),
        ]
        for (name, text, path) in files {
            try text.write(toFile: dir.file(name + ".json"), atomically: true, encoding: .utf8)
            let result = try run(["patterns", "import", dir.file(name + ".json")])
            #expect(result.exitCode == 65, "\(name): \(result.stderr)")
            #expect(result.stderr.contains("nothing imported") && result.stderr.contains(path), "\(name): \(result.stderr)")
            #expect(!result.stderr.contains("Error") && !result.stderr.contains("JarvisCore."), "no Swift type names: \(result.stderr)")
        }
        let list = try run(["patterns", "list", "--json"])
        #expect(try JSONValue(parsing: list.stdout).arrayValue?.count == 14, "only the seeds")
    }

    @Test func anExportImportsBackUnchangedAndAnUnknownIDIsAUsageError() throws {
        let export = try run(["patterns", "export", dir.file("all.json")])
        #expect(export.exitCode == 0 && export.stdout.contains("exported 14 patterns"), "\(export.stderr)")
        let again = try run(["patterns", "import", dir.file("all.json")])
        #expect(again.exitCode == 0 && again.stdout.contains("0 new, 14 existing (their counts kept)"), "\(again.stdout) \(again.stderr)")
        let missing = try run(["patterns", "show", "999"])
        #expect(missing.exitCode == 64 && missing.stderr.contains("no pattern #999"), "\(missing.stderr)")
        let show = try run(["patterns", "show", "1"])
        #expect(show.exitCode == 0 && show.stdout.contains("#1  tier 3  2/2 verified"), "\(show.stdout)")
        // An export that cannot be written is an I/O error naming the file, not the journal.
        let unwritable = try run(["patterns", "export", dir.file("no-such-folder/all.json")])
        #expect(unwritable.exitCode == 74, "\(unwritable.stderr)")
        #expect(unwritable.stderr.contains("cannot write \(dir.file("no-such-folder/all.json"))"), "\(unwritable.stderr)")
        #expect(!unwritable.stderr.contains("journal:"), "\(unwritable.stderr)")
    }
}
