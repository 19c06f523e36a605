import Foundation
import JarvisCore
import JarvisPostgres
import JarvisTestSupport
import Testing

extension PostgresTests {
    @Suite struct PostgresStoreTests {
        let postgres: TestPostgres
        let store: PostgresStore

        init() throws {
            postgres = try TestPostgres()
            store = try PostgresStore.connect(url: postgres.url, connectTimeoutSeconds: 3)
            #expect(try store.migrate() == PostgresMigrations.all.map(\.name))
        }

        /// Counts with psql, independently of the adapter under test.
        func psqlCount(_ table: String) throws -> Int {
            try #require(Int(try postgres.psql(["-c", "SELECT count(*) FROM \(table)"]).trimmingCharacters(in: .whitespacesAndNewlines)))
        }

        @Test func applyingFiveThousandEntriesTwiceInsertsThemOnce() throws {
            // Given 5,000 alert events
            let entries = JournalFixtures.alertEvents(count: 5_000)
            // When applied
            #expect(try store.apply(entries) == 5_000)
            #expect(try store.count(table: "alert_events") == 5_000)
            // And replayed, whole and in part
            #expect(try store.apply(entries) == 0)
            #expect(try store.apply(Array(entries[1_000..<1_500])) == 0)
            // Then each is there once
            #expect(try psqlCount("alert_events") == 5_000)
            #expect(try store.migrate() == [])
            // And the values arrived intact
            let row = try postgres.psql([
                "-F", "|", "-c",
                """
                SELECT alertname, status, to_char(starts_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS.US'), ends_at IS NULL,
                       labels->>'container', annotations->>'summary', group_key, received_at = '2026-11-29T01:09:24Z', runner
                FROM alert_events WHERE idempotency_key = 'occ-42-firing'
                """,
            ])
            #expect(
                row.trimmingCharacters(in: .newlines)
                    == "ContainerDown|firing|2026-11-29 01:10:05.278125|t|web-42|It has not reported for five minutes: \"dead\".|{}:{alertname=\"ContainerDown\"}|t|runner-a"
            )
        }

        @Test func copiedAlertEventsAreInsertedOnceWhateverTheReplays() throws {
            // Given 5,000 alert events carrying their column values (copied, not sent as JSON)
            var entries = JournalFixtures.alertEventRows(count: 5_000)
            entries[42] = JournalFixtures.alertEventRow(42, seq: 43, receiver: "tab\there\nnew line \\ backslash\r")
            // When applied, then replayed whole and in part (a direct COPY meets stored keys:
            // the staging path takes over)
            #expect(try store.apply(entries) == 5_000)
            #expect(try store.apply(entries) == 0)
            #expect(try store.apply(Array(entries[1_000..<1_500]) + JournalFixtures.alertEventRows(first: 5_000, count: 2, firstSeq: 5_001)) == 2)
            #expect(try psqlCount("alert_events") == 5_002)
            // And the values arrived intact, escapes and NULLs included
            let row = try postgres.psql([
                "-F", "|", "-c",
                """
                SELECT alertname, status, to_char(starts_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS.US'), ends_at IS NULL,
                       labels->>'container', annotations->>'summary', group_key, received_at = '2026-11-29T01:09:24Z', runner,
                       receiver = E'tab\\there\\nnew line \\\\ backslash\\r', decision, root_cause IS NULL, maintenance_window_id
                FROM alert_events WHERE idempotency_key = 'occ-42-firing'
                """,
            ])
            #expect(
                row.trimmingCharacters(in: .newlines)
                    == "ContainerDown|firing|2026-11-29 01:10:05.278125|t|web-42|It has not reported for five minutes: \"dead\".\n\tSecond line.|{}:{alertname=\"ContainerDown\"}|t|runner-a|t|actionable|t|7"
            )
        }

        @Test func copiedDuplicatesInsideOneBatchCountOnce() throws {
            let entry = JournalFixtures.alertEventRow(1, seq: 1)
            var again = entry
            again.seq = 2
            #expect(try store.apply([entry, again, JournalFixtures.alertEventRow(2, seq: 3)]) == 2)
            #expect(try psqlCount("alert_events") == 2)
        }

        @Test func aCopiedRowTheServerRejectsRollsBackTheWholeBatch() throws {
            // Given a batch whose fourth entry breaks a CHECK constraint
            var entries = [JournalFixtures.hostTransition(1, seq: 1)] + JournalFixtures.alertEventRows(count: 6, firstSeq: 2)
            var values = try #require(entries[3].alertEvent).values
            values[5] = "bogus"
            entries[3] = JournalEntry(seq: 4, alertEvent: AlertEventRow(values: values), createdAt: JournalFixtures.receivedAt)
            // When applied
            let error = try #require(throws: PGError.self) { try store.apply(entries) }
            // Then nothing is committed, and the error names the table and the seq range, not the value
            #expect(error.code == .queryFailed)
            #expect(error.sqlState == "23514")
            #expect(error.message.contains("alert_events (journal seq 2...7)"), "\(error.message)")
            #expect(!error.description.contains("bogus"))
            #expect(try psqlCount("alert_events") == 0)
            #expect(try psqlCount("host_status_log") == 0)
            // And the store is usable afterwards
            entries[3] = JournalFixtures.alertEventRow(99, seq: 4)
            #expect(try store.apply(entries) == 7)
        }

        @Test func duplicatesInsideOneBatchCountOnce() throws {
            let entry = JournalFixtures.alertEvent(1, seq: 1)
            var again = entry
            again.seq = 2
            #expect(try store.apply([entry, again, JournalFixtures.alertEvent(2, seq: 3)]) == 2)
        }

        @Test func mixedTablesInOneBatchAreWrittenInSeqOrder() throws {
            // Given a log of inserts, in the order the server performs them
            try postgres.psql([
                "-c",
                """
                CREATE TABLE insert_order (n bigserial, tbl text, k text);
                CREATE FUNCTION log_insert() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN INSERT INTO insert_order (tbl, k) VALUES (TG_TABLE_NAME, NEW.idempotency_key); RETURN NEW; END $$;
                CREATE TRIGGER a AFTER INSERT ON alert_events FOR EACH ROW EXECUTE FUNCTION log_insert();
                CREATE TRIGGER h AFTER INSERT ON host_status_log FOR EACH ROW EXECUTE FUNCTION log_insert();
                """,
            ])
            // And a batch that alternates tables in runs of different lengths, handed over shuffled
            var entries: [JournalEntry] = []
            var seq: Int64 = 100
            for run in 0..<12 {
                for i in 0..<(run % 4 + 1) {
                    seq += 1
                    switch run % 4 {
                    case 0: entries.append(JournalFixtures.alertEvent(run * 10 + i, seq: seq))
                    case 2: entries.append(JournalFixtures.alertEventRow(run * 10 + i, seq: seq))  // copied
                    default: entries.append(JournalFixtures.hostTransition(run * 10 + i, seq: seq))
                    }
                }
            }
            let expectedOrder = entries.map { "\($0.table):\($0.idempotencyKey)" }
            // When applied
            #expect(try store.apply(entries.shuffled()) == entries.count)
            // Then the rows went in by seq, across tables
            let order = try postgres.psql(["-c", "SELECT tbl || ':' || k FROM insert_order ORDER BY n"])
            #expect(order.split(separator: "\n").map(String.init) == expectedOrder)
        }

        @Test func windowSnapshotsKeepTheNewestWhateverTheOrderOrReplays() throws {
            func window(_ seq: Int64, count: Int, updated: String, ended: String? = nil) -> JournalEntry {
                var w = JSONWriter()
                w.field("idempotency_key", "runner-a/window-1")
                w.field("host", "vps")
                w.field("reason", "kernel upgrade")
                w.field("author", "ops")
                w.field("starts_at", "2026-11-29T01:00:00Z")
                w.field("ended_at", ended)
                w.field("suppressed_count", String(count))
                w.field("updated_at", updated)
                return JournalEntry(
                    seq: seq, table: "maintenance_windows", idempotencyKey: "runner-a/window-1", json: w.finish(),
                    createdAt: Timestamp(seconds: 0))
            }
            // Given three snapshots of one window, two of them in the same batch
            _ = try store.apply([window(1, count: 0, updated: "2026-11-29T01:00:00Z")])
            _ = try store.apply([
                window(2, count: 3, updated: "2026-11-29T01:10:00Z"),
                window(3, count: 5, updated: "2026-11-29T01:20:00Z", ended: "2026-11-29T01:20:00Z"),
            ])
            // When an old snapshot is replayed afterwards
            _ = try store.apply([window(2, count: 3, updated: "2026-11-29T01:10:00Z")])
            // Then the newest snapshot stays
            let row = try postgres.psql(["-c", "SELECT suppressed_count || ' ' || (ended_at IS NOT NULL) FROM maintenance_windows"])
            #expect(row.trimmingCharacters(in: .whitespacesAndNewlines) == "5 true")
            #expect(try psqlCount("maintenance_windows") == 1)
        }

        @Test(arguments: [
            "alert_events; DROP TABLE alert_events", "Alert_Events", "pg_catalog.pg_class", "jarvis_schema_migrations", "", "no_such_table",
        ])
        func aBadTableNameIsRejectedWithoutTouchingTheDatabase(table: String) throws {
            var bad = JournalFixtures.alertEvent(2, seq: 2)
            bad.table = table
            let batch = [JournalFixtures.alertEvent(1, seq: 1), bad]
            // With the server running, nothing of the batch is written
            let error = try #require(throws: PGError.self) { try store.apply(batch) }
            #expect(error.code == .protocolViolation)
            #expect(error.message.contains("seq 2"))
            #expect(try psqlCount("alert_events") == 0)
            // And the check needs no server at all: with it stopped, the error is the same, not "unreachable"
            try postgres.stop()
            let offline = try #require(throws: PGError.self) { try store.apply(batch) }
            #expect(offline.code == .protocolViolation, "\(offline)")
        }

        @Test(arguments: ["nonexistent", "labels; DROP TABLE x", "Labels", "id\""])
        func anUnknownColumnIsRejectedBeforeWriting(column: String) throws {
            let json = #"{"idempotency_key":"k","\#(column.replacingOccurrences(of: "\"", with: "\\\""))":1}"#
            let entries = [
                JournalFixtures.alertEvent(1, seq: 1),
                JournalEntry(seq: 2, table: "alert_events", idempotencyKey: "k", json: json, createdAt: JournalFixtures.receivedAt),
            ]
            let error = try #require(throws: PGError.self) { try store.apply(entries) }
            #expect(error.code == .protocolViolation, "\(error)")
            #expect(try psqlCount("alert_events") == 0)
        }

        @Test func rowsMayLeaveOutColumnsThatHaveDefaultsAndTheKey() throws {
            // Given an entry whose JSON has neither idempotency_key nor the defaulted columns
            let minimal = JournalEntry(
                seq: 2, table: "alert_events", idempotencyKey: "minimal-1",
                json:
                    #"{"fingerprint":"f","alertname":"A","alert_key":"A|x","status":"resolved","starts_at":"2026-01-01T00:00:00Z","ends_at":"2026-01-01T00:05:00.5Z","labels":{},"annotations":{},"received_at":"2026-01-01T00:06:00Z"}"#,
                createdAt: JournalFixtures.receivedAt)
            // When applied after a full one (different key sets: separate statements)
            #expect(try store.apply([JournalFixtures.alertEvent(1, seq: 1), minimal]) == 2)
            // Then the key came from the entry and the defaults applied
            let row = try postgres.psql([
                "-F", "|", "-c", "SELECT receiver, runner, ends_at - starts_at FROM alert_events WHERE idempotency_key = 'minimal-1'",
            ])
            #expect(row.trimmingCharacters(in: .newlines) == "||00:05:00.5")
            #expect(try store.apply([minimal]) == 0)
        }

        @Test func aRowTheServerRejectsRollsBackTheWholeBatch() throws {
            // Given a batch whose fourth entry breaks a CHECK constraint
            var entries = [JournalFixtures.hostTransition(1, seq: 1)] + JournalFixtures.alertEvents(count: 6, firstSeq: 2)
            entries[3].json = entries[3].json.replacingOccurrences(of: #""status":"firing""#, with: #""status":"bogus""#)
            // When applied
            let error = try #require(throws: PGError.self) { try store.apply(entries) }
            // Then nothing is committed, and the error names the table and the seq range, not the value
            #expect(error.code == .queryFailed)
            #expect(error.sqlState == "23514")
            #expect(error.message.contains("alert_events (journal seq 2...7)"), "\(error.message)")
            #expect(!error.description.contains("bogus"))
            #expect(try psqlCount("alert_events") == 0)
            #expect(try psqlCount("host_status_log") == 0)
            // And the store is usable afterwards
            entries[3] = JournalFixtures.alertEvent(99, seq: 4)
            #expect(try store.apply(entries) == 7)
        }

        @Test func malformedJSONIsRejectedBeforeWriting() throws {
            var broken = JournalFixtures.alertEvent(2, seq: 2)
            broken.json.removeLast()
            let error = try #require(throws: PGError.self) { try store.apply([JournalFixtures.alertEvent(1, seq: 1), broken]) }
            #expect(error.code == .protocolViolation)
            #expect(try psqlCount("alert_events") == 0)
        }

        @Test func anOutageIsUnreachableAndTheNextCallReconnects() throws {
            #expect(try store.apply(JournalFixtures.alertEvents(count: 10)) == 10)
            // Given the server goes away
            try postgres.stop()
            #expect(store.ping() == false)
            let error = try #require(throws: PGError.self) { try store.apply(JournalFixtures.alertEvents(first: 10, count: 10, firstSeq: 11)) }
            #expect(error.isUnreachable, "\(error)")
            #expect(throws: PGError.self) { try store.count(table: "alert_events") }
            // When it is back
            try postgres.start()
            // Then the same store reconnects by itself and nothing was half-written
            #expect(store.ping() == true)
            #expect(try store.count(table: "alert_events") == 10)
            #expect(try store.apply(JournalFixtures.alertEvents(first: 10, count: 10, firstSeq: 11)) == 10)
        }

        @Test func connectingToAStoppedServerIsUnreachable() throws {
            try postgres.stop()
            let start = Date()
            let error = try #require(throws: PGError.self) { try PostgresStore.connect(url: postgres.url, connectTimeoutSeconds: 3) }
            #expect(error.isUnreachable)
            #expect(Date().timeIntervalSince(start) < 5)
        }

        @Test func countAcceptsOnlyJarvisTables() throws {
            #expect(try store.count(table: "jarvis_schema_migrations") == PostgresMigrations.all.count)
            // A view: one row per alertname, and migrate seeds one pattern for each seed's alertname.
            #expect(try store.count(table: "learning_stats") == Set(SeedPattern.all.map(\.alertname)).count)
            for name in ["pg_class", "alert_events; SELECT 1", "ALERT_EVENTS"] {
                let error = try #require(throws: PGError.self) { try store.count(table: name) }
                #expect(error.code == .protocolViolation)
            }
        }

        @Test func emptyBatchesDoNothing() throws {
            #expect(try store.apply([]) == 0)
        }
    }

    /// How `apply` cuts a batch into statements (no server needed).
    @Suite struct PostgresStoreStatementTests {
        @Test func runsOfOneTableAreCutAtTwoThousandRows() throws {
            let rows = try JournalFixtures.alertEvents(count: 5_000).map { try JournalRow($0) }
            let statements = PostgresStore.statements(for: rows)
            #expect(statements.map(\.rows.count) == [2_000, 2_000, 1_000])
            #expect(statements.allSatisfy { $0.table == "alert_events" })
            #expect(statements.flatMap { $0.rows.map(\.seq) } == rows.map(\.seq))
        }

        @Test func aChangeOfTableOrOfKeySetStartsAStatement() throws {
            func entry(_ seq: Int64, _ table: String, _ json: String) -> JournalEntry {
                JournalEntry(seq: seq, table: table, idempotencyKey: "k\(seq)", json: json, createdAt: JournalFixtures.receivedAt)
            }
            let rows = try [
                entry(1, "alert_events", #"{"a":1,"b":2}"#),
                entry(2, "alert_events", #"{"b":2,"a":1}"#),  // same keys, other order: same statement
                entry(3, "alert_events", #"{"a":1}"#),  // fewer keys: new statement
                entry(4, "host_status_log", #"{"a":1}"#),  // other table: new statement
                entry(5, "alert_events", #"{"a":1}"#),
            ].map { try JournalRow($0) }
            #expect(PostgresStore.statements(for: rows).map { $0.rows.map(\.seq) } == [[1, 2], [3], [4], [5]])
        }
    }
}
