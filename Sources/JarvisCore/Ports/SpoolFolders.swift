/// The spool as ingest uses it: files wait in `incoming/`, are claimed into `processing/`,
/// and leave by `complete` (deleted, after their rows are committed) or `reject` (moved to
/// `rejected/` with the reason beside them).
///
/// Live: `SpoolDirectory`. In tests: `InMemorySpool`.
public protocol SpoolFolders: Sendable {
    /// Files waiting in `incoming/`, in arrival order.
    func pending() throws -> [String]

    /// Files in `processing/` that a run which died left behind, in order.
    func leftovers() throws -> [String]

    /// Moves names no writer should leave in `incoming/` (dot-files, `.part`, `.tmp`) to
    /// `rejected/`. - Returns: each with the reason.
    func rejectStrays() throws -> [(name: String, reason: String)]

    /// Moves a file from `incoming/` to `processing/`. - Returns: false when another run
    /// claimed it first.
    func claim(_ name: String) throws -> Bool

    /// Puts a claimed file back into `incoming/`.
    func unclaim(_ name: String) throws

    /// Reads a claimed file (or says why it must be rejected).
    func read(_ name: String) throws -> SpoolRead

    /// Deletes a claimed file (its rows are committed).
    func complete(_ name: String) throws

    /// Moves a claimed file to `rejected/` with `reason`. - Returns: the name it got there.
    @discardableResult
    func reject(_ name: String, reason: String) throws -> String

    /// Lower-case hex SHA-256 of a file's bytes (`alert_events.source_sha256`). Live: through
    /// the system's libcrypto when it loads; the same digest as `SHA256.hex`.
    func sha256Hex(_ bytes: [UInt8]) -> String
}
