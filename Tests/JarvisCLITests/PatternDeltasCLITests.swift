import Foundation
import GRDB
import JarvisCore
import JarvisSQLite
import JarvisTestSupport
import Testing

/// A person's changes to patterns across runners on one real PostgreSQL, through the real
/// binary: `patterns enable|disable|import` arrive as the changes they are, so they never
/// undo counts another runner's `learn` taught meanwhile; a change queued while PostgreSQL
/// was away applies once however often it is sent; `patterns show` lists every runner's
/// history; and a command set that failed on other runners is not run again. (Tests of the
/// `SharedLearningCLITests` suite: its PostgreSQL, folders and runner environments.)
extension SharedLearningCLITests {
    /// Nothing listens on port 1 of loopback: PostgreSQL is away.
    static let away = "postgresql://jarvis@127.0.0.1:1/jarvis?connect_timeout=2"

    func run(_ runner: String, _ arguments: [String], database: String? = nil) throws -> JarvisProcess.Result {
        try JarvisProcess.run(arguments, environment: env(runner, database: database))
    }

    /// Settled outcomes on runner b, sent to PostgreSQL.
    func settle(_ count: Int, prefix: String, seed: UInt64) throws {
        try FileManager.default.createDirectory(atPath: dir.file("b/state"), withIntermediateDirectories: true)
        _ = try LearnKillTests.populate(dir.file("b/state/jarvis.sqlite"), count: count, prefix: prefix, seed: seed, forward: true)
        let drain = try run("b", ["drain"])
        try #require(drain.exitCode == 0, "\(drain.stdout)\n\(drain.stderr)")
    }

    @Test func aDisableWhileAnotherRunnerLearnsKeepsEveryCountAndAQueuedChangeAppliesOnce() throws {
        try "hosts: []\n".write(toFile: dir.file("jarvis.yml"), atomically: true, encoding: .utf8)
        try #require(try run("a", ["migrate"]).exitCode == 0)
        // Runner b teaches the patterns of containers c0…c9 from its first outcomes.
        try settle(60, prefix: "first-", seed: 7)
        try #require(try run("b", ["learn"]).exitCode == 0)
        let id = try int("SELECT id FROM remediation_patterns WHERE source = 'learned' ORDER BY id LIMIT 1")
        let key = try PSQL.scalar(postgres.url, "SELECT idempotency_key FROM remediation_patterns WHERE id = \(id)")
        // Runner a copies the patterns (as they are now) into its journal.
        try #require(try run("a", ["patterns", "list"]).exitCode == 0)

        // 1,500 more outcomes: b's learn teaches them while a disables the pattern.
        try settle(1500, prefix: "second-", seed: 8)
        let learner = try JarvisProcess.start(["learn"], environment: env("b"))
        for _ in 0..<500 where learner.isRunning {
            if try int("SELECT count(*) FROM learning_feedback WHERE learned_at IS NULL") < 1400 { break }
            usleep(10_000)
        }
        let disable = try run("a", ["patterns", "disable", "\(id)"])
        #expect(disable.exitCode == 0 && disable.stdout.contains("pattern #\(id) disabled"), "\(disable.stdout)\n\(disable.stderr)")
        #expect(disable.stdout.contains("shared with every runner"), "\(disable.stdout)")
        let untaughtWhenDisabled = try int("SELECT count(*) FROM learning_feedback WHERE learned_at IS NULL")
        #expect(learner.wait().exitCode == 0)
        #expect(untaughtWhenDisabled > 0, "the disable landed while b was still learning")
        let expected = try SharedLearningCLITests.expectedCounts(postgres.url)
        #expect(try int("SELECT sum(success_count) FROM remediation_patterns WHERE source = 'learned'") == expected.successes)
        #expect(try int("SELECT sum(failure_count) FROM remediation_patterns WHERE source = 'learned'") == expected.failures)
        #expect(try PSQL.scalar(postgres.url, "SELECT enabled FROM remediation_patterns WHERE id = \(id)") == "f")
        let counts = try PSQL.scalar(postgres.url, "SELECT success_count || '/' || failure_count FROM remediation_patterns WHERE id = \(id)")

        // An old copy of the pattern (counts 0/0, stamped in the future, as an older jarvis
        // queued them) reaches PostgreSQL: it changes nothing.
        let stale = try JournalDatabase(path: dir.file("a/state/jarvis.sqlite"))
        try stale.write { db in
            try db.execute(
                sql: """
                    INSERT INTO journal (tbl, idempotency_key, json, ref, created_at)
                    SELECT 'remediation_patterns', idempotency_key, json_object(
                        'idempotency_key', idempotency_key, 'id', id, 'fingerprint', fingerprint, 'alertname', alertname,
                        'symptom_parts', json(symptom_parts), 'commands', json(commands), 'risk', risk, 'success_count', 0, 'failure_count', 0,
                        'enabled', json('true'), 'source', source, 'created_at', created_at, 'updated_at', '2099-01-01T00:00:00Z',
                        'summary', summary, 'required_labels', json(required_labels), 'command_set', command_set, 'tier', 3), NULL, ?
                    FROM remediation_patterns WHERE idempotency_key = ?
                    """,
                arguments: ["2026-12-06T00:00:00Z", key])
        }
        try #require(try run("a", ["drain"]).exitCode == 0)
        #expect(try PSQL.scalar(postgres.url, "SELECT success_count || '/' || failure_count FROM remediation_patterns WHERE id = \(id)") == counts)
        #expect(try PSQL.scalar(postgres.url, "SELECT enabled FROM remediation_patterns WHERE id = \(id)") == "f")

        // PostgreSQL away for runner a: enable changes a's copy and waits in a's journal.
        let queued = try run("a", ["patterns", "enable", "\(id)"], database: Self.away)
        #expect(queued.exitCode == 0 && queued.stdout.contains("pattern #\(id) enabled"), "\(queued.stdout)\n\(queued.stderr)")
        #expect(queued.stdout.contains("not yet shared"), "\(queued.stdout)")
        #expect(try PSQL.scalar(postgres.url, "SELECT enabled FROM remediation_patterns WHERE id = \(id)") == "f")
        let delta = try #require(
            try stale.read { try Row.fetchOne($0, sql: "SELECT tbl, idempotency_key, json FROM journal WHERE tbl = 'pattern_commands'") })
        #expect((delta[2] as String).contains("\"kind\":\"enable\"") && !(delta[2] as String).contains("success_count"), "a change, not a copy")
        // The drain applies it; sent a second time (a drain that died before it could forget
        // what it sent), after runner b disabled the pattern again, it changes nothing.
        try #require(try run("a", ["drain"]).exitCode == 0)
        #expect(try PSQL.scalar(postgres.url, "SELECT enabled FROM remediation_patterns WHERE id = \(id)") == "t")
        let again = try run("b", ["patterns", "disable", "\(id)"])
        #expect(again.exitCode == 0 && again.stdout.contains("disabled"), "\(again.stdout)\n\(again.stderr)")
        try stale.write { db in
            try db.execute(
                sql: "INSERT INTO journal (tbl, idempotency_key, json, ref, created_at) VALUES (?, ?, ?, NULL, ?)",
                arguments: [delta[0] as String, delta[1] as String, delta[2] as String, "2026-12-06T00:00:00Z"])
        }
        try #require(try run("a", ["drain"]).exitCode == 0)
        #expect(try PSQL.scalar(postgres.url, "SELECT enabled FROM remediation_patterns WHERE id = \(id)") == "f", "the replay changed nothing")
        #expect(try int("SELECT count(*) FROM pattern_commands WHERE kind = 'enable'") == 1)
        #expect(try int("SELECT count(*) FROM pattern_events WHERE pattern_id = \(id) AND kind = 'enabled'") == 1)
        #expect(try PSQL.scalar(postgres.url, "SELECT success_count || '/' || failure_count FROM remediation_patterns WHERE id = \(id)") == counts)

        // The history on a third runner: every runner's changes, each named.
        let show = try run("c", ["patterns", "show", "\(id)"])
        #expect(show.exitCode == 0, "\(show.stderr)")
        let lines = show.stdout.split(separator: "\n")
        #expect(lines.contains { $0.contains("learned") && $0.contains("on b") }, "\(show.stdout)")
        #expect(lines.filter { $0.contains("disabled") && $0.contains("on a") }.count == 1, "\(show.stdout)")
        #expect(lines.contains { $0.contains("enabled") && $0.contains("on a") }, "\(show.stdout)")
        #expect(lines.contains { $0.contains("disabled") && $0.contains("on b") }, "\(show.stdout)")
        let json = try JSONValue(parsing: try run("c", ["patterns", "show", "\(id)", "--json"]).stdout)
        let changes = (json["events"]?.arrayValue ?? []).filter { ["enabled", "disabled"].contains($0["kind"]?.stringValue) }
        #expect(changes.compactMap { $0["runner"]?.stringValue } == ["a", "a", "b"], "\(json)")
        #expect(json["events"]?.arrayValue?.contains { $0["kind"]?.stringValue == "learned" && $0["runner"]?.stringValue == "b" } == true)
        // With PostgreSQL away, runner c lists its own events (none) and says so in one line.
        let alone = try run("c", ["patterns", "show", "\(id)"], database: Self.away)
        #expect(alone.exitCode == 0, "\(alone.stderr)")
        #expect(alone.stderr.contains("the history below is this runner's alone"), "\(alone.stderr)")
        #expect(!alone.stdout.contains(" on b"), "\(alone.stdout)")
    }

    @Test func anImportAddsPatternsAndNeverOverwritesTheFleetsCounts() throws {
        try "hosts: []\n".write(toFile: dir.file("jarvis.yml"), atomically: true, encoding: .utf8)
        try #require(try run("a", ["migrate"]).exitCode == 0)
        try settle(40, prefix: "", seed: 9)
        try #require(try run("b", ["learn"]).exitCode == 0)
        let export = try run("b", ["patterns", "export", dir.file("patterns.json")])
        try #require(export.exitCode == 0, "\(export.stderr)")
        let before = try PSQL.scalar(
            postgres.url, "SELECT string_agg(success_count || '/' || failure_count, ',' ORDER BY id) FROM remediation_patterns")
        // More outcomes taught after the export; then runner a imports the old file.
        try settle(40, prefix: "more-", seed: 10)
        try #require(try run("b", ["learn"]).exitCode == 0)
        let taught = try PSQL.scalar(
            postgres.url, "SELECT string_agg(success_count || '/' || failure_count, ',' ORDER BY id) FROM remediation_patterns")
        #expect(taught != before)
        let imported = try run("a", ["patterns", "import", dir.file("patterns.json")])
        #expect(imported.exitCode == 0 && imported.stdout.contains("0 new"), "\(imported.stdout)\n\(imported.stderr)")
        #expect(
            try PSQL.scalar(postgres.url, "SELECT string_agg(success_count || '/' || failure_count, ',' ORDER BY id) FROM remediation_patterns")
                == taught,
            "the file's older counts did not replace the fleet's")

        // A new pattern in a file reaches every runner, with one learned event naming a.
        var document = try JSONValue(parsing: try String(contentsOfFile: dir.file("patterns.json"), encoding: .utf8))
        var patterns = document["patterns"]?.arrayValue ?? []
        try #require(patterns.contains { $0["source"]?.stringValue == "learned" })
        patterns = patterns.filter { $0["source"]?.stringValue == "learned" }
        var fresh = try #require(patterns.last?.objectValue)
        let container = try #require(fresh["actions"]?[0]?["parameters"]?["container"]?.stringValue)
        fresh["key"] = nil
        fresh["summary"] = .string("imported by a")
        patterns = [.object(fresh)]
        document = .object((document.objectValue ?? [:]).merging(["patterns": .array(patterns)]) { $1 })
        let text = document.jsonText.replacingOccurrences(of: "\"\(container)\"", with: "\"imported\"")
        try text.write(toFile: dir.file("new.json"), atomically: true, encoding: .utf8)
        let added = try run("a", ["patterns", "import", dir.file("new.json")])
        #expect(added.exitCode == 0 && added.stdout.contains("1 new"), "\(added.stdout)\n\(added.stderr)")
        let newID = try int("SELECT id FROM remediation_patterns WHERE summary = 'imported by a'")
        #expect(try int("SELECT count(*) FROM pattern_events WHERE pattern_id = \(newID) AND kind = 'learned' AND runner = 'a'") == 1)
        let listed = try run("c", ["patterns", "list", "--json"])
        let ids = (try JSONValue(parsing: listed.stdout).arrayValue ?? []).compactMap { $0["id"]?.intValue }
        #expect(ids.contains(newID), "runner c has PostgreSQL's id: \(listed.stdout)")
    }

    @Test func aCommandSetThatFailedOnOtherRunnersIsNotRunAgain() throws {
        let server = try StandInAnthropicServer()
        defer { server.stop() }
        server.fallback = .proposePlan(
            actions: [ActionProposal(action: "test.touch", parameters: ["container": "frigate"])], summary: "restart frigate")
        // The acting template fails: its folder does not exist.
        try LearningCLITests.writeConfig(dir: dir, llm: server.baseURL)
        let config = try String(contentsOfFile: dir.file("jarvis.yml"), encoding: .utf8)
        try config.replacingOccurrences(of: dir.file("marker-"), with: dir.file("missing/marker-")).write(
            toFile: dir.file("jarvis.yml"), atomically: true, encoding: .utf8)
        try #require(try run("a", ["migrate"]).exitCode == 0)

        func ingest(_ runner: String, _ n: Int) throws -> String {
            let at = Timestamp(seconds: 1_800_000_000 + Int64(n) * 3600).rfc3339
            let body = TriageCLITests.webhook([(LearningCLITests.labels, "firing", at)])
            try #require(try JarvisProcess.run(["enqueue", "-"], environment: env(runner), stdin: body).exitCode == 0)
            let result = try run(runner, ["ingest"])
            return result.stdout + result.stderr
        }

        // Occurrence 1 on runner a: the plan runs and fails.
        let first = try ingest("a", 1)
        #expect(try int("SELECT count(*) FROM remediation_log WHERE runner = 'a' AND outcome = 'failed'") == 1, "\(first)")
        // Occurrence 2 on runner b, which never ran it: the LLM is told that the plan failed
        // (on a), proposes it anyway, and it fails a second time.
        let second = try ingest("b", 2)
        #expect(server.requests.count == 2)
        #expect(server.requests.last?.text.contains("FAILED PLANS") == true, "a's failure is listed: \(second)")
        #expect(try int("SELECT count(*) FROM remediation_log WHERE runner = 'b' AND outcome = 'failed'") == 1, "\(second)")
        // Occurrence 3 on runner c: the plan failed twice for this alert key, on two other
        // runners, so c escalates instead of running it.
        let third = try ingest("c", 3)
        #expect(third.contains("failed 2 times for this alert already"), "escalated, not retried: \(third)")
        #expect(try int("SELECT count(*) FROM remediation_log WHERE runner = 'c' AND outcome IN ('failed', 'succeeded')") == 0, "\(third)")

    }
}
