import Foundation
import GRDB
import JarvisCore
import JarvisSQLite
import JarvisTestSupport
import Testing

@Suite struct JournalDatabaseTests {
    func events(_ count: Int, status: String = "firing") throws -> [AlertEvent] {
        let webhook = try AlertmanagerWebhook.decode(SyntheticPayloads.group(first: 0, count: count, status: status))
        return AlertEvent.events(from: webhook, sourceSHA256: "s", receivedAt: Timestamp(seconds: 10), runner: "r")
    }

    @Test func journaledEventsComeBackInOrderAndLeaveOnlyWhenRemoved() throws {
        let dir = try TemporaryDirectory()
        let journal = try JournalDatabase(path: dir.file("j.sqlite"))
        let result = try journal.record(try events(30), forward: true, now: Timestamp(seconds: 10))
        #expect(result == RecordResult(inserted: 30, duplicates: 0, isNew: Array(repeating: true, count: 30)))
        let first = try journal.pendingEntries(limit: 10)
        #expect(first.count == 10)
        #expect(first.map(\.seq) == first.map(\.seq).sorted())
        #expect(first.allSatisfy { $0.table == "alert_events" })
        // Alert events are not copied into the journal; their JSON is rebuilt from alert_events.
        let original = try events(30)
        #expect(first.map(\.json) == original.prefix(10).map(\.json))
        #expect(first.map(\.idempotencyKey) == original.prefix(10).map(\.idempotencyKey))
        // A drain reads past rows it forwarded but has not removed yet.
        let next = try journal.pendingEntries(after: first[4].seq, limit: 10)
        #expect(next.map(\.idempotencyKey) == original[5..<15].map(\.idempotencyKey))
        #expect(try journal.depth().rows == 30, "reading removes nothing")
        try journal.removeEntries(through: first.last!.seq)
        let depth = try journal.depth()
        #expect(depth.rows == 20)
        #expect(depth.oldest == Timestamp(seconds: 10))
        #expect(try journal.pendingEntries(limit: 100).first!.seq > first.last!.seq)
    }

    @Test func reopeningKeepsRowsAndMigrationIsIdempotent() throws {
        let dir = try TemporaryDirectory()
        do {
            let journal = try JournalDatabase(path: dir.file("j.sqlite"))
            _ = try journal.record(try events(5), forward: true, now: Timestamp(seconds: 1))
        }
        let journal = try JournalDatabase(path: dir.file("j.sqlite"))
        #expect(try journal.migrate().isEmpty)
        #expect(try journal.depth().rows == 5)
    }

    @Test func seqIsNeverReusedAfterDeletes() throws {
        let dir = try TemporaryDirectory()
        let journal = try JournalDatabase(path: dir.file("j.sqlite"))
        _ = try journal.record(try events(3), forward: true, now: Timestamp(seconds: 1))
        let last = try journal.pendingEntries(limit: 10).last!.seq
        try journal.removeEntries(through: last)
        _ = try journal.record(try events(3, status: "resolved"), forward: true, now: Timestamp(seconds: 2))
        #expect(try journal.pendingEntries(limit: 10).first!.seq > last)
    }

    @Test func otherRowsKeepTheirJSONAndInterleaveInOrder() throws {
        let dir = try TemporaryDirectory()
        let journal = try JournalDatabase(path: dir.file("j.sqlite"))
        _ = try journal.record(try events(2), forward: true, now: Timestamp(seconds: 1))
        try journal.append([(table: "host_status_log", idempotencyKey: "h1", json: #"{"host":"a"}"#)], now: Timestamp(seconds: 2))
        _ = try journal.record(try events(3).suffix(1), forward: true, now: Timestamp(seconds: 3))
        let entries = try journal.pendingEntries(limit: 10)
        #expect(entries.map(\.table) == ["alert_events", "alert_events", "host_status_log", "alert_events"])
        #expect(entries[2].json == #"{"host":"a"}"#)
    }

    @Test func commitsAreSyncedToDiskBeforeTheyReturn() throws {
        // GRDB defaults a WAL pool to synchronous=NORMAL; spool files are deleted right after a
        // commit, so jarvis must run with FULL (2).
        let dir = try TemporaryDirectory()
        #expect(try JournalDatabase(path: dir.file("j.sqlite")).synchronousMode() == 2)
    }

    @Test func embeddedStoreHasTheSeedTablesViewsAndConfidenceFunction() throws {
        let dir = try TemporaryDirectory()
        let journal = try JournalDatabase(path: dir.file("j.sqlite"))
        for table in ["remediation_log", "alert_fingerprints", "learning_feedback", "host_status_log", "maintenance_windows", "pattern_events"] {
            #expect(try journal.count(table) == 0)
        }
        #expect(try journal.count("remediation_patterns") == 14, "the seeds")
        let now = Timestamp(epochSeconds: Date().timeIntervalSince1970)
        try journal.write { db in
            for (key, s, f, used) in [("a", 9, 0, now), ("b", 5, 5, now), ("c", 2, 0, now), ("d", 20, 0, now.adding(seconds: -120 * 86_400))] {
                try db.execute(
                    sql:
                        "INSERT INTO remediation_patterns (idempotency_key, fingerprint, alertname, commands, source, success_count, failure_count, last_used_at) VALUES (?, ?, 'A', '[]', 'seed', ?, ?, ?)",
                    arguments: [key, String(repeating: "0", count: 64), s, f, used.rfc3339])
            }
        }
        // (9+1)/(9+2) = 0.909 qualifies; 5/5 and 2 successes do not; 20 successes 120 days ago
        // decay to 0.5 + (21/22 - 0.5) * 0.5^4 = 0.528.
        let rows = try journal.read { try Row.fetchAll($0, sql: "SELECT success_count, confidence FROM high_confidence_patterns") }
        #expect(rows.count == 1)
        #expect(abs((rows.first?["confidence"] as Double? ?? 0) - 10.0 / 11.0) < 1e-6)
        let decayed = try journal.read {
            try Double.fetchOne($0, sql: "SELECT calculate_pattern_confidence(20, 0, ?)", arguments: [now.adding(seconds: -120 * 86_400).rfc3339])
        }
        #expect(abs((decayed ?? 0) - (0.5 + (21.0 / 22.0 - 0.5) * 0.0625)) < 1e-4)
        let stats = try journal.read { try Row.fetchOne($0, sql: "SELECT patterns, successes, failures FROM learning_stats WHERE alertname = 'A'") }
        #expect(stats?["patterns"] as Int? == 4 && stats?["successes"] as Int? == 36 && stats?["failures"] as Int? == 5)
    }

    @Test func stateIsPersisted() throws {
        let dir = try TemporaryDirectory()
        let journal = try JournalDatabase(path: dir.file("j.sqlite"))
        try journal.saveState("triage", json: "{}", at: Timestamp(seconds: 7))
        #expect(try journal.loadState("triage") == "{}")
    }

    @Test func unopenablePathGivesAOneLineError() throws {
        let error = try #require(throws: JournalError.self) { try JournalDatabase(path: "/proc/definitely/not/here.sqlite") }
        #expect(error.description.contains("/proc/definitely/not/here.sqlite"), "\(error)")
        #expect(!error.description.contains("\n"), "\(error)")
    }
}
