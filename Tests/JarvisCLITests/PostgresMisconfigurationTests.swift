import Foundation
import JarvisTestSupport
import Testing

/// A PostgreSQL that answers and refuses is a configuration error, not an outage: through the
/// real binary and a real cluster, each refusal journals the rows, exits 78 and is named by
/// `status` and `check-config`; only an unreachable server is degraded (75).
@Suite(.serialized, .timeLimit(.minutes(5)))
final class PostgresMisconfigurationTests {
    let postgres: TestPostgres

    init() throws {
        postgres = try TestPostgres()
    }

    deinit { postgres.destroy() }

    /// One state folder and spool per case, with `url` as DATABASE_URL.
    struct Run {
        let dir: TemporaryDirectory
        let url: String

        init(url: String) throws {
            dir = try TemporaryDirectory()
            self.url = url
        }

        var env: [String: String] {
            ["JARVIS_SPOOL_DIR": dir.file("spool"), "JARVIS_STATE_DIR": dir.file("state"), "DATABASE_URL": url]
        }

        func callAsFunction(_ arguments: [String], stdin: Data? = nil) throws -> JarvisProcess.Result {
            try JarvisProcess.run(arguments, environment: env, stdin: stdin)
        }

        /// Enqueues 20 alerts and ingests them; returns the ingest.
        func ingest() throws -> JarvisProcess.Result {
            let enqueue = try self(["enqueue", "-"], stdin: SyntheticPayloads.group(first: 0, count: 20))
            try #require(enqueue.exitCode == 0, "\(enqueue.stderr)")
            return try self(["ingest"])
        }

        func status() throws -> (code: Int32, object: [String: Any]) {
            let result = try self(["status", "--json"])
            let object = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any], "\(result.stdout)")
            return (result.exitCode, object)
        }
    }

    /// Ingest journals and exits 78 naming the server's reason; status says misconfigured;
    /// check-config reports it (and not with --offline); migrate exits 78.
    func expectMisconfigured(_ url: String, reason: String, migrate: Bool = true) throws {
        let run = try Run(url: url)
        let ingest = try run.ingest()
        #expect(ingest.exitCode == 78, "\(ingest.stdout)\n\(ingest.stderr)")
        #expect(ingest.stderr.contains(reason), "\(ingest.stderr)")
        #expect(!ingest.stderr.contains("PGError"), "no type names: \(ingest.stderr)")
        let (code, status) = try run.status()
        #expect(code == 78)
        #expect(status["state"] as? String == "misconfigured", "\(status)")
        #expect((status["reason"] as? String)?.contains(reason) == true, "\(status)")
        #expect(((status["journal"] as? [String: Any])?["rows"] as? Int ?? 0) >= 20, "every row is kept in the journal: \(status)")
        let check = try run(["check-config"])
        #expect(check.exitCode == 78, "\(check.stdout)\n\(check.stderr)")
        #expect(check.stderr.contains("postgres.url") && check.stderr.contains(reason), "\(check.stderr)")
        let offline = try run(["check-config", "--offline"])
        #expect(offline.exitCode == 0, "\(offline.stderr)")
        #expect(offline.stdout.contains("configuration OK"))
        if migrate {
            let migration = try run(["migrate"])
            #expect(migration.exitCode == 78, "\(migration.stdout)\n\(migration.stderr)")
        }
    }

    @Test func aDatabaseThatDoesNotExistIsAConfigurationError() throws {
        try expectMisconfigured(postgres.url(database: "no_such_database"), reason: "database \"no_such_database\" does not exist")
    }

    @Test func aRoleThatDoesNotExistIsAConfigurationError() throws {
        let url = postgres.url.replacingOccurrences(of: "postgres@", with: "no_such_role@")
        try expectMisconfigured(url, reason: "role \"no_such_role\" does not exist")
    }

    @Test func aURLThatCannotBeReadIsAConfigurationError() throws {
        try expectMisconfigured("postgresql://postgres@127.0.0.1:notaport/jarvis", reason: "invalid", migrate: true)
    }

    @Test func permissionDeniedOnTheSchemaIsAConfigurationError() throws {
        let setup = try Run(url: postgres.url)
        let migrate = try setup(["migrate"])
        try #require(migrate.exitCode == 0, "\(migrate.stderr)")
        _ = try postgres.psql(["-c", "CREATE ROLE jarvis_reader LOGIN"])
        let url = postgres.url.replacingOccurrences(of: "postgres@", with: "jarvis_reader@")
        let run = try Run(url: url)
        let ingest = try run.ingest()
        #expect(ingest.exitCode == 78, "\(ingest.stdout)\n\(ingest.stderr)")
        #expect(ingest.stderr.contains("permission denied"), "\(ingest.stderr)")
        #expect(((try run.status().object["journal"] as? [String: Any])?["rows"] as? Int ?? 0) >= 20)
    }

    @Test func anUnreachableServerIsStillOnlyDegraded() throws {
        let port = try LoopbackPorts.freePort()
        let run = try Run(url: "postgresql://postgres@127.0.0.1:\(port)/jarvis?connect_timeout=2")
        let ingest = try run.ingest()
        #expect(ingest.exitCode == 75, "\(ingest.stdout)\n\(ingest.stderr)")
        let (code, status) = try run.status()
        #expect(code == 75)
        #expect(status["state"] as? String == "degraded")
        let check = try run(["check-config"])
        #expect(check.exitCode == 0, "\(check.stderr)")
        #expect(check.stdout.contains("PostgreSQL unreachable: "), "\(check.stdout)")
        #expect(!check.stdout.contains("PGError") && !ingest.stderr.contains("PGError"), "no type names: \(check.stdout) \(ingest.stderr)")
    }
}
