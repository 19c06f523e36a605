import Foundation
import JarvisCore
import JarvisSQLite
import JarvisTestSupport
import Testing

/// Runners learning together on one real PostgreSQL, through the real binary: every runner's
/// settled outcomes are counted there once, whichever runners run `learn` and however often
/// they are killed, and a pattern trusted from two runners' outcomes runs alone on a third.
@Suite(.serialized, .timeLimit(.minutes(8))) final class SharedLearningCLITests {
    let postgres: TestPostgres
    let dir: TemporaryDirectory

    init() throws {
        postgres = try TestPostgres()
        dir = try TemporaryDirectory()
    }

    deinit { postgres.destroy() }

    /// Runner `runner`'s environment; `database` other than the test's PostgreSQL (one that is away).
    func env(_ runner: String, database: String? = nil) -> [String: String] {
        [
            "JARVIS_SPOOL_DIR": dir.file("\(runner)/spool"), "JARVIS_STATE_DIR": dir.file("\(runner)/state"), "JARVIS_CONFIG": dir.file("jarvis.yml"),
            "DATABASE_URL": database ?? postgres.url, "JARVIS_RUNNER_ID": runner, "ANTHROPIC_API_KEY": "sk-test-not-a-secret",
        ]
    }

    func int(_ sql: String) throws -> Int { try PSQL.int(postgres.url, sql) }

    func expectedCounts() throws -> (successes: Int, failures: Int) { try Self.expectedCounts(postgres.url) }

    /// What one learner counts over the outcomes in PostgreSQL's order: a success of a
    /// command set teaches it, a failure counts once its pattern exists.
    static func expectedCounts(_ url: String) throws -> (successes: Int, failures: Int) {
        let rows = try PSQL.scalar(
            url,
            """
            SELECT string_agg(r.commands->0->'parameters'->>'container' || ':' || f.outcome, ',' ORDER BY f.id)
            FROM learning_feedback f JOIN remediation_log r ON r.idempotency_key = f.remediation_key
            """)
        var learned: Set<Substring> = []
        var successes = 0
        var failures = 0
        for row in rows.split(separator: ",") {
            let parts = row.split(separator: ":")
            if parts[1] == "success" {
                successes += 1
                learned.insert(parts[0])
            } else if learned.contains(parts[0]) {
                failures += 1
            }
        }
        return (successes, failures)
    }

    @Test func learnOnTwoRunnersAtOnceKilledAndRunAgainCountsEveryRunnersOutcomesExactlyOnce() throws {
        try "hosts: []\n".write(toFile: dir.file("jarvis.yml"), atomically: true, encoding: .utf8)
        let migrate = try JarvisProcess.run(["migrate"], environment: env("a"))
        try #require(migrate.exitCode == 0, "\(migrate.stderr)")
        // Each runner settled 1,500 outcomes of its own; its drain sends them to PostgreSQL.
        for (index, runner) in ["a", "b"].enumerated() {
            try FileManager.default.createDirectory(atPath: dir.file("\(runner)/state"), withIntermediateDirectories: true)
            _ = try LearnKillTests.populate(
                dir.file("\(runner)/state/jarvis.sqlite"), count: 1500, prefix: runner, seed: UInt64(77 + index), forward: true)
            let drain = try JarvisProcess.run(["drain"], environment: env(runner))
            try #require(drain.exitCode == 0, "\(drain.stdout)\n\(drain.stderr)")
        }
        try #require(try int("SELECT count(*) FROM learning_feedback WHERE learned_at IS NULL") == 3000)
        let expected = try expectedCounts()

        // `learn` on both runners at once, both SIGKILLed at random moments once teaching has
        // begun, again and again; then both once more to the end.
        var random = SeededRandom(seed: 1212)
        var partial = 0
        var taught = 0
        for _ in 0..<4 {
            let a = try JarvisProcess.start(["learn"], environment: env("a"))
            let b = try JarvisProcess.start(["learn"], environment: env("b"))
            for _ in 0..<200 where a.isRunning && b.isRunning {
                if try int("SELECT count(*) FROM learning_feedback WHERE learned_at IS NOT NULL") > taught { break }
                usleep(20_000)
            }
            for learner in [a, b] {
                usleep(UInt32(random.next(below: 150_000)))
                learner.kill(SIGKILL)
            }
            _ = a.wait()
            _ = b.wait()
            taught = try int("SELECT count(*) FROM learning_feedback WHERE learned_at IS NOT NULL")
            if taught > 0 && taught < 3000 { partial += 1 }
        }
        let a = try JarvisProcess.start(["learn"], environment: env("a"))
        let b = try JarvisProcess.start(["learn"], environment: env("b"))
        let results = [a.wait(), b.wait()]
        for result in results { #expect(result.exitCode == 0, "\(result.stdout)\n\(result.stderr)") }
        #expect(partial > 0, "at least one round was killed halfway")

        #expect(try int("SELECT count(*) FROM learning_feedback WHERE learned_at IS NULL") == 0)
        #expect(try int("SELECT count(DISTINCT learned_by) FROM learning_feedback") == 2, "both runners taught")
        #expect(try int("SELECT sum(success_count) FROM remediation_patterns WHERE source = 'learned'") == expected.successes)
        #expect(try int("SELECT sum(failure_count) FROM remediation_patterns WHERE source = 'learned'") == expected.failures)
        #expect(try int("SELECT count(*) FROM pattern_evidence") == expected.successes + expected.failures, "one row per counted occurrence")
        let learned = try int("SELECT count(*) FROM remediation_patterns WHERE source = 'learned'")
        #expect(try int("SELECT count(*) FROM pattern_events WHERE kind = 'learned'") == learned, "one learned event per pattern")

        // Each runner's local copy holds PostgreSQL's patterns, ids and counts.
        for runner in ["a", "b"] {
            let journal = try JournalDatabase(path: dir.file("\(runner)/state/jarvis.sqlite"))
            let local = try journal.patterns().filter { $0.source == .learned }
            #expect(local.count == learned)
            #expect(local.reduce(0) { $0 + $1.successes } == expected.successes, "\(runner)")
            for pattern in local {
                #expect(
                    try int("SELECT success_count FROM remediation_patterns WHERE id = \(pattern.id) AND idempotency_key = '\(pattern.key)'")
                        == pattern.successes)
            }
            // Nothing was counted in the journal itself: PostgreSQL owns every count.
            #expect(try journal.loadState("learn") == nil, "\(runner) learned locally")
        }
        let again = try JarvisProcess.run(["learn"], environment: env("a"))
        #expect(again.exitCode == 0 && again.stdout.contains("0 settled outcomes read"), "\(again.stdout)")
    }

    @Test func aPatternTrustedFromTwoRunnersOutcomesFiresAtTier1OnAThirdWithNoLLMCall() throws {
        let server = try StandInAnthropicServer()
        defer { server.stop() }
        server.fallback = .proposePlan(
            actions: [ActionProposal(action: "test.touch", parameters: ["container": "frigate"])], summary: "restart frigate")
        try LearningCLITests.writeConfig(dir: dir, llm: server.baseURL)
        let migrate = try JarvisProcess.run(["migrate"], environment: env("a"))
        try #require(migrate.exitCode == 0, "\(migrate.stderr)")

        func ingest(_ runner: String, _ n: Int, _ status: String) throws -> String {
            let at = Timestamp(seconds: 1_800_000_000 + Int64(n) * 3600).rfc3339
            let body = TriageCLITests.webhook([(LearningCLITests.labels, status, at)])
            let enqueue = try JarvisProcess.run(["enqueue", "-"], environment: env(runner), stdin: body)
            try #require(enqueue.exitCode == 0, "\(enqueue.stderr)")
            let result = try JarvisProcess.run(["ingest"], environment: env(runner))
            try #require(result.exitCode == 0, "\(runner): \(result.stdout)\n\(result.stderr)")
            return result.stdout
        }

        // Occurrences 1–9, odd ones on runner a, even ones on runner b: the LLM proposes the
        // fix, it runs, the alert resolves. PostgreSQL counts both runners' outcomes.
        for n in 1...9 {
            let runner = n % 2 == 1 ? "a" : "b"
            let fired = try ingest(runner, n, "firing")
            #expect(fired.contains("remediated"), "occurrence \(n) on \(runner): \(fired)")
            #expect(server.requests.count == n, "occurrence \(n) asked the LLM")
            let resolved = try ingest(runner, n, "resolved")
            #expect(resolved.contains("verified"), "occurrence \(n) on \(runner): \(resolved)")
        }
        let mine = "alertname = 'FrigateDown' AND source = 'learned'"
        #expect(try int("SELECT count(*) FROM remediation_patterns WHERE \(mine)") == 1)
        #expect(try int("SELECT success_count FROM remediation_patterns WHERE \(mine)") == 9, "a's 5 and b's 4 outcomes")
        #expect(try int("SELECT tier FROM remediation_patterns WHERE \(mine)") == 1)
        #expect(try int("SELECT count(DISTINCT runner) FROM remediation_log WHERE alertname = 'FrigateDown'") == 2)
        let id = try int("SELECT id FROM remediation_patterns WHERE \(mine)")

        // Occurrence 10 on runner c, which never saw the alert: its copy of the patterns comes
        // from PostgreSQL at the start of its run, so the fix runs at tier 1 with no LLM call.
        let tenth = try ingest("c", 10, "firing")
        #expect(server.requests.count == 9, "no LLM call at tier 1")
        #expect(tenth.contains("tier 1") && tenth.contains("learned fix (pattern #\(id), 9/9 verified)"), "\(tenth)")
        #expect(try int("SELECT count(*) FROM remediation_log WHERE runner = 'c' AND tier = 1 AND pattern_id = \(id)") == 1)
        let list = try JarvisProcess.run(["patterns", "list", "--json", "--alertname", "FrigateDown"], environment: env("c"))
        let listed = try JSONValue(parsing: list.stdout).arrayValue ?? []
        #expect(listed.first?["id"]?.intValue == id && listed.first?["successes"]?.intValue == 9, "\(list.stdout)")
    }
}
