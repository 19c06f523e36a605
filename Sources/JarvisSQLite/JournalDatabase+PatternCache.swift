import GRDB
import JarvisCore

/// With PostgreSQL configured, the local `remediation_patterns` is a copy of PostgreSQL's,
/// which every runner's outcomes teach: remediation chooses fixes from it, and uses it as it
/// is while PostgreSQL is away. The copy has PostgreSQL's ids, so `remediation_log.pattern_id`
/// means the same pattern on every runner. The `pattern-cache` state document holds the
/// cursor of the last copy (`SharedLearning.patterns(changedSince:)`).
extension JournalDatabase: PatternCache {
    /// The cursor of the last copy from PostgreSQL; nil before the first.
    public func patternCacheCursor() throws -> String? {
        try loadState("pattern-cache").flatMap { try? JSONValue(parsing: $0) }?["cursor"]?.stringValue
    }

    /// Copies patterns from PostgreSQL over the local ones, and the cursor, in one
    /// transaction. A local row with the same id and another key (or the same key and another
    /// id), left by learning before PostgreSQL was configured, gives way.
    public func adoptSharedPatterns(_ patterns: [LearnedPattern], cursor: String, now: Timestamp) throws {
        try write { db in
            for var pattern in patterns {
                try db.execute(
                    sql: "DELETE FROM remediation_patterns WHERE (id = ? AND idempotency_key != ?) OR (idempotency_key = ? AND id != ?)",
                    arguments: [pattern.id, pattern.key, pattern.key, pattern.id])
                try Self.savePattern(&pattern, db: db, forward: false, now: now)
            }
            var w = JSONWriter()
            w.field("cursor", cursor)
            try Self.saveState("pattern-cache", json: w.finish(), at: now, db: db)
        }
    }
}
