import JarvisCore
import JarvisPostgres

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
    static func failure(_ error: any Error, store: PostgresStore?) -> StoreFailure {
        guard let error = error as? PGError else { return StoreFailure(unreachable: false, description: "\(error)") }
        let state = error.sqlState ?? ""
        let unreachable =
            error.isUnreachable || state.hasPrefix("08") || ["57P01", "57P02", "57P03"].contains(state)
            || (store.map { !$0.ping() } ?? false)
        var description = error.description
        if error.sqlState == "42P01" { description += " (run `jarvis migrate` to create the schema)" }
        return StoreFailure(unreachable: unreachable, description: description)
    }
}
