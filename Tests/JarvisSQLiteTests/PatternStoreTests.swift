import Foundation
import GRDB
import JarvisCore
import JarvisTestSupport
import Testing

@testable import JarvisSQLite

private let t0 = Timestamp(seconds: 1_800_000_000)

/// Writes one settled remediation (intent, success, verification) as ingest would.
func settleRemediation(
    _ journal: JournalDatabase, key: String, occurrence: String, container: String, verification: VerificationVerdict, at: Timestamp = t0
) throws {
    let record = RemediationRecord(
        key: key, occurrenceKey: occurrence, alertKey: "ContainerDown/vps", alertname: "ContainerDown", host: "vps", tier: 3,
        commandsJSON: #"[{"action":"docker.restart","argv":["docker","restart","\#(container)"],"parameters":{"container":"\#(container)"}}]"#,
        intentAt: at, outcome: .succeeded, outcomeAt: at)
    _ = try journal.recordIntent(record, forward: false, now: at)
    var settled = record
    settled.verification = verification
    try journal.settleVerification(settled, forward: false, now: at)
}

@Suite struct PatternStoreTests {
    let dir: TemporaryDirectory
    let journal: JournalDatabase

    init() throws {
        dir = try TemporaryDirectory()
        journal = try JournalDatabase(path: dir.file("journal.sqlite"))
    }

    func learned() throws -> [LearnedPattern] { try journal.patterns().filter { $0.source == .learned } }

    @Test func theFourteenSeedsArePatternsOneToFourteenInTier3() throws {
        let seeds = try journal.patterns()
        #expect(seeds.map(\.id) == Array(1...14))
        #expect(seeds.map(\.alertname) == SeedPattern.all.map(\.alertname))
        #expect(seeds.allSatisfy { $0.source == .seed && $0.successes == 2 && $0.failures == 0 && $0.tier(now: t0) == .tier3 })
        #expect(try journal.migrate().isEmpty, "migrating again adds nothing")
        #expect(try journal.patterns().count == 14)
    }

    @Test func unverifiedOutcomesNeverTeach() throws {
        for n in 1...10 { try settleRemediation(journal, key: "r\(n)", occurrence: "o\(n)", container: "web", verification: .unverified) }
        let report = try journal.learn(forward: false, now: t0, runner: "")
        #expect(report.outcomes == 0)
        #expect(try learned().isEmpty)
        #expect(try journal.patternEvents().isEmpty)
    }

    @Test func successesCountDistinctOccurrencesOnly() throws {
        try settleRemediation(journal, key: "r1", occurrence: "o1", container: "web", verification: .verified)
        try settleRemediation(journal, key: "r2", occurrence: "o1", container: "web", verification: .verified)
        try settleRemediation(journal, key: "r3", occurrence: "o2", container: "web", verification: .verified)
        let report = try journal.learn(forward: false, now: t0, runner: "")
        #expect(report.outcomes == 3 && report.counted == 2 && report.repeats == 1)
        let patterns = try learned()
        #expect(patterns.count == 1)
        #expect(patterns.first?.successes == 2)
        #expect(try journal.learn(forward: false, now: t0, runner: "").outcomes == 0, "the cursor moved past them")
    }

    @Test func aFailureCountsOnlyOnAPatternThatHoldsTheCommands() throws {
        try settleRemediation(journal, key: "r1", occurrence: "o1", container: "db", verification: .failed)
        _ = try journal.learn(forward: false, now: t0, runner: "")
        #expect(try learned().isEmpty, "nothing learned from a failure")
        try settleRemediation(journal, key: "r2", occurrence: "o2", container: "db", verification: .verified)
        try settleRemediation(journal, key: "r3", occurrence: "o3", container: "db", verification: .failed)
        _ = try journal.learn(forward: false, now: t0, runner: "")
        #expect(try learned().map { "\($0.successes)/\($0.failures)" } == ["1/1"])
        #expect(try journal.failedCommandSets(alertKey: "ContainerDown/vps").map(\.failures) == [2])
    }

    @Test func importKeepsCountsOfAnExistingPatternUnlessAskedAndRecordsNewOnes() throws {
        for n in 1...3 { try settleRemediation(journal, key: "r\(n)", occurrence: "o\(n)", container: "web", verification: .verified) }
        _ = try journal.learn(forward: false, now: t0, runner: "")
        var pattern = try #require(try learned().first)
        pattern.successes = 500
        let kept = try journal.importPatterns([pattern], replaceStatistics: false, forward: false, now: t0, runner: "")
        #expect(kept == (0, 1))
        #expect(try learned().first?.successes == 3)
        _ = try journal.importPatterns([pattern], replaceStatistics: true, forward: false, now: t0, runner: "")
        #expect(try learned().first?.successes == 500)
    }

    @Test func disablingIsRecordedOnceAndJournaledAsTheChangeItIs() throws {
        let event = try journal.setPattern(id: 3, enabled: false, forward: true, now: t0, runner: "r")
        #expect(event?.kind == .disabled)
        #expect(try journal.setPattern(id: 3, enabled: false, forward: true, now: t0, runner: "r") == nil)
        #expect(try journal.pattern(id: 3)?.enabled == false)
        #expect(try journal.patternEvents(patternID: 3).map(\.runner) == ["r"])
        let rows = try journal.read { try Row.fetchAll($0, sql: "SELECT tbl, json FROM journal ORDER BY seq") }
        #expect(rows.map { $0[0] as String } == ["pattern_commands"], "one change for PostgreSQL, not a copy of the row")
        let command = try JSONValue(parsing: rows[0][1] as String)
        let key = try journal.pattern(id: 3)?.key
        #expect(command["kind"]?.stringValue == "disable" && command["pattern_key"]?.stringValue == key)
        #expect(command["event_key"]?.stringValue == event?.key && command["runner"]?.stringValue == "r")
        #expect(command["pattern"] == nil && command["success_count"] == nil, "no counts travel with it")
    }

    @Test func anImportKeepsAnExistingPatternsEnabledStateAndIsJournaledAsAnImport() throws {
        _ = try journal.setPattern(id: 3, enabled: false, forward: false, now: t0, runner: "")
        var pattern = try #require(try journal.pattern(id: 3))
        pattern.enabled = true
        pattern.summary = "from a file"
        #expect(try journal.importPatterns([pattern], replaceStatistics: false, forward: true, now: t0, runner: "r") == (0, 1))
        #expect(try journal.pattern(id: 3)?.enabled == false)
        #expect(try journal.pattern(id: 3)?.summary == "from a file")
        let rows = try journal.read { try Row.fetchAll($0, sql: "SELECT tbl, json FROM journal ORDER BY seq") }
        #expect(rows.map { $0[0] as String } == ["pattern_commands"])
        let command = try JSONValue(parsing: rows[0][1] as String)
        #expect(command["kind"]?.stringValue == "import" && command["replace_statistics"] == .bool(false))
        #expect(command["pattern"]?["summary"]?.stringValue == "from a file")
    }
}
