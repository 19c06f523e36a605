import Foundation
import JarvisTestSupport
import Testing

@testable import JarvisPostgres

extension PostgresTests {
    @Suite struct PostgresMigrationsTests {
        let postgres: TestPostgres

        init() throws {
            postgres = try TestPostgres()
        }

        func strings(_ connection: PGConnection, _ query: PGQuery) throws -> [String] {
            let result = try connection.execute(query)
            return (0..<result.rowCount).compactMap { result.string(row: $0, column: 0) }
        }

        @Test func migratingTwiceAppliesEachStepOnce() throws {
            let connection = try PGConnection(url: postgres.url)
            #expect(try PostgresMigrations.appliedVersions(connection) == [])
            #expect(
                try PostgresMigrations.migrate(connection) == [
                    "core_schema", "triage_decisions", "remediation_snapshots", "learning", "analytics", "runners", "report_speed", "shared_learning",
                    "pattern_deltas", "window_key", "ingest_speed",
                ])
            #expect(try PostgresMigrations.migrate(connection) == [])
            #expect(try PostgresMigrations.appliedVersions(connection) == [1, 2, 3, 4, 5, 8, 9, 10, 12, 13, 14])
            let recorded = try connection.execute("SELECT version, name, applied_at IS NOT NULL FROM jarvis_schema_migrations ORDER BY version")
            #expect(recorded.rowCount == 11)
            #expect(recorded.string(row: 0, column: 1) == "core_schema")
            #expect(try recorded.bool(row: 0, column: 2) == true)
        }

        @Test func theSchemaHasEveryTableViewFunctionAndComment() throws {
            let connection = try PGConnection(url: postgres.url)
            _ = try PostgresMigrations.migrate(connection)
            let tables = try strings(
                connection, "SELECT table_name::text FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'")
            #expect(
                Set(tables)
                    == PostgresMigrations.journalTables.union(PostgresMigrations.coordinationTables).union(PostgresMigrations.derivedTables)
                    .union(["jarvis_schema_migrations"]))
            let views = try strings(connection, "SELECT table_name::text FROM information_schema.views WHERE table_schema = 'public'")
            #expect(Set(views) == PostgresMigrations.views)
            // Every table and view is documented: it is a public interface.
            let undocumented = try strings(
                connection,
                """
                SELECT c.relname::text FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                WHERE n.nspname = 'public' AND c.relkind IN ('r', 'v') AND obj_description(c.oid, 'pg_class') IS NULL
                """)
            #expect(undocumented == [])
            let functionComment = try connection.execute(
                "SELECT obj_description('calculate_pattern_confidence(integer, integer, timestamptz, double precision)'::regprocedure, 'pg_proc')")
            #expect(functionComment.string(row: 0, column: 0)?.contains("(s+1)/(s+f+2)") == true)
            // Every journal table has idempotency_key text NOT NULL with a unique index.
            for table in PostgresMigrations.journalTables.sorted() {
                let key = try connection.execute(
                    """
                    SELECT data_type::text, is_nullable::text FROM information_schema.columns
                    WHERE table_schema = 'public' AND table_name = \(table) AND column_name = 'idempotency_key'
                    """)
                #expect(key.string(row: 0, column: 0) == "text", "\(table)")
                #expect(key.string(row: 0, column: 1) == "NO", "\(table)")
                let unique = try connection.execute(
                    """
                    SELECT count(*) FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey)
                    WHERE i.indrelid = \(table)::regclass AND i.indisunique AND i.indnatts = 1 AND a.attname = 'idempotency_key'
                    """)
                #expect(try unique.int64(row: 0, column: 0) == 1, "\(table)")
            }
        }

        @Test func alertEventsHasExactlyTheSpecifiedColumnsAndIndexes() throws {
            let connection = try PGConnection(url: postgres.url)
            _ = try PostgresMigrations.migrate(connection)
            let columns = try connection.execute(
                """
                SELECT column_name::text, data_type::text, is_nullable::text, column_default
                FROM information_schema.columns WHERE table_schema = 'public' AND table_name = 'alert_events' ORDER BY ordinal_position
                """)
            var described: [String] = []
            for row in 0..<columns.rowCount {
                let name = columns.string(row: row, column: 0) ?? "?"
                let type = columns.string(row: row, column: 1) ?? "?"
                let nullable = columns.string(row: row, column: 2) == "YES" ? "null" : "not null"
                let hasEmptyDefault = columns.string(row: row, column: 3) == "''::text"
                described.append("\(name) \(type) \(nullable)\(hasEmptyDefault ? " default ''" : "")")
            }
            #expect(
                described == [
                    "id bigint not null", "idempotency_key text not null", "fingerprint text not null",
                    "sender_fingerprint text not null default ''", "alertname text not null", "alert_key text not null",
                    "status text not null", "starts_at timestamp with time zone not null", "ends_at timestamp with time zone null",
                    "labels jsonb not null", "annotations jsonb not null", "receiver text not null default ''",
                    "group_key text not null default ''", "external_url text not null default ''",
                    "generator_url text not null default ''", "source_sha256 text not null default ''",
                    "received_at timestamp with time zone not null", "runner text not null default ''",
                    "decision text null", "decision_reason text null", "root_cause text null", "maintenance_window_id bigint null",
                    "maintenance_window_key text null",
                ])
            let indexes = try strings(
                connection,
                "SELECT regexp_replace(indexdef, '^.* USING btree ', '') FROM pg_indexes WHERE tablename = 'alert_events' ORDER BY 1")
            #expect(Set(indexes).isSuperset(of: ["(received_at)", "(idempotency_key)"]))
            // Step 14 dropped the two no query read through (every copied row paid for them).
            #expect(Set(indexes).isDisjoint(with: ["(fingerprint, starts_at)", "(alert_key, received_at)"]))
            let badStatus = try #require(throws: PGError.self) {
                try connection.execute(
                    """
                    INSERT INTO alert_events (idempotency_key, fingerprint, alertname, alert_key, status, starts_at, labels, annotations, received_at)
                    VALUES ('k', 'f', 'a', 'a', 'pending', now(), '{}', '{}', now())
                    """)
            }
            #expect(badStatus.sqlState == "23514")
        }

        @Test func theViewsRankAndSummarisePatterns() throws {
            let connection = try PGConnection(url: postgres.url)
            _ = try PostgresMigrations.migrate(connection)
            let fingerprint = String(repeating: "a", count: 64)
            #expect(
                try connection.execute("SELECT count(*) FROM remediation_patterns WHERE source = 'seed' AND tier = 3").int64(row: 0, column: 0) == 14)
            try connection.execute(
                unsafeSQL: """
                    DELETE FROM remediation_patterns;
                    INSERT INTO remediation_patterns (idempotency_key, fingerprint, alertname, commands, success_count, failure_count, enabled, source, last_used_at) VALUES
                      ('p1', '\(fingerprint)', 'ContainerDown', '[]', 20, 0, true, 'learned', now()),
                      ('p2', '\(fingerprint)', 'ContainerDown', '[]', 9, 0, true, 'learned', now()),
                      ('p3', '\(fingerprint)', 'ContainerDown', '[]', 20, 0, false, 'learned', now()),
                      ('p4', '\(fingerprint)', 'DiskSpaceHigh', '[]', 4, 0, true, 'seed', NULL),
                      ('p5', '\(fingerprint)', 'DiskSpaceHigh', '[]', 20, 0, true, 'learned', now() - interval '400 days'),
                      ('p6', '\(fingerprint)', 'DiskSpaceHigh', '[]', 10, 10, true, 'learned', now());
                    """)
            let ranked = try connection.execute(
                "SELECT idempotency_key, confidence FROM high_confidence_patterns p JOIN remediation_patterns USING (id) ORDER BY confidence DESC")
            #expect((0..<ranked.rowCount).map { ranked.string(row: $0, column: 0) } == ["p1", "p2"])
            let stats = try connection.execute(
                "SELECT alertname, patterns, enabled_patterns, successes, failures, success_rate FROM learning_stats")
            #expect(stats.rowCount == 2)
            #expect(stats.string(row: 0, column: "alertname") == "ContainerDown")
            #expect(try stats.int64(row: 0, column: "patterns") == 3)
            #expect(try stats.int64(row: 0, column: "enabled_patterns") == 2)
            #expect(try stats.int64(row: 1, column: "successes") == 34)
            #expect(try stats.int64(row: 1, column: "failures") == 10)
            #expect(abs(try #require(try stats.double(row: 1, column: "success_rate")) - 34.0 / 44.0) < 1e-12)
        }

        @Test func aFailingStepLeavesTheDatabaseAsItWas() throws {
            let connection = try PGConnection(url: postgres.url)
            _ = try PostgresMigrations.migrate(connection)
            // Given a second step whose second statement fails
            let broken = PostgresMigration(version: 99, name: "broken", sql: "CREATE TABLE half_done (v int); SELECT no_such_function();")
            // When it runs
            let error = try #require(throws: PGError.self) {
                try PostgresMigrations.migrate(connection, steps: PostgresMigrations.all + [broken])
            }
            // Then it is reported as a migration failure, and nothing of it stayed
            #expect(error.code == .migrationFailed)
            #expect(error.sqlState == "42883")
            #expect(error.message.contains("migration 99 (broken)"))
            #expect(try PostgresMigrations.appliedVersions(connection) == [1, 2, 3, 4, 5, 8, 9, 10, 12, 13, 14])
            #expect(try connection.execute("SELECT to_regclass('half_done') IS NULL").bool(row: 0, column: 0) == true)
            #expect(!connection.isInTransaction)
        }

        @Test func concurrentMigrationsApplyEachStepExactlyOnce() async throws {
            // Given four runners starting at the same moment on an empty database
            let url = postgres.url
            let results = try await withThrowingTaskGroup(of: [String].self) { group in
                for _ in 0..<4 {
                    group.addTask {
                        let connection = try PGConnection(url: url)
                        return try PostgresMigrations.migrate(connection)
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            // Then exactly one applied the step and the others found nothing to do
            #expect(
                results.filter {
                    $0 == [
                        "core_schema", "triage_decisions", "remediation_snapshots", "learning", "analytics", "runners", "report_speed",
                        "shared_learning", "pattern_deltas", "window_key", "ingest_speed",
                    ]
                }.count == 1)
            #expect(results.filter(\.isEmpty).count == 3)
        }

        @Test func migrateOnAStoppedServerIsUnreachable() throws {
            let connection = try PGConnection(url: postgres.url)
            try postgres.stop()
            let error = try #require(throws: PGError.self) { try PostgresMigrations.migrate(connection) }
            #expect(error.isUnreachable, "\(error)")
        }
    }
}
