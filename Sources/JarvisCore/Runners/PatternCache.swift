/// The local copy of the patterns a store shared by several runners holds
/// (`SharedLearning`): remediation chooses fixes from it, and uses it as it is while the
/// store is away. Live: `JournalDatabase`. In tests: `InMemoryJournal`.
public protocol PatternCache {
    /// The cursor of the last copy (`SharedLearning.patterns(changedSince:)`); nil before the first.
    func patternCacheCursor() throws -> String?

    /// Copies patterns over the local ones (by id; a local pattern with the same id or key
    /// gives way), and the cursor, at once.
    func adoptSharedPatterns(_ patterns: [LearnedPattern], cursor: String, now: Timestamp) throws
}
