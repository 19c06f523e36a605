import Foundation
import GRDB
import JarvisCore
import JarvisSQLite
import JarvisSSH
import JarvisSpool
import JarvisTestSupport
import Testing

@testable import JarvisJobs

/// The triage state around a real SQLite file: saved once per run with a cursor, rebuilt
/// after a run that died between its group commit and the end of the run.
@Suite struct TriageSessionTests {
    struct Setup {
        let dir: TemporaryDirectory
        var configuration: JarvisConfiguration
        let journal: JournalDatabase

        init() throws {
            dir = try TemporaryDirectory()
            var configuration = try JarvisConfiguration.inFolder(dir)
            configuration.cascade = .specExample
            configuration.hosts = [
                HostDefinition(name: "outpost", address: "192.0.2.1"),
                HostDefinition(name: "vps", address: "192.0.2.2", parents: ["outpost"]),
            ]
            self.configuration = configuration
            journal = try JournalDatabase(path: configuration.journalPath)
        }
    }

    static func event(_ labels: [String: String], at seconds: Double, status: AlertStatus = .firing) -> AlertEvent {
        AlertEvent(
            alert: Alert(status: status, labels: labels, startsAt: TriageFixtures.at(0)), receiver: "jarvis", groupKey: "{}",
            externalURL: "", sourceSHA256: "", receivedAt: TriageFixtures.at(seconds), runner: "test")
    }

    static let vpn = ["alertname": "WireGuardVPNDown", "remediation_host": "outpost", "severity": "critical"]
    static let vps = ["alertname": "VPSHostDown", "host": "vps", "severity": "critical"]

    @Test func aRunThatDiedAfterItsCommitIsTriagedAgainByTheNextAndItsRootCauseHolds() throws {
        let setup = try Setup()
        // A run triages the VPN alert and commits its row with the decision, then dies
        // before saving the state.
        var dying = try TriageSession(configuration: setup.configuration, journal: setup.journal, now: TriageFixtures.at(10))
        var vpn = Self.event(Self.vpn, at: 10)
        #expect(try dying.decide(&vpn).decision == .actionable)
        _ = try setup.journal.recordFiles([[vpn]], forward: false, now: TriageFixtures.at(10))
        // (no finish: the state was never saved)
        var first = try TriageSession(configuration: setup.configuration, journal: setup.journal, now: TriageFixtures.at(20))
        _ = try first.finish(journal: setup.journal, journaled: false, now: TriageFixtures.at(20))

        // The next run rebuilt the state from the committed row: the VPS alert is suppressed
        var next = try TriageSession(configuration: setup.configuration, journal: setup.journal, now: TriageFixtures.at(30))
        var vps = Self.event(Self.vps, at: 30)
        let outcome = try next.decide(&vps)
        guard case .suppressedCascade = outcome.decision else {
            Issue.record("expected suppressed:cascade, got \(outcome.decision)")
            return
        }
        #expect(vps.decision?.kind == "suppressed:cascade")
        #expect(vps.decision?.rootCause == vpn.alert.occurrence.description)
    }

    @Test func theReplayHappensOnceAndItsDecisionIsNotWrittenTwice() throws {
        let setup = try Setup()
        var session = try TriageSession(configuration: setup.configuration, journal: setup.journal, now: TriageFixtures.at(0))
        _ = try session.finish(journal: setup.journal, journaled: false, now: TriageFixtures.at(0))
        var dying = try TriageSession(configuration: setup.configuration, journal: setup.journal, now: TriageFixtures.at(10))
        var vpn = Self.event(Self.vpn, at: 10)
        try dying.decide(&vpn)
        _ = try setup.journal.recordFiles([[vpn]], forward: false, now: TriageFixtures.at(10))

        var recovering = try TriageSession(configuration: setup.configuration, journal: setup.journal, now: TriageFixtures.at(20))
        let summary = try recovering.finish(journal: setup.journal, journaled: false, now: TriageFixtures.at(20))
        #expect(summary.replayed == 1)
        #expect(summary.byDecision.isEmpty, "replayed alerts are not this run's decisions")
        var after = try TriageSession(configuration: setup.configuration, journal: setup.journal, now: TriageFixtures.at(30))
        #expect(try after.finish(journal: setup.journal, journaled: false, now: TriageFixtures.at(30)).replayed == 0)
        #expect(try setup.journal.count("alert_events") == 1)
        #expect(try setup.journal.count("triage_decisions") == 0)
    }

    @Test func aRunThatTriagesNothingWritesNothing() throws {
        let setup = try Setup()
        var first = try TriageSession(configuration: setup.configuration, journal: setup.journal, now: TriageFixtures.at(0))
        _ = try first.finish(journal: setup.journal, journaled: false, now: TriageFixtures.at(0))
        func updatedAt() throws -> String? {
            try setup.journal.read { try String.fetchOne($0, sql: "SELECT updated_at FROM state WHERE name = 'triage'") }
        }
        let saved = try updatedAt()
        #expect(saved != nil, "the first run saves the state and its cursor")
        var idle = try TriageSession(configuration: setup.configuration, journal: setup.journal, now: TriageFixtures.at(60))
        _ = try idle.finish(journal: setup.journal, journaled: false, now: TriageFixtures.at(60))
        #expect(try updatedAt() == saved, "an empty run rewrites nothing")
        // A window whose end passed is a change: it is expired (and reported) once
        _ = try setup.journal.startMaintenance(
            host: nil, reason: "r", author: "a", startsAt: TriageFixtures.at(0), endsAt: TriageFixtures.at(100), forward: false, runner: "t")
        var later = try TriageSession(configuration: setup.configuration, journal: setup.journal, now: TriageFixtures.at(200))
        #expect(try later.finish(journal: setup.journal, journaled: false, now: TriageFixtures.at(200)).expiredWindows.count == 1)
        #expect(try updatedAt() != saved)
    }

    @Test func aCorruptStateIsReportedAndTriageStartsAfresh() throws {
        let setup = try Setup()
        try setup.journal.saveState(TriageSession.documentName, json: "{not json", at: TriageFixtures.at(0))
        var session = try TriageSession(configuration: setup.configuration, journal: setup.journal, now: TriageFixtures.at(0))
        #expect(session.warning?.contains("could not be read") == true)
        var vpn = Self.event(Self.vpn, at: 1)
        #expect(try session.decide(&vpn).decision == .actionable)
        _ = try session.finish(journal: setup.journal, journaled: false, now: TriageFixtures.at(1))
        #expect(try TriageSession(configuration: setup.configuration, journal: setup.journal, now: TriageFixtures.at(2)).warning == nil)
    }

    @Test func windowsCountSuppressionsExpireOnceAndJournalSnapshots() throws {
        let setup = try Setup()
        let window = try setup.journal.startMaintenance(
            host: "vps", reason: "kernel", author: "ops", startsAt: TriageFixtures.at(0), endsAt: TriageFixtures.at(3600), forward: true,
            runner: "test")
        var session = try TriageSession(configuration: setup.configuration, journal: setup.journal, now: TriageFixtures.at(60))
        var one = Self.event(["alertname": "HighCPUUsage", "host": "vps"], at: 60)
        var two = Self.event(["alertname": "HighMemoryUsage", "host": "vps"], at: 60)
        #expect(try session.decide(&one).decision == .suppressedMaintenance(windowID: window.id))
        #expect(try session.decide(&two).decision == .suppressedMaintenance(windowID: window.id))
        _ = try setup.journal.recordFiles([[one, two]], forward: false, now: TriageFixtures.at(60))
        let summary = try session.finish(journal: setup.journal, journaled: true, now: TriageFixtures.at(60))
        #expect(summary.windowHits == [window.id: 2])
        #expect(try setup.journal.maintenanceWindows().first?.suppressedCount == 2)

        // After its end: expired once, reported once, and the parked alerts come back
        var later = try TriageSession(configuration: setup.configuration, journal: setup.journal, now: TriageFixtures.at(4000))
        let ended = try later.finish(journal: setup.journal, journaled: true, now: TriageFixtures.at(4000))
        #expect(ended.expiredWindows.map(\.id) == [window.id])
        #expect(ended.reevaluated == 2)
        #expect(try setup.journal.count("triage_decisions") == 2)
        var again = try TriageSession(configuration: setup.configuration, journal: setup.journal, now: TriageFixtures.at(4100))
        let quiet = try again.finish(journal: setup.journal, journaled: true, now: TriageFixtures.at(4100))
        #expect(quiet.expiredWindows.isEmpty && quiet.reevaluated == 0)
        // Snapshots for PostgreSQL: opened, counted, expired; and two re-decisions
        let pending = try setup.journal.pendingEntries(limit: 100)
        #expect(pending.filter { $0.table == "maintenance_windows" }.count == 3)
        #expect(pending.filter { $0.table == "triage_decisions" }.count == 2)
        #expect(pending.allSatisfy { $0.table != "maintenance_windows" || $0.idempotencyKey == "test/maintenance/\(window.id)" })
    }
}

/// Host transitions become Discord messages; a recovery reports what was suppressed while the
/// host was OFFLINE, once.
@Suite struct OutboxHostNotifierTests {
    @Test func aRecoveryCarriesTheSuppressionsGatheredByTriageOnce() throws {
        let setup = try TriageSessionTests.Setup()
        var configuration = setup.configuration
        let server = try TestDiscordServer()
        configuration.discord.webhookURL = Secret(server.webhookURL)
        // vps is OFFLINE; two alerts on it are suppressed by triage
        let store = HostStateStore(journal: setup.journal, journalRows: false, runner: "test")
        let down = (0..<3).map { i in
            HostStateStore.Event(host: "vps", event: .attempt(.failed(error: "connection refused")), at: TriageFixtures.at(Double(i)))
        }
        let changes = try store.record(down, thresholds: HostStateMachine.Thresholds(), now: TriageFixtures.at(3))
        let offline = try #require(changes.compactMap(\.transition).first)
        var session = try TriageSession(configuration: configuration, journal: setup.journal, now: TriageFixtures.at(10))
        var one = TriageSessionTests.event(["alertname": "ContainerDown", "host": "vps", "container": "a", "severity": "critical"], at: 10)
        var two = TriageSessionTests.event(["alertname": "HighCPUUsage", "host": "vps", "severity": "warning"], at: 11)
        #expect(try session.decide(&one).decision.kind == "suppressed:host-offline")
        #expect(try session.decide(&two).decision.kind == "suppressed:host-offline")
        _ = try setup.journal.recordFiles([[one, two]], forward: false, now: TriageFixtures.at(11))
        _ = try session.finish(journal: setup.journal, journaled: false, now: TriageFixtures.at(11))

        let dispatcher = NotificationDispatcher(
            configuration: configuration, journal: setup.journal, locks: FileLocks(), transport: LoopbackHTTPTransport(),
            sleeper: RecordingClockSleeper(),
            now: { TriageFixtures.at(100) })
        let lines = LineBox()
        let notifier = OutboxHostNotifier(
            log: LoggingHostNotifier { line, _ in lines.append(line) }, journal: setup.journal, dispatcher: dispatcher,
            now: { TriageFixtures.at(100) })
        notifier.hostTransition(offline)
        let recovered = HostTransition(
            host: "vps", from: .checking, to: .online, at: TriageFixtures.at(100), error: nil, consecutiveFailures: 0,
            lastSuccessAt: TriageFixtures.at(100))
        notifier.hostTransition(recovered)
        #expect(try dispatcher.deliverDue().delivered.count == 2)
        let bodies = server.requests.map(\.text)
        #expect(bodies.count == 2)
        #expect(bodies.last?.contains("ContainerDown") == true, "\(bodies.last ?? "")")
        #expect(bodies.last?.contains("1 critical") == true, "\(bodies.last ?? "")")
        #expect(try TriageSession.takeHostSuppressions("vps", journal: setup.journal, now: TriageFixtures.at(101)) == nil, "taken once")
        #expect(lines.lines.count == 2)
    }
}

final class LineBox: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: [String] = []
    func append(_ line: String) {
        lock.lock()
        stored.append(line)
        lock.unlock()
    }
    var lines: [String] {
        lock.lock()
        defer { lock.unlock() }
        return stored
    }
}

@Suite struct CascadeExampleTests {
    @Test(arguments: ["cascade-spec-defaults.yml", "jarvis-demo.yml"])
    func theShippedExampleIsTheSpecsDefaults(file: String) throws {
        let path = Fixtures.repositoryRoot.appendingPathComponent("examples/\(file)").path
        let (configuration, problems) = ConfigurationLoader(environment: [:]).loadReportingProblems(ConfigurationOverrides(configFile: path))
        #expect(problems.isEmpty, "\(problems)")
        #expect(configuration.cascade == CascadeConfiguration.specExample)
    }
}

/// The timer's empty runs skip SQLite until something is due.
@Suite struct IdleMarkerTests {
    @Test func anEmptyRunAfterAFinishedOneSkipsTheJournalUntilSomethingIsDue() throws {
        let setup = try TriageSessionTests.Setup()
        let spool = try SpoolDirectory(root: setup.configuration.spoolDir)
        var clock = TriageFixtures.at(0)
        func job() -> IngestJob<JournalDatabase, SpoolDirectory> {
            let now = clock
            return IngestJob(
                configuration: setup.configuration, spool: spool, journal: { setup.journal }, now: { now }, connectStore: nil,
                executor: LiveRemediationExecutor(settings: SSHSettings(), sleeper: RecordingSleeper()), locks: FileLocks())
        }
        try spool.enqueue(
            try JSONSerialization.data(withJSONObject: [
                "version": "4", "receiver": "j",
                "alerts": [["status": "firing", "labels": ["alertname": "X", "host": "vps"], "startsAt": "2026-11-29T03:00:00Z"]],
            ]))
        #expect(try job().run().idle == false)
        clock = TriageFixtures.at(10)
        #expect(try job().run().idle == true, "nothing due: the journal is not opened")
        // A window ending in 60 s bounds the idle time
        _ = try setup.journal.startMaintenance(
            host: "vps", reason: "r", author: "a", startsAt: TriageFixtures.at(10), endsAt: TriageFixtures.at(70), forward: false, runner: "t")
        IdleMarker.remove(setup.configuration)  // as `jarvis maintenance start` does
        #expect(try job().run().idle == false)
        clock = TriageFixtures.at(60)
        #expect(try job().run().idle == true)
        clock = TriageFixtures.at(71)
        let ended = try job().run()
        #expect(ended.idle == false)
        #expect(ended.triage?.expiredWindows.count == 1, "the window's end is reported by the first run after it")
        // Never idle longer than the maximum, whatever the marker says
        clock = TriageFixtures.at(71 + IdleMarker.maximumIdle + 1)
        #expect(try job().run().idle == false)
    }
}
