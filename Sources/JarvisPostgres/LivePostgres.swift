public import JarvisCore

/// Opens the live PostgreSQL store of record, with libpq's failures as `StoreFailure`:
/// "unreachable" (try again later, exit 75), "misconfigured" (exit 78) or anything else.
public enum LivePostgres {
    /// Connects with the configured URL (or libpq's `PG*` variables) and connect timeout.
    /// - Throws: `StoreFailure`.
    public static func connect(_ settings: PostgresSettings) throws -> any StoreOfRecord {
        try opened(PostgresStore.connect(url: settings.url?.value, connectTimeoutSeconds: settings.connectTimeout))
    }

    /// `connect`'s result, or its error as a `StoreFailure`.
    static func opened(_ connect: @autoclosure () throws -> PostgresStore) throws -> PostgresStore {
        do {
            return try connect()
        } catch {
            throw StoreFailure(postgres: error, store: nil)
        }
    }
}
