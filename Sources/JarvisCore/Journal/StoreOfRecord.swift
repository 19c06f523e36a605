/// The port through which journal rows reach the shared store of record (PostgreSQL).
public protocol StoreOfRecord: AnyObject {
    /// Writes `entries` in `seq` order in one transaction, skipping rows whose idempotency
    /// key is already present.
    /// - Returns: how many rows were new.
    /// - Throws: when nothing was committed; the caller keeps the rows and tries again later.
    func apply(_ entries: [JournalEntry]) throws -> Int

    /// Creates or upgrades the schema. - Returns: the steps applied now.
    func migrate() throws -> [String]
}

/// Why the store of record could not be used. `unreachable` means "try again later":
/// the run completes degraded (exit 75) and the rows stay in the journal. `misconfigured`
/// means the server answered and refused (authentication, no such database or role, SSL
/// required, permission denied) or the URL cannot be read: the rows stay in the journal too,
/// but waiting will not help, so the run is a configuration error (exit 78).
public struct StoreFailure: Error, Sendable, CustomStringConvertible {
    public var unreachable: Bool
    public var misconfigured: Bool
    public var description: String

    public init(unreachable: Bool, misconfigured: Bool = false, description: String) {
        self.unreachable = unreachable
        self.misconfigured = misconfigured && !unreachable
        self.description = description
    }
}
