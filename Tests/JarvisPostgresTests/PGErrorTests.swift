import JarvisPostgres
import Testing

extension PostgresTests {
    /// Error classification and redaction on the texts libpq and the server really produce.
    @Suite struct PGErrorTests {
        @Test(arguments: [
            "connection to server at \"127.0.0.1\", port 1 failed: Connection refused\n\tIs the server running on that host and accepting TCP/IP connections?",
            "connection to server on socket \"/tmp/x/.s.PGSQL.5432\" failed: No such file or directory\n\tIs the server running locally and accepting connections on that socket?",
            "connection to server at \"10.0.0.9\", port 5432 failed: timeout expired",
            "connection to server at \"db\", port 5432 failed: No route to host",
            "could not translate host name \"db.invalid\" to address: Name or service not known",
            "connection to server at \"127.0.0.1\", port 5432 failed: FATAL:  the database system is starting up",
            "connection to server at \"127.0.0.1\", port 5432 failed: FATAL:  the database system is shutting down",
            "connection to server at \"127.0.0.1\", port 5432 failed: FATAL:  sorry, too many clients already",
            "server closed the connection unexpectedly\n\tThis probably means the server terminated abnormally",
        ])
        func serverNotThereIsUnreachable(text: String) {
            #expect(PGConnection.classifyConnectionFailure(text) == .unreachable)
        }

        @Test(arguments: [
            "connection to server at \"127.0.0.1\", port 5432 failed: FATAL:  password authentication failed for user \"jarvis\"",
            "connection to server at \"127.0.0.1\", port 5432 failed: FATAL:  database \"nodb\" does not exist",
            "connection to server at \"127.0.0.1\", port 5432 failed: FATAL:  role \"nobody\" does not exist",
            "connection to server at \"127.0.0.1\", port 5432 failed: FATAL:  no pg_hba.conf entry for host \"127.0.0.1\", user \"x\", database \"y\", no encryption",
            "connection to server at \"127.0.0.1\", port 5432 failed: fe_sendauth: no password supplied",
            "invalid connection option \"bogus\"",
            "invalid URI query parameter: \"sslmod\"",
            "invalid percent-encoded token: \"<redacted>\"",
            // Several addresses for one name: one refusal makes it a configuration error.
            "connection to server at \"localhost\" (::1), port 5432 failed: Connection refused\n"
                + "connection to server at \"localhost\" (127.0.0.1), port 5432 failed: FATAL:  password authentication failed for user \"u\"",
        ])
        func refusalsAreConnectionFailures(text: String) {
            #expect(PGConnection.classifyConnectionFailure(text) == .connectionFailed)
        }

        @Test func descriptionShowsCodeStateAndMessageButNotDetail() {
            let error = PGError(
                code: .queryFailed, message: "duplicate key value violates unique constraint \"k\"", sqlState: "23505",
                detail: "Key (k)=(private) already exists.", hint: "try again", query: "INSERT INTO t VALUES ($1)")
            #expect(error.description == "query failed [23505]: duplicate key value violates unique constraint \"k\"")
            #expect(!error.description.contains("private"))
            #expect(error.debugDescription.contains("DETAIL: Key (k)=(private) already exists."))
            #expect(error.debugDescription.contains("HINT: try again"))
            #expect(error.debugDescription.contains("QUERY: INSERT INTO t VALUES ($1)"))
            #expect(!error.isUnreachable)
            #expect(PGError(code: .unreachable, message: "gone").isUnreachable)
        }

        @Test func deadlocksAndSerializationFailuresAreRetryable() {
            #expect(PGError(code: .queryFailed, message: "", sqlState: "40P01").isRetryableTransactionFailure)
            #expect(PGError(code: .queryFailed, message: "", sqlState: "40001").isRetryableTransactionFailure)
            #expect(!PGError(code: .queryFailed, message: "", sqlState: "23505").isRetryableTransactionFailure)
        }

        @Test(arguments: [
            ("postgresql://u:s3cret@h/x", "s3cret"),
            ("postgresql://u:s3%40cret@h/x", "s3@cret"),
            ("postgres://u:p%zzw@h:1/x", "p%zzw"),
            ("host=h password=s3cret dbname=x", "s3cret"),
            ("host=h password = 'two words' dbname=x", "two words"),
        ])
        func redactionRemovesPasswordsInEveryForm(url: String, password: String) {
            let redaction = PGRedaction(connectionString: url, environmentPassword: nil)
            let text = "failed near \(password) and \(password)!"
            #expect(redaction.redact(text) == "failed near <redacted> and <redacted>!")
        }

        @Test func redactionAlsoCoversPGPASSWORD() {
            let redaction = PGRedaction(connectionString: nil, environmentPassword: "envsecret")
            #expect(redaction.redact("x envsecret y") == "x <redacted> y")
        }

        @Test func bindValuesAreRedactedFromDataErrors() {
            #expect(
                redactBindValues("invalid input syntax for type integer: \"abc\"", sqlState: "22P02", binds: ["abc"])
                    == "invalid input syntax for type integer: \"<redacted>\"")
            #expect(redactBindValues("relation \"t\" does not exist", sqlState: "42P01", binds: ["x"]) == "relation \"t\" does not exist")
            #expect(redactBindValues("value longvalue here", sqlState: nil, binds: ["longvalue"]) == "value <redacted> here")
            #expect(redactBindValues("no binds \"kept\"", sqlState: "22P02", binds: []) == "no binds \"kept\"")
        }
    }
}
