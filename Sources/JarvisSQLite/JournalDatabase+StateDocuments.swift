import GRDB
import JarvisCore

extension JournalDatabase {
    // MARK: State documents

    /// Loads a persisted state document.
    public func loadState(_ name: String) throws -> String? {
        try pool.read { try String.fetchOne($0, sql: "SELECT json FROM state WHERE name = ?", arguments: [name]) }
    }

    /// Saves a persisted state document.
    public func saveState(_ name: String, json: String, at now: Timestamp) throws {
        try pool.write { db in try Self.saveState(name, json: json, at: now, db: db) }
    }

    /// Saves a state document inside a transaction.
    public static func saveState(_ name: String, json: String, at now: Timestamp, db: Database) throws {
        try db.execute(
            sql:
                "INSERT INTO state (name, json, updated_at) VALUES (?, ?, ?) ON CONFLICT (name) DO UPDATE SET json = excluded.json, updated_at = excluded.updated_at",
            arguments: [name, json, now.rfc3339])
    }
}
