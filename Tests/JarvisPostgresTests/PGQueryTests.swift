import JarvisCore
import JarvisPostgres
import JarvisTestSupport
import Testing

extension PostgresTests {
    /// How `PGQuery` builds statement text and binds (no server needed).
    @Suite struct PGQueryBuildingTests {
        @Test func interpolatedValuesBecomeNumberedBindsNotText() {
            let name = "x'); DROP TABLE alert_events; --"
            let limit = 5
            let missing: String? = nil
            let query: PGQuery = "SELECT * FROM t WHERE a = \(name) AND b < \(limit) AND c IS NOT DISTINCT FROM \(missing)"
            #expect(query.sql == "SELECT * FROM t WHERE a = $1 AND b < $2 AND c IS NOT DISTINCT FROM $3")
            #expect(query.binds == [name, "5", nil])
            #expect(!query.description.contains("DROP"))
        }

        @Test func valuesUsePostgresTextFormats() {
            let at = Timestamp(seconds: 1_795_914_563, nanoseconds: 278_124_551)
            let query: PGQuery = "\(true) \(false) \(Int64.min) \(1.5) \(Double.infinity) \(-Double.infinity) \(Double.nan) \(at)"
            #expect(query.binds == ["true", "false", "-9223372036854775808", "1.5", "Infinity", "-Infinity", "NaN", at.rfc3339])
        }

        @Test func identifiersAreValidatedAndQuoted() throws {
            let table = try #require(PGIdentifier("alert_events"))
            let query: PGQuery = "SELECT count(*) FROM \(table)"
            #expect(query.sql == "SELECT count(*) FROM \"alert_events\"")
            #expect(query.binds.isEmpty)
            for bad in ["", "Alert", "a-b", "a b", "1abc", "a\"b", "alert_events; drop", String(repeating: "a", count: 64), "é"] {
                #expect(PGIdentifier(bad) == nil, "\(bad)")
            }
            #expect(PGIdentifier(String(repeating: "a", count: 63)) != nil)
            #expect(PGIdentifier("_x9") != nil)
        }

        @Test func unsafeSQLIsSplicedOnlyThroughItsLabel() {
            let direction = "DESC"
            let query: PGQuery = "SELECT 1 ORDER BY 1 \(unsafeSQL: direction) LIMIT \(3)"
            #expect(query.sql == "SELECT 1 ORDER BY 1 DESC LIMIT $1")
            #expect(query.binds == ["3"])
        }
    }

    /// Binds against a real server: values travel apart from the SQL and come back unchanged.
    @Suite struct PGQueryRoundTripTests {
        let postgres: TestPostgres
        let connection: PGConnection

        init() throws {
            postgres = try TestPostgres()
            connection = try PGConnection(url: postgres.url)
            try connection.execute(unsafeSQL: "CREATE TABLE notes (id serial PRIMARY KEY, body text)")
        }

        static let awkward: [String?] = [
            "it's", "\"double\"", "semi;colon", "back\\slash", "x'); DROP TABLE notes; --", "Grüße, 服务异常告警 🚀", "",
            "tab\tnew\nline\r", "$1 $2 ?", "%s %n", nil,
        ]

        @Test(arguments: awkward)
        func awkwardValuesRoundTripUnchanged(value: String?) throws {
            let inserted = try connection.execute("INSERT INTO notes (body) VALUES (\(value)) RETURNING id")
            let id = try #require(try inserted.int64(row: 0, column: "id"))
            let read = try connection.execute("SELECT body, body IS NULL AS missing FROM notes WHERE id = \(id)")
            #expect(read.rowCount == 1)
            #expect(read.string(row: 0, column: "body") == value)
            #expect(try read.bool(row: 0, column: "missing") == (value == nil))
            // The injection attempt stayed data: the table is still there, with one row.
            #expect(try connection.execute("SELECT count(*) FROM notes").int64(row: 0, column: 0) == 1)
        }

        @Test func typedValuesRoundTrip() throws {
            let at = Timestamp(seconds: 1_795_914_563, nanoseconds: 278_124_551)
            let result = try connection.execute(
                """
                SELECT \(Int64.max)::bigint, \(-42)::int, \(0.1)::float8, \(true)::boolean, \(false)::boolean,
                       to_char(\(at)::timestamptz AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US'),
                       \(Double.infinity)::float8, \(Double?.none)::float8, \(1e-300)::float8
                """)
            #expect(try result.int64(row: 0, column: 0) == Int64.max)
            #expect(try result.int64(row: 0, column: 1) == -42)
            #expect(try result.double(row: 0, column: 2) == 0.1)
            #expect(try result.bool(row: 0, column: 3) == true)
            #expect(try result.bool(row: 0, column: 4) == false)
            // PostgreSQL keeps microseconds (rounded).
            #expect(result.string(row: 0, column: 5) == "2026-11-29T01:09:23.278125")
            #expect(try result.double(row: 0, column: 6) == Double.infinity)
            #expect(try result.double(row: 0, column: 7) == nil)
            #expect(try result.double(row: 0, column: 8) == 1e-300)
        }

        @Test func resultAccessorsHandleNamesRangesAndWrongTypes() throws {
            let result = try connection.execute("SELECT 1 AS one, 'x' AS letter, NULL::int AS nothing")
            #expect(result.rowCount == 1)
            #expect(result.columnCount == 3)
            #expect(result.columnName(1) == "letter")
            #expect(result.columnName(3) == nil)
            #expect(result.columnIndex(named: "nothing") == 2)
            #expect(result.columnIndex(named: "absent") == nil)
            #expect(result.string(row: 1, column: 0) == nil)
            #expect(result.string(row: 0, column: -1) == nil)
            #expect(try result.int64(row: 0, column: "nothing") == nil)
            #expect(try result.int64(row: 0, column: "absent") == nil)
            let error = try #require(throws: PGError.self) { try result.int64(row: 0, column: "letter") }
            #expect(error.code == .protocolViolation)
            #expect(throws: PGError.self) { try result.bool(row: 0, column: "letter") }
            #expect(throws: PGError.self) { try result.double(row: 0, column: "letter") }
        }

        @Test func affectedRowsComesFromTheCommandTag() throws {
            let insert = try connection.execute("INSERT INTO notes (body) SELECT g::text FROM generate_series(1, 7) g")
            #expect(insert.affectedRows == 7)
            #expect(insert.commandStatus == "INSERT 0 7")
            let update = try connection.execute("UPDATE notes SET body = 'y' WHERE body::int > \(4)")
            #expect(update.affectedRows == 3)
            #expect(try connection.execute(unsafeSQL: "CREATE TABLE other (v int)").affectedRows == nil)
        }

        @Test func aNulByteInABindIsRefusedBeforeSending() throws {
            let error = try #require(throws: PGError.self) {
                try connection.execute("INSERT INTO notes (body) VALUES (\("a\u{0}b"))")
            }
            #expect(error.code == .protocolViolation)
            #expect(error.message.contains("$1"))
            #expect(try connection.execute("SELECT count(*) FROM notes").int64(row: 0, column: 0) == 0)
        }

        @Test func serverErrorsDoNotShowBindValues() throws {
            // Given a value the server quotes back in its error message
            let secret = "hunter2-not-a-number"
            let error = try #require(throws: PGError.self) { try connection.execute("SELECT \(secret)::int") }
            // Then the log-safe texts do not contain it
            #expect(error.sqlState == "22P02")
            #expect(!error.description.contains(secret), "\(error.description)")
            #expect(!error.message.contains(secret))
            #expect(error.description.contains("invalid input syntax for type integer"))
            // And the query text (placeholders only) is in debugDescription
            #expect(error.debugDescription.contains("SELECT $1::int"))
            #expect(!error.debugDescription.contains(secret))
        }

        @Test func constraintErrorsKeepRowValuesOutOfTheDescription() throws {
            try connection.execute(unsafeSQL: "CREATE TABLE uniq (k text UNIQUE)")
            try connection.execute("INSERT INTO uniq VALUES (\("secret-key-value"))")
            let error = try #require(throws: PGError.self) { try connection.execute("INSERT INTO uniq VALUES (\("secret-key-value"))") }
            #expect(error.sqlState == "23505")
            #expect(!error.description.contains("secret-key-value"))
            // The server's DETAIL quotes the value; only debugDescription shows it.
            #expect(error.detail?.contains("already exists") == true)
        }
    }
}
