import Foundation
import GRDB
import JarvisCore
import JarvisPostgres
import JarvisSQLite
import JarvisTestSupport
import Testing

@testable import JarvisJobs

/// Every figure of the weekly report on fixture rows with hand-checked answers, in SQLite and
/// in PostgreSQL (the same rows, sent through the journal as in production), agreeing.
@Suite(.serialized, .timeLimit(.minutes(3))) struct ReportFiguresTests {
    let dir: TemporaryDirectory
    let journal: JournalDatabase

    init() throws {
        dir = try TemporaryDirectory()
        journal = try JournalDatabase(path: dir.file("journal.sqlite"))
    }

    /// Sends every journal row to a fresh PostgreSQL and returns its store.
    func postgres(_ server: TestPostgres) throws -> PostgresStore {
        let store = try PostgresStore.connect(url: server.url, connectTimeoutSeconds: 3)
        _ = try store.migrate()
        let entries = try journal.pendingEntries(limit: 1_000_000)
        _ = try store.apply(entries)
        return store
    }

    func build(_ database: any ReportDatabase, _ period: ReportPeriod, source: WeeklyReport.Source = .embedded) throws -> WeeklyReport {
        try WeeklyReport.build(
            period: period, store: database, journal: journal, source: source, generatedAt: ReportFixtures.at("2026-12-07T08:00:00Z"))
    }

    /// The hand-checked answers of `ReportFixtures.writeWeek`.
    func expectHandChecked(_ report: WeeklyReport) {
        let t = report.totals
        #expect(t.attempts == 5)
        #expect(t.successes == 2)
        #expect(t.failures == 2)
        #expect(t.escalations == 1)
        #expect(t.successRate == 0.5)
        let tiers: [Int] = [t.tier1, t.tier2, t.tier3]
        #expect(tiers == [1, 1, 3])
        #expect(t.tier1Successes == 1)
        #expect(t.llmCalls == 4)
        #expect(t.llmErrors == 1)
        #expect(t.tokensIn == 1_800 && t.tokensOut == 350)
        #expect(abs(t.costUSD - 0.06) < 1e-9)
        #expect(abs(t.savedUSD - 0.015) < 1e-9)
        #expect(report.days.map(\.date) == ["2026-11-30", "2026-12-01", "2026-12-02", "2026-12-03", "2026-12-04", "2026-12-05", "2026-12-06"])
        #expect(report.days.map(\.outcomes.successes) == [1, 1, 0, 0, 0, 0, 0])
        #expect(report.days.map(\.outcomes.failures) == [0, 0, 1, 1, 0, 0, 0])
        #expect(report.days.map(\.outcomes.escalations) == [0, 0, 0, 0, 0, 1, 0])
        #expect(report.decisions.map(\.decision) == ["actionable", "resolved", "suppressed:maintenance"])
        #expect(report.decisions.map(\.events) == [4, 4, 1])
        #expect(report.resolved == 4)
        #expect(report.meanResolveSeconds == 9_000)
        #expect(report.p90ResolveSeconds == 14_400)
        // Resolved after a remediation ran: the 1, 2 and 3 hour occurrences.
        #expect(report.remediatedResolved == 3)
        #expect(report.remediatedMeanResolveSeconds == 7_200)
        #expect(report.remediatedP90ResolveSeconds == 10_800)
        let disk = ReportFixtures.alertKey("DiskFull", host: "web1")
        let cpu = ReportFixtures.alertKey("HighCPU", host: "db1")
        #expect(
            report.topAlerts == [.init(name: disk, occurrences: 4, firingSeconds: 36_000), .init(name: cpu, occurrences: 1, firingSeconds: 93_600)])
        #expect(WeeklyReport.byFiringTime(report.topAlerts).map(\.name) == [cpu, disk])
        #expect(
            report.topHosts == [
                .init(name: "web1", occurrences: 4, firingSeconds: 36_000), .init(name: "db1", occurrences: 1, firingSeconds: 93_600),
            ])
        #expect(report.patternEvents == ["learned": 2, "promoted": 1, "demoted": 1])
        #expect(report.failureSignatures == [.init(alertKey: disk, commands: "systemctl restart nginx", failures: 2)])
        // DiskFull fires on four days; HighCPU (Saturday 22:00 to past the end) on two.
        #expect(report.chronic == [.init(alertKey: disk, days: 4)])
        #expect(report.downtime.map(\.host) == ["db1", "nas", "web1"])
        #expect(report.downtime.map(\.seconds) == [7_200, 3_600, 3_600])
        #expect(report.downtime.map(\.ended) == [ReportFixtures.at("2026-12-04T14:00:00Z"), ReportFixtures.at("2026-11-30T01:00:00Z"), nil])
        #expect(report.downtimeByHost.map(\.host) == ["db1", "nas", "web1"])
        #expect(
            report.windows == [
                .init(
                    key: "runner-a/maintenance/1", host: "web1", reason: "disk swap", started: ReportFixtures.at("2026-12-02T08:00:00Z"),
                    ended: ReportFixtures.at("2026-12-02T10:00:00Z"), suppressed: 3, suppressedAlerts: [.init(alertKey: cpu, events: 1)])
            ])
        #expect(report.journal == .init(queued: 8, drained: 18, deepest: 10, flushes: 4, longestDegradedSeconds: 43_200))
    }

    @Test func everyFigureMatchesTheHandCheckedAnswersInSQLite() throws {
        try ReportFixtures.writeWeek(journal)
        expectHandChecked(try build(journal, try ReportFixtures.week()))
    }

    @Test func postgresComputesTheSameFiguresAsSQLite() throws {
        // Given the same rows in both stores
        try ReportFixtures.writeWeek(journal)
        let server = try TestPostgres()
        let store = try postgres(server)
        // When both compute the week
        let period = try ReportFixtures.week()
        let fromPostgres = try build(store, period)
        let fromSQLite = try build(journal, period)
        // Then both give the hand-checked answers, and agree on every figure
        expectHandChecked(fromPostgres)
        #expect(fromPostgres == fromSQLite)
        // And the job's reader, which runs the largest figures at once on connections of their own, agrees
        let settings = PostgresSettings(url: Secret(server.url), connectTimeout: 3)
        let job = WeeklyReportJob(
            period: period, journal: journal, connectStore: { try LivePostgres.reportDatabase(settings) },
            now: { ReportFixtures.at("2026-12-07T08:00:00Z") })
        let fromJob = try job.build()
        #expect(fromJob.source == .postgres)
        #expect(try build(store, period, source: .postgres) == fromJob)
        // And each figure is a function people can call from psql
        let psql = try server.psql([
            "-At", "-c",
            "SELECT name, occurrences FROM jarvis_report_top_firing('2026-11-30Z', '2026-12-07Z') WHERE dimension = 'host' ORDER BY name",
        ])
        #expect(psql.split(separator: "\n") == ["db1|1", "web1|4"])
    }

    @Test func postgresCountersMatchSQLiteAsRowsAreAddedAndChanged() throws {
        // Given the week's rows in both stores
        try ReportFixtures.writeWeek(journal)
        let server = try TestPostgres()
        let store = try postgres(server)
        // Then PostgreSQL's counter rows hold the same totals SQLite sums from its tables
        let before = try journal.storeCounters()
        #expect(before.alertsByDecision["actionable"] == 5)
        #expect(try store.storeCounters() == before)
        // And when an attempt changes (its outcome and tokens) and a new one arrives
        var changed = try #require(journal.remediations(where: .key("remediation/fixture#5")).first)
        changed.outcome = .failed
        changed.tokensIn += 100
        try journal.updateRemediation(changed, forward: true, now: ReportFixtures.at("2026-12-07T02:00:00Z"))
        let added = RemediationRecord(
            key: "remediation/fixture#7", occurrenceKey: "occ-7", alertKey: "A|x", alertname: "A", host: "x", tier: 3,
            intentAt: ReportFixtures.at("2026-12-07T02:00:00Z"), outcome: .pending, verification: .pending, tokensIn: 10)
        _ = try journal.recordIntent(added, forward: true, now: ReportFixtures.at("2026-12-07T02:00:00Z"))
        _ = try store.apply(try journal.pendingEntries(limit: 1_000_000))
        // Then they still agree, and the counts moved from escalated to failed
        let after = try journal.storeCounters()
        #expect(after != before)
        #expect(try store.storeCounters() == after)
        #expect(after.remediations.first { $0.tier == 2 && $0.outcome == "failed" }?.count == 1)
        #expect(after.tokensIn == before.tokensIn + 110)
    }

    @Test func aWindowOpenedOnAnotherRunnerGetsTheAlertsHeldBackUnderItHere() throws {
        // Given runner A's window (key runner-a/maintenance/1, counter 1: one event of A's,
        // stored before events carried the window's key)
        let a = try JournalDatabase(path: dir.file("a.sqlite"))
        let opened = ReportFixtures.at("2026-12-02T08:00:00Z")
        let window = try a.startMaintenance(
            host: nil, reason: "switch swap", author: "ops", startsAt: opened, endsAt: ReportFixtures.at("2026-12-02T12:00:00Z"), forward: true,
            runner: "runner-a")
        let old = ReportFixtures.event(
            "Backup", host: "nas", status: .firing, startsAt: "2026-12-02T09:00:00Z", decision: "suppressed:maintenance", window: window.id)
        _ = try a.record([old], forward: true, now: ReportFixtures.at("2026-12-02T09:00:00Z"))
        try a.write { db in
            try JournalDatabase.addSuppressions([window.id: 1], db: db, now: ReportFixtures.at("2026-12-02T09:00:00Z"), forward: true)
            try db.execute(sql: "UPDATE alert_events SET maintenance_window_key = NULL")
        }
        // And runner B (this journal) with a window of its own, then A's copied in (local id 2),
        // which holds back three events of B's
        let own = try journal.startMaintenance(
            host: "db1", reason: "kernel", author: "ops", startsAt: opened, endsAt: ReportFixtures.at("2026-12-02T09:00:00Z"), forward: true,
            runner: "runner-b")
        try journal.mergeSharedWindows(
            [
                SharedMaintenanceWindow(
                    key: "runner-a/maintenance/\(window.id)", host: nil, reason: "switch swap", author: "ops", startsAt: opened,
                    endsAt: ReportFixtures.at("2026-12-02T12:00:00Z"), endedAt: nil, updatedAt: opened)
            ], runner: "runner-b", now: opened)
        let copy = try #require(try journal.maintenanceWindows().first { $0.id != own.id })
        #expect(copy.id == 2)
        let held = [("DiskFull", "10"), ("DiskFull", "11"), ("HighCPU", "10")].map { name, hour in
            ReportFixtures.event(
                name, host: "web1", status: .firing, startsAt: "2026-12-02T\(hour):00:00Z", decision: "suppressed:maintenance", window: copy.id,
                runner: "runner-b")
        }
        _ = try journal.record(held, forward: true, now: ReportFixtures.at("2026-12-02T11:00:00Z"))
        try journal.write { db in
            try JournalDatabase.addSuppressions([copy.id: 3], db: db, now: ReportFixtures.at("2026-12-02T11:00:00Z"), forward: true)
        }
        // When both journals reach PostgreSQL
        let server = try TestPostgres()
        let store = try postgres(server)
        _ = try store.apply(try a.pendingEntries(limit: 1_000))
        // Then PostgreSQL lists B's held-back alerts and A's older one under A's window, and
        // counts A's counter plus B's events; B's own window held nothing back
        let period = try ReportFixtures.week()
        let disk = ReportFixtures.alertKey("DiskFull", host: "web1")
        let cpu = ReportFixtures.alertKey("HighCPU", host: "web1")
        let backup = ReportFixtures.alertKey("Backup", host: "nas")
        let fromPostgres = try build(store, period).windows
        #expect(fromPostgres.map(\.key) == ["runner-b/maintenance/1", "runner-a/maintenance/1"])
        #expect(fromPostgres.map(\.suppressed) == [0, 4])
        #expect(fromPostgres[0].suppressedAlerts.isEmpty)
        #expect(
            fromPostgres[1].suppressedAlerts == [
                .init(alertKey: disk, events: 2), .init(alertKey: backup, events: 1), .init(alertKey: cpu, events: 1),
            ])
        // And B's journal alone (embedded) lists its own three under A's window, with its own counter
        let fromSQLite = try build(journal, period).windows
        #expect(fromSQLite.map(\.key) == ["runner-b/maintenance/1", "runner-a/maintenance/1"])
        #expect(fromSQLite.map(\.suppressed) == [0, 3])
        #expect(fromSQLite[0].suppressedAlerts.isEmpty)
        #expect(fromSQLite[1].suppressedAlerts == [.init(alertKey: disk, events: 2), .init(alertKey: cpu, events: 1)])
    }

    @Test func chronicKeysCountEveryDayTheirOccurrencesFireOn() throws {
        // Given (UTC, week 2026-W49 from Monday 30 November):
        //  A: Monday 23:00 to Wednesday 01:00 (Mon, Tue, Wed) and Friday 10:00 to 10:30 (Fri) → 4 days
        //  B: Sunday before the week 12:00 to Tuesday 00:00 sharp (Mon only), Thursday for an
        //     instant, and Saturday 23:59 still firing (Sat, Sun) → 4 days
        //  C: Tuesday 10:00 to Thursday 00:00 sharp (Tue, Wed) → 2 days, not chronic
        let spans: [(String, String, String?)] = [
            ("A", "2026-11-30T23:00:00Z", "2026-12-02T01:00:00Z"), ("A", "2026-12-04T10:00:00Z", "2026-12-04T10:30:00Z"),
            ("B", "2026-11-29T12:00:00Z", "2026-12-01T00:00:00Z"), ("B", "2026-12-03T08:00:00Z", "2026-12-03T08:00:00Z"),
            ("B", "2026-12-05T23:59:00Z", nil), ("C", "2026-12-01T10:00:00Z", "2026-12-03T00:00:00Z"),
        ]
        var events: [AlertEvent] = []
        for (name, start, end) in spans {
            events.append(ReportFixtures.event(name, host: "h", status: .firing, startsAt: start, decision: "actionable"))
            if let end { events.append(ReportFixtures.event(name, host: "h", status: .resolved, startsAt: start, endsAt: end, decision: "resolved")) }
        }
        _ = try journal.record(events, forward: true, now: ReportFixtures.at("2026-12-07T01:00:00Z"))
        let server = try TestPostgres()
        let store = try postgres(server)
        // Then both stores find A and B on four days each, and not C
        let period = try ReportFixtures.week()
        let key = { (name: String) in ReportFixtures.alertKey(name, host: "h") }
        for report in [try build(journal, period), try build(store, period)] {
            #expect(report.chronic == [.init(alertKey: key("A"), days: 4), .init(alertKey: key("B"), days: 4)])
        }
    }

    @Test func anEmptyWeekHasZeroFiguresEverywhere() throws {
        let server = try TestPostgres()
        let store = try postgres(server)
        let period = try ReportFixtures.week()
        for report in [try build(journal, period), try build(store, period)] {
            #expect(report.totals == WeeklyReport.Outcomes())
            #expect(report.days.count == 7)
            #expect(report.resolved == 0 && report.meanResolveSeconds == nil && report.p90ResolveSeconds == nil)
            #expect(report.topAlerts.isEmpty && report.topHosts.isEmpty && report.decisions.isEmpty && report.downtime.isEmpty)
            #expect(report.journal == .init(queued: 0, drained: 0, deepest: 0, flushes: 0, longestDegradedSeconds: 0))
            #expect(report.text.contains("alerts: none"))
            #expect(try JSONSerialization.jsonObject(with: Data(report.json.utf8)) is [String: Any])
        }
    }

    @Test func aWeekWithOneAlertCountsItOnce() throws {
        let event = ReportFixtures.event("Backup", host: "nas", status: .firing, startsAt: "2026-12-03T04:00:00Z", decision: "actionable")
        _ = try journal.record([event], forward: true, now: ReportFixtures.at("2026-12-03T04:00:01Z"))
        let server = try TestPostgres()
        let store = try postgres(server)
        let period = try ReportFixtures.week()
        let sqlite = try build(journal, period)
        #expect(sqlite.alertEvents == 1)
        let firing: Double = 4 * 86_400 - 4 * 3_600
        let expected = WeeklyReport.Ranked(name: event.alert.alertKey.description, occurrences: 1, firingSeconds: firing)
        #expect(sqlite.topAlerts == [expected])
        #expect(sqlite.topHosts.map(\.name) == ["nas"])
        // Still firing at the end: Thursday to Sunday, four days.
        #expect(sqlite.chronic == [.init(alertKey: event.alert.alertKey.description, days: 4)])
        #expect(try build(store, period) == sqlite)
    }

    @Test func aWeekAcrossTheDaylightSavingChangeHasOneDayOfTwentyFiveHours() throws {
        // Given Europe/Berlin's week 2026-W43, whose Sunday 25 October has 25 hours
        let berlin = try #require(TimeZone(identifier: "Europe/Berlin"))
        let period = try ReportPeriod.parse(
            week: "2026-W43", since: nil, until: nil, now: ReportFixtures.at("2026-11-01T00:00:00Z"), timeZone: berlin)
        #expect(period.since == ReportFixtures.at("2026-10-18T22:00:00Z"))
        #expect(period.until == ReportFixtures.at("2026-10-25T23:00:00Z"))
        let hours = zip(period.bounds, period.bounds.dropFirst()).map { $1.seconds(since: $0) / 3_600 }
        #expect(hours == [24, 24, 24, 24, 24, 24, 25])
        // And attempts just before and after local midnight land on their local days
        let times = ["2026-10-24T21:30:00Z", "2026-10-24T22:30:00Z", "2026-10-25T22:30:00Z"]  // Sat 23:30, Sun 00:30, Sun 23:30 local
        for (n, time) in times.enumerated() {
            let record = RemediationRecord(
                key: "remediation/dst#\(n)", occurrenceKey: "occ", alertKey: "A|x", alertname: "A", host: "x", tier: 3,
                intentAt: ReportFixtures.at(time), outcome: .succeeded, verification: .verified)
            _ = try journal.recordIntent(record, forward: true, now: ReportFixtures.at(time))
        }
        let server = try TestPostgres()
        let store = try postgres(server)
        for report in [try build(journal, period), try build(store, period)] {
            #expect(report.days.map(\.date) == ["2026-10-19", "2026-10-20", "2026-10-21", "2026-10-22", "2026-10-23", "2026-10-24", "2026-10-25"])
            #expect(report.days.map(\.outcomes.attempts) == [0, 0, 0, 0, 0, 1, 2])
        }
    }

    @Test func withPostgresDownTheReportComesFromTheJournalAndSaysSo() throws {
        // Given the week's rows locally and a PostgreSQL that has stopped
        try ReportFixtures.writeWeek(journal)
        let server = try TestPostgres()
        let url = server.url
        try server.stop()
        let settings = PostgresSettings(url: Secret(url), connectTimeout: 2)
        // When the report is built
        let job = WeeklyReportJob(
            period: try ReportFixtures.week(), journal: journal,
            connectStore: { try LivePostgres.reportDatabase(settings) }, now: { ReportFixtures.at("2026-12-07T08:00:00Z") })
        let report = try job.build()
        // Then it holds the local figures and says where they came from
        guard case .localFallback(let reason) = report.source else {
            Issue.record("expected the local fallback, got \(report.source)")
            return
        }
        #expect(!reason.isEmpty)
        expectHandChecked(report)
        #expect(report.text.contains("PostgreSQL unavailable"))
        #expect(report.html.contains("PostgreSQL unavailable"))
        #expect(report.json.contains(#""kind":"local-fallback""#))
    }

    @Test func periodsParseAndBadOnesSayWhy() throws {
        let utc = ReportFixtures.utc
        let now = ReportFixtures.at("2026-12-06T13:45:10.5Z")
        let last7 = try ReportPeriod.parse(week: nil, since: nil, until: nil, now: now, timeZone: utc)
        // Up to the next whole second: what was recorded in the current second is in it
        #expect(last7.until == ReportFixtures.at("2026-12-06T13:45:11Z"))
        #expect(last7.since == ReportFixtures.at("2026-11-29T13:45:11Z"))
        #expect(
            try ReportPeriod.parse(week: nil, since: nil, until: nil, now: ReportFixtures.at("2026-12-06T13:45:10Z"), timeZone: utc).until
                == ReportFixtures.at("2026-12-06T13:45:10Z"))
        #expect(last7.dayCount == 8)
        #expect(try ReportPeriod.parse(week: "last", since: nil, until: nil, now: now, timeZone: utc).label == "2026-W48")
        let range = try ReportPeriod.parse(week: nil, since: "2026-11-01", until: "2026-12-01", now: now, timeZone: utc)
        #expect(range.label == "2026-11-01 … 2026-12-01")
        #expect(range.chronicMinimumDays == 18)
        let bad: [(String?, String?, String?)] = [
            ("2026-W54", nil, nil), ("soon", nil, nil), ("2026-W01", "2026-01-01", nil), (nil, "yesterday", nil), (nil, "2026-12-02", "2026-12-01"),
        ]
        for (week, since, until) in bad {
            #expect(throws: ReportPeriodError.self) { try ReportPeriod.parse(week: week, since: since, until: until, now: now, timeZone: utc) }
        }
    }
}

/// Embedded mode has downtime too: host transitions are kept in the local `host_status_log`.
@Suite struct LocalHostTransitionTests {
    @Test func probeFailuresInEmbeddedModeBecomeADowntimeEpisode() throws {
        // Given three failed probes of db1 in embedded mode (no journal rows), then a recovery
        let dir = try TemporaryDirectory()
        let journal = try JournalDatabase(path: dir.file("j.sqlite"))
        let store = HostStateStore(journal: journal, journalRows: false, runner: "r1")
        let thresholds = HostStateMachine.Thresholds(offlineAfterFailures: 3, recheckInterval: 0)
        let t0 = ReportFixtures.at("2026-12-02T10:00:00Z")
        let failures = (0..<3).map {
            HostStateStore.Event(host: "db1", event: .probeFailed(error: "refused"), at: t0.adding(seconds: Double($0) * 60))
        }
        _ = try store.record(failures, thresholds: thresholds, now: t0.adding(seconds: 120))
        _ = try store.record(
            [.init(host: "db1", event: .probeAnswered, at: t0.adding(seconds: 600))], thresholds: thresholds, now: t0.adding(seconds: 600))
        _ = try store.record(
            [.init(host: "db1", event: .attempt(.succeeded), at: t0.adding(seconds: 900))], thresholds: thresholds, now: t0.adding(seconds: 900))
        // Then nothing waits for PostgreSQL, and the week shows one episode from OFFLINE to ONLINE
        #expect(try journal.depth().rows == 0)
        let report = try WeeklyReport.build(period: try ReportFixtures.week(), store: journal, journal: nil, source: .embedded, generatedAt: t0)
        #expect(report.downtime == [.init(host: "db1", started: t0.adding(seconds: 120), ended: t0.adding(seconds: 900), seconds: 780)])
    }
}
