import GRDB
import JarvisCore
import JarvisSQLite
import JarvisTestSupport
import Testing

/// The SQL function `calculate_pattern_confidence` reads the clock the journal was opened with.
@Suite struct PatternConfidenceSQLTests {
    @Test func theSQLFunctionDecaysAtTheInjectedTime() throws {
        let dir = try TemporaryDirectory()
        let lastUsed = Timestamp(seconds: 1_800_000_000)
        for days in [0.0, 30, 90] {
            let now = lastUsed.adding(seconds: days * 86_400)
            let journal = try JournalDatabase(path: dir.file("j\(Int(days)).sqlite"), now: { now })
            let sql = try journal.read { db in
                try Double.fetchOne(db, sql: "SELECT calculate_pattern_confidence(7, 1, ?)", arguments: [lastUsed.rfc3339])
            }
            let swift = PatternConfidence.calculate(
                successes: 7, failures: 1, lastUsedAt: lastUsed, now: now, halfLifeDays: PatternConfidence.defaultHalfLifeDays)
            #expect(sql == swift, "after \(days) days")
        }
        // Decay is visible: a pattern unused for 90 days is trusted less than a fresh one.
        let fresh = PatternConfidence.calculate(
            successes: 7, failures: 1, lastUsedAt: lastUsed, now: lastUsed, halfLifeDays: PatternConfidence.defaultHalfLifeDays)
        let stale = PatternConfidence.calculate(
            successes: 7, failures: 1, lastUsedAt: lastUsed, now: lastUsed.adding(seconds: 90 * 86_400),
            halfLifeDays: PatternConfidence.defaultHalfLifeDays)
        #expect(stale < fresh)
    }
}
