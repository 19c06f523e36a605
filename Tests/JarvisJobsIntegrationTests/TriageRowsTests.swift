import Foundation
import GRDB
import JarvisCore
import JarvisJobs
import JarvisSQLite
import JarvisTestSupport
import Testing

/// The triage state's large parts as rows of a real SQLite file: written with the group
/// commits, committed by the run's end, put back after a run that was killed, bounded in
/// memory and dropped once expired.
@Suite struct TriageRowsTests {
    typealias Setup = TriageSessionTests.Setup
    let at = TriageFixtures.at

    static func host(_ n: Int) -> [String: String] {
        ["alertname": "SyntheticAlert", "instance": "host\(n % 7):9100", "n": "\(n)"]
    }

    /// One ingest-like run: decides each file's events, commits each file with its rows,
    /// then finishes.
    @discardableResult
    static func run(_ files: [[AlertEvent]], setup: Setup, now: Timestamp, finish: Bool = true) throws -> (TriageSession, TriageSession.Summary?) {
        var session = try TriageSession(configuration: setup.configuration, journal: setup.journal, now: now)
        for var events in files {
            try session.decide(&events)
            _ = try setup.journal.recordFiles([events], forward: false, now: now, triageRows: session.takeRows(), generation: session.generation)
        }
        guard finish else { return (session, nil) }
        let summary = try session.finish(journal: setup.journal, journaled: false, now: now)
        return (session, summary)
    }

    func document(_ setup: Setup) throws -> String {
        try setup.journal.loadState(TriageSession.documentName) ?? ""
    }

    @Test func theStateDocumentStaysSmallAndTheNextRunReadsTheRows() throws {
        let setup = try Setup()
        let files = (0..<40).map { f in (0..<50).map { i in TriageSessionTests.event(Self.host(f * 50 + i), at: 10) } }
        let (_, summary) = try Self.run(files, setup: setup, now: at(10))
        #expect(summary?.byDecision["unroutable"] == 2000)
        #expect(try setup.journal.triageRowCount() == 2000 + 7, "one row per occurrence and per alert key")
        let size = try document(setup).utf8.count
        #expect(size < 1000, "the document holds only the small parts: \(size) bytes")

        // The next run reads what it needs: a resend within the cooldown is a duplicate, a
        // resolve closes its occurrence (and finds its firing time).
        var dup = TriageSessionTests.event(Self.host(1234), at: 100)
        var resolved = TriageSessionTests.event(Self.host(99), at: 100, status: .resolved)
        var next = try TriageSession(configuration: setup.configuration, journal: setup.journal, now: at(100))
        #expect(try next.decide(&dup).decision == .deduplicated)
        let closing = try next.decide(&resolved)
        #expect(closing.closedOccurrence?.firstSeenAt == at(10))
        _ = try setup.journal.recordFiles([[dup, resolved]], forward: false, now: at(100), triageRows: next.takeRows(), generation: next.generation)
        _ = try next.finish(journal: setup.journal, journaled: false, now: at(100))
        var later = try TriageSession(configuration: setup.configuration, journal: setup.journal, now: at(200))
        var again = TriageSessionTests.event(Self.host(99), at: 200, status: .resolved)
        #expect(try later.decide(&again).decision == .deduplicated, "the resolve was committed by the run before")
    }

    @Test func aRunKilledAfterAGroupCommitIsTriagedAgainAgainstTheStateItMet() throws {
        let setup = try Setup()
        try Self.run([[TriageSessionTests.event(Self.host(1), at: 10)]], setup: setup, now: at(10))
        let committedRows = try setup.journal.triageRowCount()

        // A run commits a group (new alerts and their rows), then is killed before finish.
        let fresh = (2..<6).map { TriageSessionTests.event(Self.host($0), at: 20) }
        let (dying, _) = try Self.run([fresh], setup: setup, now: at(20), finish: false)
        let afterDying = try setup.journal.triageRowCount()
        #expect(afterDying == committedRows + 8, "four occurrences and four alert keys")
        let uncommitted = try setup.journal.read {
            try Int.fetchOne($0, sql: "SELECT count(*) FROM triage_rows WHERE generation = ?", arguments: [dying.generation]) ?? 0
        }
        #expect(uncommitted > 0)

        // The next run puts the rows back and triages the group again: the alerts are new to
        // it (actionable or unroutable, not duplicates of themselves), and it acts on them.
        var recovering = try TriageSession(configuration: setup.configuration, journal: setup.journal, now: at(30))
        #expect(recovering.generation == dying.generation, "the killed run never committed its generation")
        let replayed = recovering.triaged.filter(\.replayed)
        #expect(replayed.count == 0, "unroutable alerts are not kept for later stages")
        let summary = try recovering.finish(journal: setup.journal, journaled: false, now: at(30))
        #expect(summary.replayed == 4)
        #expect(try setup.journal.triageRowCount() == afterDying)
        let newer = try setup.journal.read {
            try Int.fetchOne($0, sql: "SELECT count(*) FROM triage_rows WHERE generation > ?", arguments: [dying.generation]) ?? 0
        }
        #expect(newer == 0)
        var dup = TriageSessionTests.event(Self.host(3), at: 40)
        var next = try TriageSession(configuration: setup.configuration, journal: setup.journal, now: at(40))
        #expect(try next.decide(&dup).decision == .deduplicated)
    }

    @Test func aReplayedActionableAlertIsActedOnBecauseItsRowsWerePutBack() throws {
        var setup = try Setup()
        setup.configuration.hosts.append(HostDefinition(name: "web1", address: "192.0.2.3"))
        let alert = TriageSessionTests.event(["alertname": "DiskFull", "host": "web1"], at: 20)
        let (dying, _) = try Self.run([[alert]], setup: setup, now: at(20), finish: false)
        #expect(dying.triaged.first?.outcome.decision == .actionable)

        let recovering = try TriageSession(configuration: setup.configuration, journal: setup.journal, now: at(30))
        let replayed = try #require(recovering.triaged.first)
        #expect(replayed.replayed)
        #expect(replayed.outcome.decision == .actionable, "without the rows put back it would be a duplicate of itself")
        #expect(
            replayed.decidedAt == dying.triaged.first?.decidedAt,
            "decided at the notification's arrival again: remediation finds an attempt made for it and acts at most once")
    }

    @Test func expiredRowsAreDroppedAtMostHourly() throws {
        var setup = try Setup()
        setup.configuration.triage = TriageConfiguration(dedupCooldown: 60, occurrenceRetention: 100, flapHistoryRetention: 100)
        try Self.run([(0..<20).map { TriageSessionTests.event(Self.host($0), at: 0) }], setup: setup, now: at(0))
        #expect(try setup.journal.triageRowCount() == 20 + 7)
        // Everything has expired by 200 s, but the last prune was less than an hour ago: the
        // rows stay (reading them drops their entries anyway).
        var first = TriageSessionTests.event(Self.host(500), at: 200)
        let (_, _) = try Self.run([[first]], setup: setup, now: at(200))
        #expect(try setup.journal.triageRowCount() == 20 + 7 + 1)
        first.receivedAt = at(210)
        var session = try TriageSession(configuration: setup.configuration, journal: setup.journal, now: at(210))
        var expired = TriageSessionTests.event(Self.host(3), at: 210)
        #expect(try session.decide(&expired).decision.kind == "unroutable", "an expired processed key is no duplicate")
        // An hour after the last prune, the run drops every expired row.
        try Self.run([[TriageSessionTests.event(Self.host(501), at: 3700)]], setup: setup, now: at(3700))
        #expect(try setup.journal.triageRowCount() == 2, "the new alert's occurrence and alert key")
    }

    @Test func aDeletedRowKeptUntilThePruneIsReusedNotDoubled() throws {
        var setup = try Setup()
        // Flap histories expire before the dedup cooldown: a resend within the cooldown
        // drops the history (read pruned) without writing a new one: a deleted row.
        setup.configuration.triage = TriageConfiguration(dedupCooldown: 60, flapHistoryRetention: 10)
        let alert = Self.host(1)
        try Self.run([[TriageSessionTests.event(alert, at: 0)]], setup: setup, now: at(0))
        try Self.run([[TriageSessionTests.event(alert, at: 30)]], setup: setup, now: at(30))
        let flapKey = "f|SyntheticAlert/host1:9100"
        func rows() throws -> [Row] {
            try setup.journal.read { try Row.fetchAll($0, sql: "SELECT value FROM triage_rows WHERE key = ?", arguments: [flapKey]) }
        }
        #expect(try rows().count == 1)
        #expect(try rows().first?["value"] as Data? == nil, "deleted, kept until the hourly prune")
        // Another occurrence of the same alert key: its flap history starts again in that row.
        var later = alert
        later["n"] = "other"
        try Self.run([[TriageSessionTests.event(later, at: 40)]], setup: setup, now: at(40))
        #expect(try rows().count == 1, "one row per key")
        #expect(try rows().first?["value"] as Data? != nil)
        var session = try TriageSession(configuration: setup.configuration, journal: setup.journal, now: at(45))
        var again = TriageSessionTests.event(later, at: 45)
        #expect(try session.decide(&again).decision == .deduplicated)
    }

    @Test func aStateSavedByTheOldWholeDocumentLayoutIsCarriedIntoRows() throws {
        let setup = try Setup()
        var pipeline = TriagePipeline(configuration: setup.configuration.triage)
        let old = TriageSessionTests.event(Self.host(42), at: 5)
        _ = pipeline.triage(old.alert, host: .unroutable(reason: "x"), now: at(5))
        struct OldDocument: Encodable {
            var cursor: Int64
            var state: TriageState
        }
        let json = String(decoding: try JSONEncoder().encode(OldDocument(cursor: 0, state: pipeline.state)), as: UTF8.self)
        #expect(json.contains("processed"))
        try setup.journal.saveState(TriageSession.documentName, json: json, at: at(5))

        var session = try TriageSession(configuration: setup.configuration, journal: setup.journal, now: at(10))
        var dup = TriageSessionTests.event(Self.host(42), at: 10)
        #expect(try session.decide(&dup).decision == .deduplicated)
        _ = try session.finish(journal: setup.journal, journaled: false, now: at(10))
        #expect(try setup.journal.triageRowCount() == 2)
        #expect(!(try document(setup).contains("host2:9100")), "the entries moved to rows")
    }

    @Test func anUnreadableRowStartsAfreshWithAWarning() throws {
        let setup = try Setup()
        try Self.run([[TriageSessionTests.event(Self.host(1), at: 0)]], setup: setup, now: at(0))
        try setup.journal.write { db in try db.execute(sql: "UPDATE triage_rows SET value = x'00ff'") }
        var session = try TriageSession(configuration: setup.configuration, journal: setup.journal, now: at(10))
        var again = TriageSessionTests.event(Self.host(1), at: 10)
        #expect(try session.decide(&again).decision.kind == "unroutable", "not a duplicate: the row could not be read")
        #expect(session.warning?.contains("could not be read") == true)
    }
}
