import Foundation
import JarvisCore
import JarvisPostgres
import JarvisTestSupport
import Testing

extension PostgresTests {
    /// `apply` of 100,000 alert_events rows against the alternatives, on one fresh cluster.
    /// Only runs with JARVIS_PG_BENCH=1, best in a release build:
    ///
    ///     JARVIS_PG_BENCH=1 swift test -c release --filter PostgresStoreBenchmarkTests
    @Suite(.enabled(if: ProcessInfo.processInfo.environment["JARVIS_PG_BENCH"] == "1"))
    struct PostgresStoreBenchmarkTests {
        static let rowCount = 100_000
        static let columns =
            "idempotency_key, fingerprint, sender_fingerprint, alertname, alert_key, status, starts_at, ends_at, labels, annotations, "
            + "receiver, group_key, external_url, generator_url, source_sha256, received_at, runner"

        func seconds(_ body: () throws -> Void) rethrows -> Double {
            let start = ContinuousClock.now
            try body()
            let elapsed = ContinuousClock.now - start
            return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        }

        @Test func applyVersusCopy() throws {
            let postgres = try TestPostgres()
            let store = try PostgresStore.connect(url: postgres.url, connectTimeoutSeconds: 3)
            _ = try store.migrate()
            let entries = JournalFixtures.alertEvents(count: Self.rowCount)
            let averageBytes = entries.reduce(0) { $0 + $1.json.utf8.count } / entries.count
            let rate = { (seconds: Double) in String(format: "%.0f rows/s (%.3f s)", Double(Self.rowCount) / seconds, seconds) }
            var report = ["rows: \(Self.rowCount), average JSON \(averageBytes) bytes"]
            let truncate = { _ = try postgres.psql(["-c", "TRUNCATE alert_events"]) }
            // The Swift side alone: scanning every row and building the JSON arrays.
            let scan = try seconds {
                let rows = try entries.map { try JournalRow($0) }
                let statements = PostgresStore.statements(for: rows)
                var bytes = 0
                for statement in statements { bytes += "[\(statement.rows.map(\.json).joined(separator: ","))]".utf8.count }
                #expect(bytes > 0)
            }
            report.append("Swift side of apply (scan + build JSON): \(rate(scan))")

            // 1. apply: json_populate_recordset, 2,000 rows per statement, one transaction.
            var applyTimes: [Double] = []
            for _ in 0..<3 {
                try truncate()
                applyTimes.append(
                    try seconds {
                        let inserted = try store.apply(entries)
                        #expect(inserted == Self.rowCount)
                    })
            }
            let replay = try seconds {
                let inserted = try store.apply(entries)
                #expect(inserted == 0)
            }
            report.append(
                "apply (json_populate_recordset): best \(rate(applyTimes.min() ?? 0)), runs \(applyTimes.map { String(format: "%.3f", $0) })")
            report.append("apply replay (all conflicts): \(rate(replay))")

            // The same rows in COPY text format, exported by the server itself.
            let file = "\(postgres.directory)/alert_events.copy"
            try postgres.psql(["-c", "\\copy (SELECT \(Self.columns) FROM alert_events ORDER BY id) TO '\(file)'"])
            let copyLines = try String(contentsOfFile: file, encoding: .utf8).split(separator: "\n").map(String.init)
            #expect(copyLines.count == Self.rowCount)

            // 2. psql \copy straight into the table (the baseline; includes psql start-up).
            var psqlTimes: [Double] = []
            for _ in 0..<3 {
                try truncate()
                psqlTimes.append(try seconds { try postgres.psql(["-c", "\\copy alert_events(\(Self.columns)) FROM '\(file)'"]) })
            }
            report.append("psql \\copy into alert_events: best \(rate(psqlTimes.min() ?? 0))")

            // 3. COPY the journal's JSON into a temp staging table, then INSERT … SELECT … ON CONFLICT.
            var stagingJSONTimes: [Double] = []
            for _ in 0..<3 {
                try truncate()
                stagingJSONTimes.append(
                    try seconds {
                        let rows = try entries.map { try JournalRow($0) }
                        let inserted = try store.withConnection { connection in
                            try connection.withTransaction {
                                try connection.execute(unsafeSQL: "CREATE TEMP TABLE staging (n serial, j json) ON COMMIT DROP")
                                try connection.copyIn(unsafeSQL: "COPY staging (j) FROM STDIN", rows: rows.lazy.map { Self.copyText($0.json) })
                                return try connection.execute(
                                    unsafeSQL: """
                                        INSERT INTO alert_events (\(Self.columns)) SELECT \(Self.columns)
                                        FROM (SELECT r.* FROM staging s, json_populate_record(NULL::alert_events, s.j) r ORDER BY s.n) x
                                        ON CONFLICT (idempotency_key) DO NOTHING
                                        """
                                ).affectedRows
                            }
                        }
                        #expect(inserted == Self.rowCount)
                    })
            }
            report.append("COPY JSON into temp staging + INSERT…SELECT: best \(rate(stagingJSONTimes.min() ?? 0))")

            // 4. COPY column text into a (LIKE alert_events) staging table + INSERT…SELECT: the
            //    server side of the staging design, *without* the Swift JSON→COPY conversion it needs.
            var stagingTextTimes: [Double] = []
            for _ in 0..<3 {
                try truncate()
                stagingTextTimes.append(
                    try seconds {
                        let inserted = try store.withConnection { connection in
                            try connection.withTransaction {
                                try connection.execute(
                                    unsafeSQL: "CREATE TEMP TABLE staging ON COMMIT DROP AS SELECT \(Self.columns) FROM alert_events WITH NO DATA")
                                try connection.copyIn(unsafeSQL: "COPY staging FROM STDIN", rows: copyLines)
                                return try connection.execute(
                                    unsafeSQL:
                                        "INSERT INTO alert_events (\(Self.columns)) SELECT \(Self.columns) FROM staging ON CONFLICT (idempotency_key) DO NOTHING"
                                ).affectedRows
                            }
                        }
                        #expect(inserted == Self.rowCount)
                    })
            }
            report.append("COPY text into (LIKE) staging + INSERT…SELECT (no conversion cost): best \(rate(stagingTextTimes.min() ?? 0))")
            let ratio = (psqlTimes.min() ?? 0) / (applyTimes.min() ?? 1)
            report.append(String(format: "apply / psql \\copy throughput ratio: %.2f", ratio))
            print("BENCH " + report.joined(separator: "\nBENCH "))
        }

        /// `text` as one field of COPY's text format.
        static func copyText(_ text: String) -> String {
            var out = ""
            out.reserveCapacity(text.utf8.count + 8)
            for character in text.unicodeScalars {
                switch character {
                case "\\": out += "\\\\"
                case "\n": out += "\\n"
                case "\r": out += "\\r"
                case "\t": out += "\\t"
                default: out.unicodeScalars.append(character)
                }
            }
            return out
        }
    }
}
