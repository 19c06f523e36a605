import JarvisCore

/// Opens the live PostgreSQL store of record.
public enum LivePostgres {
    public static func connect(_ settings: PostgresSettings) throws -> any StoreOfRecord {
        throw StoreFailure(unreachable: true, description: "PostgreSQL adapter not merged yet")
    }
}
