/// The port through which journal rows reach the shared store of record (PostgreSQL).
public protocol StoreOfRecord: AnyObject {
    /// Writes `entries` in `seq` order in one transaction, skipping rows whose idempotency
    /// key is already present.
    /// - Returns: how many rows were new.
    /// - Throws: when nothing was committed; the caller keeps the rows and tries again later.
    func apply(_ entries: [JournalEntry]) throws -> Int

    /// Creates or upgrades the schema. - Returns: the steps applied now.
    func migrate() throws -> [String]

    /// What an error thrown by `apply` or `migrate` means for the run: unreachable (try
    /// again later), misconfigured (waiting will not help), or another failure, described
    /// for people. The store that made the error knows best (it may ask the server whether
    /// it still answers).
    func failure(for error: any Error) -> StoreFailure
}

extension StoreOfRecord {
    /// A `StoreFailure` as it is; any other error is a failure that is neither.
    public func failure(for error: any Error) -> StoreFailure { StoreFailure(error) }
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

    /// `error` itself when it is a `StoreFailure`; otherwise a failure that is neither
    /// unreachable nor misconfigured, described by the error.
    public init(_ error: any Error) {
        self = error as? StoreFailure ?? StoreFailure(unreachable: false, description: "\(error)")
    }
}
