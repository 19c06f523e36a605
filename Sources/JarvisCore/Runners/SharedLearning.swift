/// The port through which runners sharing one store of record (PostgreSQL) learn together:
/// the store holds the patterns, their statistics and the settled outcomes of every runner,
/// and it alone counts them. Each runner keeps a local copy of the patterns to choose fixes
/// from, refreshed from the store at the start of a run (and used as it is while the store
/// is away).
///
/// Each method throws `StoreFailure` when the store cannot answer or refuses.
public protocol SharedLearning: AnyObject {
    /// Teaches the oldest settled outcome that no runner has taught yet, in one transaction
    /// with the mark that it was taught (the shared cursor), serialised with every other
    /// learner on the store: each outcome is counted once however many runners learn at once.
    ///
    /// - Parameters:
    ///   - runner: The learning runner, recorded with the mark and the events.
    ///   - now: The clock, for the decayed tiers.
    /// - Returns: What the outcome did; nil when no outcome is left.
    func teachNext(runner: String, now: Timestamp) throws -> LearnStep?

    /// Whether settled outcomes are left to teach.
    func hasUntaughtOutcomes() throws -> Bool

    /// The patterns changed since `cursor` (nil: all of them), and the cursor to ask with
    /// next time. A change still being written when the answer is taken is in the next one.
    func patterns(changedSince cursor: String?) throws -> (patterns: [LearnedPattern], cursor: String)

    /// The stored commands (`remediation_log.commands`) of every attempt at `alertKey` that
    /// failed (the command failed, or the alert did not resolve after it) on a runner other
    /// than `runner`, oldest first: with the runner's own failures (its journal), the failure
    /// memory of the fleet. One round trip.
    func failedCommandLists(alertKey: String, otherThan runner: String) throws -> [String]

    /// Every recorded change to a pattern, on every runner (named in `PatternEvent.runner`),
    /// oldest first.
    func patternEvents(patternID: Int64) throws -> [PatternEvent]
}
