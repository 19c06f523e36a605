import Foundation
import JarvisTestSupport
import Testing

/// The spool → journal → PostgreSQL path through the real binary and a real PostgreSQL
/// cluster started for the suite; counts are checked with psql, not with jarvis' own adapter.
@Suite(.serialized, .timeLimit(.minutes(10)))
final class PostgresPathTests {
    let postgres: TestPostgres
    let dir: TemporaryDirectory

    init() throws {
        postgres = try TestPostgres()
        dir = try TemporaryDirectory()
    }

    deinit { postgres.destroy() }

    var env: [String: String] {
        ["JARVIS_SPOOL_DIR": dir.file("spool"), "JARVIS_STATE_DIR": dir.file("state"), "DATABASE_URL": postgres.url]
    }

    func enqueue(_ body: Data) throws {
        let result = try JarvisProcess.run(["enqueue", "-"], environment: env, stdin: body)
        try #require(result.exitCode == 0, "\(result.stderr)")
    }

    func count(_ sql: String = "SELECT count(*) FROM alert_events") throws -> Int { try PSQL.int(postgres.url, sql) }

    func journalDepth() throws -> Int {
        let status = try JarvisProcess.run(["status", "--json"], environment: env)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(status.stdout.utf8)) as? [String: Any])
        return try #require((object["journal"] as? [String: Any])?["rows"] as? Int)
    }

    func migrate() throws {
        let result = try JarvisProcess.run(["migrate"], environment: env)
        try #require(result.exitCode == 0, "migrate: \(result.stdout) \(result.stderr)")
    }

    @Test func migrateCreatesBothSchemasAndIsIdempotent() throws {
        let first = try JarvisProcess.run(["migrate"], environment: env)
        #expect(first.exitCode == 0, "\(first.stderr)")
        #expect(first.stdout.contains("PostgreSQL: applied"))
        let second = try JarvisProcess.run(["migrate"], environment: env)
        #expect(second.exitCode == 0)
        #expect(second.stdout.contains("SQLite") && second.stdout.contains("up to date"))
        #expect(second.stdout.contains("PostgreSQL: up to date"))
        for table in [
            "alert_events", "remediation_log", "remediation_patterns", "alert_fingerprints", "learning_feedback", "host_status_log",
            "maintenance_windows",
        ] {
            #expect(try count("SELECT count(*) FROM information_schema.tables WHERE table_name = '\(table)'") == 1, "\(table)")
        }
        for view in ["high_confidence_patterns", "learning_stats"] {
            #expect(try count("SELECT count(*) FROM information_schema.views WHERE table_name = '\(view)'") == 1, "\(view)")
        }
        #expect(try count("SELECT count(*) FROM pg_proc WHERE proname = 'calculate_pattern_confidence'") == 1)
    }

    @Test func duplicateDeliveryYieldsOneRowPerOccurrenceAndStatus() throws {
        try migrate()
        // The same body three times, an overlapping group resend, and resolved notifications for ten of them.
        let body = SyntheticPayloads.group(first: 0, count: 40)
        for _ in 0..<3 { try enqueue(body) }
        try enqueue(SyntheticPayloads.group(first: 20, count: 40))
        try enqueue(SyntheticPayloads.group(first: 0, count: 10, status: "resolved"))
        for name in Fixtures.payloadNames { try enqueue(try Fixtures.payload(name)) }
        let ingest = try JarvisProcess.run(["ingest"], environment: env)
        #expect(ingest.exitCode == 0, "\(ingest.stdout) \(ingest.stderr)")
        // 60 firing + 10 resolved synthetic, 19 distinct from the golden payloads
        #expect(try count() == 89)
        #expect(try count("SELECT count(DISTINCT (fingerprint, starts_at, status)) FROM alert_events") == 89)
        #expect(try count("SELECT count(*) FROM alert_events WHERE status = 'resolved' AND ends_at IS NOT NULL") == 12)
        #expect(try journalDepth() == 0)
        // A second delivery of everything, and another ingest, adds nothing.
        try enqueue(body)
        for name in Fixtures.payloadNames { try enqueue(try Fixtures.payload(name)) }
        #expect(try JarvisProcess.run(["ingest"], environment: env).exitCode == 0)
        #expect(try count() == 89)
        // Labels, annotations and nanoseconds made it through intact.
        #expect(try PSQL.scalar(postgres.url, "SELECT labels->>'alertname' FROM alert_events WHERE alertname = '服务异常告警' LIMIT 1") == "服务异常告警")
        #expect(try count("SELECT length(annotations->>'summary') FROM alert_events WHERE alertname = 'something_happend'") == 4955)
        #expect(
            try PSQL.scalar(
                postgres.url,
                "SELECT to_char(starts_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS.US') FROM alert_events WHERE fingerprint = '4924976ad7844850'")
                == "2026-11-29 01:09:23.278125", "PostgreSQL keeps microseconds, rounded")
    }

    @Test func outageBeforeIngestThenDrainLosesAndDuplicatesNothing() throws {
        try migrate()
        // Given PostgreSQL is down
        try postgres.stop()
        for i in 0..<20 { try enqueue(SyntheticPayloads.group(first: i * 50, count: 50)) }
        // When ingest runs
        let ingest = try JarvisProcess.run(["ingest"], environment: env)
        // Then it completes degraded: exit 75, every alert in the journal, status degraded
        #expect(ingest.exitCode == 75, "\(ingest.stdout) \(ingest.stderr)")
        #expect(ingest.stdout.contains("1000 new"))
        #expect(try journalDepth() == 1000)
        let status = try JarvisProcess.run(["status"], environment: env)
        #expect(status.exitCode == 75)
        #expect(status.stdout.contains("degraded"))
        #expect(status.stdout.contains("1000 rows waiting"))
        let drainWhileDown = try JarvisProcess.run(["drain"], environment: env)
        #expect(drainWhileDown.exitCode == 75)
        // When PostgreSQL is back and drain runs
        try postgres.start()
        let drain = try JarvisProcess.run(["drain"], environment: env)
        #expect(drain.exitCode == 0, "\(drain.stdout) \(drain.stderr)")
        #expect(drain.stdout.contains("drained 1000 rows"))
        // Then every alert is there exactly once and the journal is empty
        #expect(try count() == 1000)
        #expect(try journalDepth() == 0)
        let healthy = try JarvisProcess.run(["status"], environment: env)
        #expect(healthy.exitCode == 0)
        #expect(healthy.stdout.contains("healthy"))
    }

    @Test func outageInTheMiddleOfADrainLosesAndDuplicatesNothing() throws {
        try migrate()
        try postgres.stop()
        for i in 0..<100 { try enqueue(SyntheticPayloads.group(first: i * 100, count: 100)) }
        #expect(try JarvisProcess.run(["ingest"], environment: env).exitCode == 75)
        #expect(try journalDepth() == 10_000)
        try postgres.start()
        // A slow drain (small batches) that loses PostgreSQL part-way through.
        let drain = try JarvisProcess.start(["drain", "--batch-size", "50"], environment: env)
        let deadline = Date().addingTimeInterval(30)
        while try count() < 500, Date() < deadline { usleep(20_000) }
        try postgres.stop()
        let result = drain.wait()
        #expect(result.exitCode == 75, "\(result.stdout) \(result.stderr)")
        let inPostgres: Int
        do {
            try postgres.start()
            inPostgres = try count()
        }
        #expect(inPostgres > 0 && inPostgres < 10_000, "drained \(inPostgres) before the outage")
        #expect(try journalDepth() + inPostgres >= 10_000, "rows left the journal before PostgreSQL committed them")
        let finish = try JarvisProcess.run(["drain"], environment: env)
        #expect(finish.exitCode == 0, "\(finish.stderr)")
        #expect(try count() == 10_000)
        #expect(try journalDepth() == 0)
    }

    @Test func outageWhileAnIngestStreamsItsGroupsThenDrainLosesAndDuplicatesNothing() throws {
        try migrate()
        // Groups of 4 files: the ingest forwards each one while it records the next.
        try "ingest:\n  group_files: 4\n".write(toFile: dir.file("jarvis.yml"), atomically: true, encoding: .utf8)
        var env = env
        env["JARVIS_CONFIG"] = dir.file("jarvis.yml")
        for i in 0..<400 { try enqueue(SyntheticPayloads.group(first: i * 100, count: 100)) }
        let ingest = try JarvisProcess.start(["ingest"], environment: env)
        let deadline = Date().addingTimeInterval(60)
        while try count() == 0, ingest.isRunning, Date() < deadline { usleep(5_000) }
        let unrecorded = try ["incoming", "processing"].map { try FileManager.default.contentsOfDirectory(atPath: dir.file("spool/\($0)")).count }
        #expect(unrecorded.reduce(0, +) > 0, "rows reach PostgreSQL while the ingest still records files")
        try postgres.stop()
        let result = ingest.wait()
        #expect(result.exitCode == 75, "\(result.stdout) \(result.stderr)")
        try postgres.start()
        let inPostgres = try count()
        #expect(inPostgres > 0 && inPostgres < 40_000, "forwarded \(inPostgres) before the outage")
        #expect(try journalDepth() + inPostgres >= 40_000, "rows left the journal before PostgreSQL committed them")
        let finish = try JarvisProcess.run(["drain"], environment: env)
        #expect(finish.exitCode == 0, "\(finish.stderr)")
        #expect(try count() == 40_000)
        #expect(try count("SELECT count(*) FROM alert_occurrences") == 40_000)
        #expect(try journalDepth() == 0)
    }

    @Test func twoIngestsStartedAtOnceProcessEachFileOnce() throws {
        try migrate()
        for i in 0..<200 { try enqueue(SyntheticPayloads.group(first: i * 20, count: 20)) }
        let a = try JarvisProcess.start(["ingest"], environment: env)
        let b = try JarvisProcess.start(["ingest"], environment: env)
        let (ra, rb) = (a.wait(), b.wait())
        #expect(ra.exitCode == 0 && rb.exitCode == 0, "\(ra.stderr) \(rb.stderr)")
        let files = [ra, rb].compactMap { result -> Int? in
            guard let match = result.stdout.firstMatch(of: /ingest: (\d+) files?/) else { return nil }
            return Int(match.1)
        }
        #expect(files.reduce(0, +) == 200, "each file once: \(files)")
        #expect(try count() == 4000)
    }

    @Test func sigkillAtRandomMomentsLosesAndDuplicatesNothing() throws {
        try migrate()
        // Given a backlog of thousands of alerts, some duplicated across files
        let files = 120
        let perFile = 50
        // Every third file starts 10 alerts early, overlapping its predecessor like a group resend.
        func first(_ i: Int) -> Int { i * perFile - (i % 3 == 2 ? 10 : 0) }
        var numbers = Set<Int>()
        for i in 0..<files {
            try enqueue(SyntheticPayloads.group(first: first(i), count: perFile))
            numbers.formUnion(first(i)..<(first(i) + perFile))
        }
        let expected = numbers.count
        #expect(expected == files * perFile - 40 * 10)
        // When ingest and drain are killed with SIGKILL at random moments, 50 times
        var generator = SystemRandomNumberGenerator()
        var killed = 0
        for round in 0..<50 {
            let command = round % 3 == 2 ? "drain" : "ingest"
            let arguments = command == "drain" ? ["drain", "--batch-size", "100"] : ["ingest"]
            let process = try JarvisProcess.start(arguments, environment: env)
            usleep(UInt32.random(in: 1_000...120_000, using: &generator))
            process.kill(SIGKILL)
            if process.wait().signaled { killed += 1 }
            // Now and then, PostgreSQL goes away too.
            if round % 10 == 5 { try postgres.stop() }
            if round % 10 == 7 { try postgres.start() }
        }
        if !postgres.isRunning { try postgres.start() }
        // Then finishing the work leaves every occurrence in PostgreSQL exactly once
        let ingest = try JarvisProcess.run(["ingest"], environment: env)
        #expect(ingest.exitCode == 0, "\(ingest.stdout) \(ingest.stderr)")
        let drain = try JarvisProcess.run(["drain"], environment: env)
        #expect(drain.exitCode == 0, "\(drain.stderr)")
        #expect(killed > 10, "only \(killed) runs were killed mid-way; the test proves little")
        #expect(try count() == expected)
        #expect(try count("SELECT count(DISTINCT idempotency_key) FROM alert_events") == expected)
        #expect(try journalDepth() == 0)
        let leftover =
            try FileManager.default.contentsOfDirectory(atPath: dir.file("spool/incoming")).count
            + FileManager.default.contentsOfDirectory(atPath: dir.file("spool/processing")).count
        #expect(leftover == 0)
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.file("spool/rejected")).isEmpty)
    }
}
