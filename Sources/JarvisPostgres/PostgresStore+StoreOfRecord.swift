public import JarvisCore

/// The store of record is PostgreSQL itself: `apply` and `migrate` throw `PGError`, and
/// `failure(for:)` says what such an error means for the run, asking the server whether it
/// still answers.
extension PostgresStore: StoreOfRecord {
    public func failure(for error: any Error) -> StoreFailure { StoreFailure(postgres: error, store: self) }
}
