import Foundation
public import JarvisCore

/// Opens the live PostgreSQL store of record and translates libpq failures into
/// `StoreFailure`: "unreachable" (try again later, exit 75) versus anything else.
public enum LivePostgres {
    /// Connects with the configured URL (or libpq's `PG*` variables) and connect timeout.
    /// - Throws: `StoreFailure`.
    public static func connect(_ settings: PostgresSettings) throws -> any StoreOfRecord {
        do {
            return PostgresStoreOfRecord(
                store: try PostgresStore.connect(url: settings.url?.value, connectTimeoutSeconds: settings.connectTimeout))
        } catch {
            throw PostgresStoreOfRecord.failure(error, store: nil)
        }
    }
}

/// `StoreOfRecord` over one `PostgresStore` connection.
final class PostgresStoreOfRecord: StoreOfRecord {
    let store: PostgresStore

    init(store: PostgresStore) { self.store = store }

    func apply(_ entries: [JournalEntry]) throws -> Int {
        do {
            return try store.apply(entries)
        } catch {
            throw Self.failure(error, store: store)
        }
    }

    func migrate() throws -> [String] {
        do {
            return try store.migrate()
        } catch {
            throw Self.failure(error, store: store)
        }
    }

    /// A failure is "unreachable" when libpq says so, when the SQLSTATE is a connection
    /// exception (class 08) or an operator shutdown (57P01–57P03), or when the connection no
    /// longer answers a ping after the error (the server went away mid-transaction).
    ///
    /// A failure is "misconfigured" when the server answered and refused: the connection was
    /// refused for a reason waiting will not cure (password, role, database, `pg_hba.conf`,
    /// SSL, a URL libpq cannot read), or a statement met SQLSTATE class 28 (authorization),
    /// 3D000 (no such database), 3F000 (no such schema) or 42501 (permission denied).
    static func failure(_ error: any Error, store: PostgresStore?) -> StoreFailure {
        guard let error = error as? PGError else { return StoreFailure(unreachable: false, description: "\(error)") }
        let state = error.sqlState ?? ""
        let unreachable =
            error.isUnreachable || state.hasPrefix("08") || ["57P01", "57P02", "57P03"].contains(state)
            || (store.map { !$0.ping() } ?? false)
        let misconfigured = error.code == .connectionFailed || state.hasPrefix("28") || ["3D000", "3F000", "42501"].contains(state)
        var description = Self.reason(error)
        if let state = error.sqlState { description += " (SQLSTATE \(state))" }
        if error.sqlState == "42P01" { description += " (run `jarvis migrate` to create the schema)" }
        if unreachable {
            description = "unreachable: " + description
        } else if misconfigured {
            description += " (fix postgres.url / DATABASE_URL or the server's grants; rows wait in the journal)"
        }
        return StoreFailure(unreachable: unreachable, misconfigured: misconfigured, description: description)
    }

    /// The server's own reason on one line, without the error type's name:
    /// `FATAL:  database "x" does not exist` becomes `database "x" does not exist`.
    static func reason(_ error: PGError) -> String {
        let lines = error.message.split(separator: "\n").map { line -> String in
            var text = Substring(line)
            for prefix in ["connection to server", "FATAL:", "ERROR:"] where text.hasPrefix(prefix) {
                if prefix == "connection to server", let colon = text.range(of: "failed: ") { text = text[colon.upperBound...] }
                if prefix != "connection to server" { text = text.dropFirst(prefix.count) }
            }
            return text.trimmingCharacters(in: .whitespaces)
        }
        return lines.filter { !$0.isEmpty }.joined(separator: "; ")
    }
}
