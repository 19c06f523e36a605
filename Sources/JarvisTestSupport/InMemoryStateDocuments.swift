import Foundation
import JarvisCore

/// State documents in memory, for tests of the jobs: each update reads, decides and writes
/// under one lock, as the SQLite transaction does, and keeps the journal rows and local rows
/// that went with it. Set `failing` to make every call fail as a broken database does.
public final class InMemoryStateDocuments: StateDocumentStore, @unchecked Sendable {
    private let lock = NSLock()
    private var documents: [String: String] = [:]
    private var journal: [JournalAppend] = []
    private var local: [JournalAppend] = []
    /// When set, every call throws a `JournalError` with this text and changes nothing.
    public var failing: String?

    public init() {}

    public func loadState(_ name: String) throws -> String? {
        try lock.withLock {
            if let failing { throw JournalError(failing) }
            return documents[name]
        }
    }

    public func updateState(_ name: String, now: Timestamp, _ body: (String?) throws -> JournalStateChange) throws {
        try lock.withLock {
            if let failing { throw JournalError(failing) }
            let change = try body(documents[name])
            if let json = change.json { documents[name] = json }
            journal += change.rows
            local += change.localRows.filter { $0.table == "host_status_log" }
        }
    }

    /// The rows waiting for PostgreSQL, in the order they were written.
    public var journalRows: [JournalAppend] { lock.withLock { journal } }
    /// The `host_status_log` rows kept locally.
    public var localRows: [JournalAppend] { lock.withLock { local } }
}
