import Foundation
import GRDB
import JarvisCore
import JarvisTestSupport
import Testing

@testable import JarvisSQLite

/// v5-compact-alert-events rebuilds alert_events on a journal that may hold rows waiting for
/// PostgreSQL: nothing may be lost, renumbered or duplicated.
@Suite struct JournalMigrationTests {
    func events(first: Int, count: Int, receivedAt: Int64, sha: String) throws -> [AlertEvent] {
        let webhook = try AlertmanagerWebhook.decode(SyntheticPayloads.group(first: first, count: count))
        return AlertEvent.events(from: webhook, sourceSHA256: sha, receivedAt: Timestamp(seconds: receivedAt), runner: "r")
    }

    @Test func eventsAndJournalRowsOfAnOlderSchemaSurviveTheCompaction() throws {
        let dir = try TemporaryDirectory()
        let path = dir.file("j.sqlite")
        let first = try events(first: 0, count: 3, receivedAt: 10, sha: "a")
        let second = try events(first: 2, count: 3, receivedAt: 20, sha: "b")  // alerts 2…4: alert 2 is in both
        // Given a journal written by the schema before v5 (events with their delivery columns,
        // journal rows pointing at them, and a JSON row between them)
        do {
            let old = try DatabaseQueue(path: path)
            try JournalMigrations.migrator.migrate(old, upTo: "v6-remediation-snapshots")
            try old.write { db in
                for event in first + second.suffix(2) {
                    let row = event.row
                    try db.execute(
                        sql:
                            "INSERT INTO alert_events (\(AlertEventRow.columns.joined(separator: ", "))) VALUES (\(AlertEventRow.columns.map { _ in "?" }.joined(separator: ", ")))",
                        arguments: StatementArguments(row.values))
                    try db.execute(
                        sql:
                            "INSERT INTO journal (tbl, idempotency_key, json, ref, created_at) VALUES ('alert_events', ?, NULL, ?, '1970-01-01T00:00:30Z')",
                        arguments: [row.idempotencyKey, db.lastInsertedRowID])
                    if event == first.last! {
                        try db.execute(
                            sql:
                                "INSERT INTO journal (tbl, idempotency_key, json, ref, created_at) VALUES ('host_status_log', 'h1', '{\"host\":\"a\"}', NULL, '1970-01-01T00:00:30Z')"
                        )
                    }
                }
            }
        }
        // When it is opened (and migrated)
        let journal = try JournalDatabase(path: path)
        // Then every waiting row comes back, in order, with the same JSON as before
        let entries = try journal.pendingEntries(limit: 100)
        let expected = first.map(\.json) + [#"{"host":"a"}"#] + second.suffix(2).map(\.json)
        #expect(entries.map(\.json) == expected)
        #expect(entries.map(\.table) == ["alert_events", "alert_events", "alert_events", "host_status_log", "alert_events", "alert_events"])
        #expect(entries.map(\.idempotencyKey) == first.map(\.idempotencyKey) + ["h1"] + second.suffix(2).map(\.idempotencyKey))
        #expect(try journal.count("deliveries") == 2)
        // And the events are still known: recording them again adds nothing
        let again = try journal.recordFiles([first, second], forward: true, now: Timestamp(seconds: 40))
        #expect(again.map(\.inserted) == [0, 0])
        #expect(try journal.count("alert_events") == 5)
        #expect(try journal.depth().rows == 6)
    }

    @Test func aHashCollisionDoesNotMakeTwoEventsOne() throws {
        // Given a stored event whose key_hash another key has (forced: real collisions are rare)
        let dir = try TemporaryDirectory()
        let journal = try JournalDatabase(path: dir.file("j.sqlite"))
        let one = try events(first: 0, count: 1, receivedAt: 1, sha: "a")
        let other = try events(first: 1, count: 1, receivedAt: 1, sha: "a")
        _ = try journal.record(one, forward: true, now: Timestamp(seconds: 1))
        try journal.write { db in
            try db.execute(sql: "UPDATE alert_events SET key_hash = ?", arguments: [AlertEventKeyHash.of(other[0].idempotencyKey)])
        }
        // When the other event arrives, then it is recorded, and the first is still a duplicate
        #expect(try journal.record(other, forward: true, now: Timestamp(seconds: 2)).inserted == 1)
        #expect(try journal.count("alert_events") == 2)
        #expect(try journal.record(other, forward: true, now: Timestamp(seconds: 3)).inserted == 0)
    }
}
