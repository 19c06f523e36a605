import Foundation
import GRDB
import JarvisCore

extension JournalDatabase {
    /// The real time, for `calculate_pattern_confidence` when no other clock is given.
    public static let systemClock: @Sendable () -> Timestamp = {
        var clock = timespec()
        clock_gettime(CLOCK_REALTIME, &clock)
        return Timestamp(seconds: Int64(clock.tv_sec), nanoseconds: Int32(clock.tv_nsec))
    }

    /// Registers `calculate_pattern_confidence(successes, failures, last_used_at[, half_life_days])`
    /// on a connection: `PatternConfidence.calculate`, the formula PostgreSQL's function of the
    /// same name computes, with the decay measured at `now()` (so not a pure function).
    static func addPatternConfidenceFunction(to db: Database, now: @escaping @Sendable () -> Timestamp) {
        for arity in [3, 4] {
            db.add(
                function: DatabaseFunction("calculate_pattern_confidence", argumentCount: arity, pure: false) { values in
                    let lastUsed = String.fromDatabaseValue(values[2]).flatMap { Timestamp(rfc3339: $0) }
                    let halfLife =
                        arity == 4
                        ? (Double.fromDatabaseValue(values[3]) ?? PatternConfidence.defaultHalfLifeDays) : PatternConfidence.defaultHalfLifeDays
                    return PatternConfidence.calculate(
                        successes: Int.fromDatabaseValue(values[0]) ?? 0, failures: Int.fromDatabaseValue(values[1]) ?? 0, lastUsedAt: lastUsed,
                        now: now(), halfLifeDays: halfLife)
                })
        }
    }
}
