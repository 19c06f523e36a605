import Foundation
import JarvisPostgres
import JarvisTestSupport
import Testing

extension PostgresTests {
    @Suite struct PGConnectionTests {
        let postgres: TestPostgres

        init() throws {
            postgres = try TestPostgres()
        }

        @Test func connectsWithAURL() throws {
            let connection = try PGConnection(url: postgres.url)
            #expect(connection.isAlive)
            #expect(connection.serverVersion >= 150_000)
            let result = try connection.execute("SELECT current_database(), current_user, current_setting('application_name')")
            #expect(result.string(row: 0, column: 0) == "jarvis")
            #expect(result.string(row: 0, column: 1) == "postgres")
            #expect(result.string(row: 0, column: 2) == "jarvis")
        }

        @Test func connectsWithAConninfoStringAndCustomApplicationName() throws {
            let connection = try PGConnection(
                url: "host=127.0.0.1 port=\(postgres.port) user=postgres dbname=jarvis", applicationName: "jarvis-test")
            let result = try connection.execute("SELECT current_setting('application_name'), current_setting('client_encoding')")
            #expect(result.string(row: 0, column: 0) == "jarvis-test")
            #expect(result.string(row: 0, column: 1) == "UTF8")
        }

        @Test func connectsThroughLibpqEnvironmentVariablesWhenTheURLIsNil() throws {
            // Given PGHOST/PGPORT/PGUSER/PGDATABASE point at the cluster (this target runs its
            // tests one at a time, and the variables are restored before the test returns)
            let names = ["PGHOST", "PGPORT", "PGUSER", "PGDATABASE"]
            let saved = names.map { name in getenv(name).map { String(cString: $0) } }
            defer {
                for (name, value) in zip(names, saved) {
                    if let value { setenv(name, value, 1) } else { unsetenv(name) }
                }
            }
            setenv("PGHOST", "127.0.0.1", 1)
            setenv("PGPORT", String(postgres.port), 1)
            setenv("PGUSER", "postgres", 1)
            setenv("PGDATABASE", "jarvis", 1)
            // When connecting with no URL at all
            let connection = try PGConnection(url: nil)
            // Then libpq used them, as psql would
            let result = try connection.execute("SELECT current_database(), inet_server_port()")
            #expect(result.string(row: 0, column: 0) == "jarvis")
            #expect(try result.int64(row: 0, column: 1) == Int64(postgres.port))
            // And a database named only by PGDATABASE that does not exist is a refusal
            setenv("PGDATABASE", "no_such_db", 1)
            #expect(throws: PGError.self) { try PGConnection(url: nil) }
        }

        @Test func aClosedPortIsUnreachableWithinTheConnectTimeout() throws {
            // Given a port on 127.0.0.1 that nothing listens on (the cluster's, after stopping it)
            try postgres.stop()
            let start = Date()
            let error = try #require(throws: PGError.self) {
                try PGConnection(url: postgres.url, connectTimeoutSeconds: 3)
            }
            #expect(error.code == .unreachable, "\(error)")
            #expect(error.isUnreachable)
            #expect(Date().timeIntervalSince(start) < 5)
        }

        @Test func aMissingSocketDirectoryIsUnreachable() throws {
            let error = try #require(throws: PGError.self) {
                try PGConnection(url: "host=\(postgres.directory)/nowhere port=\(postgres.port) dbname=jarvis user=postgres")
            }
            #expect(error.code == .unreachable, "\(error)")
        }

        @Test func aWrongDatabaseNameIsAConnectionFailureNotUnreachable() throws {
            let error = try #require(throws: PGError.self) {
                try PGConnection(url: postgres.url(database: "no_such_database"))
            }
            #expect(error.code == .connectionFailed, "\(error)")
            #expect(!error.isUnreachable)
            #expect(error.message.contains("does not exist"))
        }

        @Test func aWrongPasswordIsAConnectionFailureAndIsNeverShown() throws {
            // Given a role that must log in with a password over TCP (first pg_hba.conf line wins)
            try postgres.psql(["-c", "CREATE ROLE pwuser LOGIN PASSWORD 'right-horse-battery'"])
            let hba = "\(postgres.directory)/data/pg_hba.conf"
            let rules = try String(contentsOfFile: hba, encoding: .utf8)
            try ("host all pwuser 127.0.0.1/32 scram-sha-256\n" + rules).write(toFile: hba, atomically: false, encoding: .utf8)
            try postgres.psql(["-c", "SELECT pg_reload_conf()"])
            // When connecting with the wrong one
            let url = "postgresql://pwuser:wrong-staple-secret@127.0.0.1:\(postgres.port)/jarvis"
            let error = try #require(throws: PGError.self) { try PGConnection(url: url) }
            // Then it is a refusal, not an outage, and the password appears nowhere
            #expect(error.code == .connectionFailed, "\(error)")
            #expect(error.message.contains("password authentication failed"), "\(error)")
            #expect(!error.debugDescription.contains("wrong-staple-secret"))
            // And the right password works
            let connection = try PGConnection(url: "postgresql://pwuser:right-horse-battery@127.0.0.1:\(postgres.port)/jarvis")
            #expect(try connection.execute("SELECT current_user").string(row: 0, column: 0) == "pwuser")
        }

        @Test func aStoppedServerIsUnreachableMidSessionAndResetReconnects() throws {
            // Given an open connection
            let connection = try PGConnection(url: postgres.url)
            try connection.execute("SELECT 1")
            // When the server stops
            try postgres.stop()
            // Then the next statement fails as unreachable
            let error = try #require(throws: PGError.self) { try connection.execute("SELECT 1") }
            #expect(error.code == .unreachable, "\(error)")
            #expect(!connection.isAlive)
            #expect(throws: PGError.self) { try connection.reset() }
            // And once it is back, reset reconnects
            try postgres.start()
            try connection.reset()
            #expect(connection.isAlive)
            #expect(try connection.execute("SELECT 42").int64(row: 0, column: 0) == 42)
        }

        @Test func withTransactionCommitsAndRollsBackOnThrow() throws {
            struct Abort: Error {}
            let connection = try PGConnection(url: postgres.url)
            try connection.execute(unsafeSQL: "CREATE TABLE t (v int)")
            try connection.withTransaction { try connection.execute("INSERT INTO t VALUES (1)") }
            #expect(throws: Abort.self) {
                try connection.withTransaction {
                    try connection.execute("INSERT INTO t VALUES (2)")
                    throw Abort()
                }
            }
            #expect(!connection.isInTransaction)
            #expect(try connection.execute("SELECT array_agg(v ORDER BY v)::text FROM t").string(row: 0, column: 0) == "{1}")
        }

        @Test func aSwallowedErrorInsideATransactionIsNotReportedAsCommitted() throws {
            let connection = try PGConnection(url: postgres.url)
            try connection.execute(unsafeSQL: "CREATE TABLE t (v int)")
            let error = try #require(throws: PGError.self) {
                try connection.withTransaction {
                    try connection.execute("INSERT INTO t VALUES (1)")
                    _ = try? connection.execute("SELECT 1/0")
                }
            }
            #expect(error.message.contains("rolled back"), "\(error)")
            #expect(try connection.execute("SELECT count(*) FROM t").int64(row: 0, column: 0) == 0)
        }

        @Test func transactionsDoNotNest() throws {
            let connection = try PGConnection(url: postgres.url)
            let error = try #require(throws: PGError.self) {
                try connection.withTransaction { try connection.withTransaction {} }
            }
            #expect(error.code == .protocolViolation)
            #expect(!connection.isInTransaction)
        }

        @Test func multiStatementScriptsRunAndNoticesAreCollected() throws {
            let connection = try PGConnection(url: postgres.url)
            try connection.execute(unsafeSQL: "CREATE TABLE a (v int); CREATE TABLE IF NOT EXISTS a (v int); INSERT INTO a VALUES (7);")
            #expect(try connection.execute("SELECT v FROM a").int64(row: 0, column: "v") == 7)
            #expect(connection.notices.contains { $0.contains("already exists, skipping") }, "\(connection.notices)")
        }

        @Test func serverErrorsCarrySQLStateAndAreQueryFailures() throws {
            let connection = try PGConnection(url: postgres.url)
            let error = try #require(throws: PGError.self) { try connection.execute("SELECT * FROM no_such_table") }
            #expect(error.code == .queryFailed)
            #expect(error.sqlState == "42P01")
            #expect(error.description.contains("no_such_table"))
            // The connection is still usable afterwards
            #expect(try connection.execute("SELECT 1").int64(row: 0, column: 0) == 1)
        }

        @Test func copyInStoresRowsAndReportsTheCount() throws {
            let connection = try PGConnection(url: postgres.url)
            try connection.execute(unsafeSQL: "CREATE TABLE c (id int, label text)")
            let rows = (1...100_00).lazy.map { "\($0)\tlabel \\\\ \($0)\\twith tab" }
            let stored = try connection.copyIn(unsafeSQL: "COPY c (id, label) FROM STDIN", rows: rows)
            #expect(stored == 10_000)
            let check = try connection.execute("SELECT count(*), max(id), min(label) FROM c WHERE id = 1")
            #expect(try check.int64(row: 0, column: 0) == 1)
            #expect(check.string(row: 0, column: 2) == "label \\ 1\twith tab")
            #expect(try connection.execute("SELECT count(*) FROM c").int64(row: 0, column: 0) == 10_000)
        }

        @Test func copyInWithABadRowStoresNothing() throws {
            let connection = try PGConnection(url: postgres.url)
            try connection.execute(unsafeSQL: "CREATE TABLE c (id int)")
            let error = try #require(throws: PGError.self) {
                try connection.copyIn(unsafeSQL: "COPY c (id) FROM STDIN", rows: ["1", "2", "not a number", "4"])
            }
            #expect(error.sqlState == "22P02")
            #expect(try connection.execute("SELECT count(*) FROM c").int64(row: 0, column: 0) == 0)
            #expect(connection.isAlive)
            #expect(try connection.execute("SELECT 1").int64(row: 0, column: 0) == 1)
        }

        @Test func copyInRefusesAStatementThatIsNotCopyFromStdin() throws {
            let connection = try PGConnection(url: postgres.url)
            let error = try #require(throws: PGError.self) { try connection.copyIn(unsafeSQL: "SELECT 1", rows: ["x"]) }
            #expect(error.code == .protocolViolation)
            #expect(try connection.execute("SELECT 1").int64(row: 0, column: 0) == 1)
        }

        @Test func executeRefusesCopyAndStaysUsable() throws {
            let connection = try PGConnection(url: postgres.url)
            try connection.execute(unsafeSQL: "CREATE TABLE c (id int)")
            let error = try #require(throws: PGError.self) { try connection.execute(unsafeSQL: "COPY c FROM STDIN") }
            #expect(error.code == .protocolViolation)
            #expect(try connection.execute("SELECT count(*) FROM c").int64(row: 0, column: 0) == 0)
        }
    }

    /// Connection failures that need no server at all.
    @Suite struct PGConnectionFailureTests {
        @Test func aServerThatNeverAnswersTimesOutAsUnreachable() throws {
            // Given a socket that accepts TCP connections (kernel backlog) but never speaks
            let listener = try SilentListener()
            let start = Date()
            let error = try #require(throws: PGError.self) {
                try PGConnection(url: "postgresql://postgres@127.0.0.1:\(listener.port)/jarvis", connectTimeoutSeconds: 2)
            }
            let elapsed = Date().timeIntervalSince(start)
            #expect(error.code == .unreachable, "\(error)")
            #expect(error.message.contains("timeout"), "\(error)")
            #expect(elapsed >= 1.5 && elapsed < 5, "took \(elapsed) s")
        }

        @Test func connectTimeoutIsAlwaysPassedAndOverridesTheURL() throws {
            // Given a URL that asks for no timeout at all (connect_timeout=0 waits forever)
            let listener = try SilentListener()
            let start = Date()
            // When connecting with connectTimeoutSeconds 2
            let error = try #require(throws: PGError.self) {
                try PGConnection(url: "postgresql://postgres@127.0.0.1:\(listener.port)/jarvis?connect_timeout=0", connectTimeoutSeconds: 2)
            }
            // Then our timeout won
            #expect(error.code == .unreachable, "\(error)")
            #expect(Date().timeIntervalSince(start) < 5)
        }

        @Test func anInvalidConnectionStringIsAConnectionFailure() throws {
            let error = try #require(throws: PGError.self) { try PGConnection(url: "host=127.0.0.1 nonsense_option=1") }
            #expect(error.code == .connectionFailed, "\(error)")
        }

        @Test(arguments: [
            "postgresql://u:s3cret@127.0.0.1:1/x",
            "postgresql://u:s3%zzcret@127.0.0.1:1/x",
            "postgresql://u:s3cret@127.0.0.1:notaport/x",
            "postgresql://u:s3cret@127.0.0.1:1/x?sslmode=bogus",
            "host=127.0.0.1 port=1 user=u password=s3cret dbname=x",
            "host=127.0.0.1 port=1 user=u password='s3cret' dbname=x bogus=1",
        ])
        func errorsNeverShowThePassword(url: String) throws {
            let error = try #require(throws: PGError.self) { try PGConnection(url: url, connectTimeoutSeconds: 2) }
            for text in [error.description, error.debugDescription, error.message, String(describing: error)] {
                #expect(!text.contains("s3cret"), "\(text)")
                #expect(!text.contains("s3%zzcret"), "\(text)")
            }
        }

    }
}

/// A TCP socket on 127.0.0.1 that listens but never accepts: connections complete in the
/// kernel's backlog and then hear nothing, like a hung server.
final class SilentListener {
    let fd: Int32
    let port: Int

    init() throws {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw TestPostgres.Failure("socket failed") }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let named = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        guard bound == 0, named == 0, listen(fd, 16) == 0 else {
            close(fd)
            throw TestPostgres.Failure("bind/listen failed")
        }
        self.fd = fd
        self.port = Int(UInt16(bigEndian: address.sin_port))
    }

    deinit { close(fd) }
}
