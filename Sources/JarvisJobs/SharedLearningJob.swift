import JarvisCore

/// Learning with PostgreSQL configured: PostgreSQL alone counts outcomes, every runner's (one
/// owner of each count: neither `learn` nor ingest teaches the local journal then), and each
/// runner copies the patterns into its journal to choose fixes from. Embedded mode learns in
/// the journal (`JournalDatabase.learn`).
public enum SharedLearningJob {
    /// Copies the patterns changed in PostgreSQL since the last copy into the journal.
    /// - Returns: nil, or a one-line warning when PostgreSQL could not be asked (the local
    ///   copy is used as it is).
    public static func refreshCache(from learning: any SharedLearning, journal: some PatternCache, now: Timestamp) -> String? {
        do {
            let changed = try learning.patterns(changedSince: try journal.patternCacheCursor())
            try journal.adoptSharedPatterns(changed.patterns, cursor: changed.cursor, now: now)
            return nil
        } catch {
            return "the shared patterns were not refreshed (\(SharedState.oneLine(error))); the local copy is used"
        }
    }

    /// Teaches PostgreSQL every settled outcome no runner has taught yet (the caller then
    /// refreshes the local copy).
    /// - Throws: `StoreFailure` when PostgreSQL cannot be asked (the outcomes wait there).
    public static func teach(_ learning: any SharedLearning, runner: String, now: Timestamp, shouldStop: () -> Bool = { false }) throws
        -> LearnReport
    {
        try LearnReport.teach(
            step: { try learning.teachNext(runner: runner, now: now) }, pending: { try learning.hasUntaughtOutcomes() }, shouldStop: shouldStop)
    }
}
