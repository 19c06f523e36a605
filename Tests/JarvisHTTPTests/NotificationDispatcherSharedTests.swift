import Foundation
import JarvisCore
import JarvisHTTP
import JarvisJobs
import JarvisPostgres
import JarvisSQLite
import JarvisSpool
import JarvisTestSupport
import Testing

/// Two runners holding the same event in their own outboxes, sharing one real PostgreSQL:
/// the stand-in Discord server gets it once.
@Suite(.serialized, .timeLimit(.minutes(2))) struct NotificationDispatcherSharedTests {
    @Test func twoRunnersEscalatingTheSameOccurrencePostItOnce() throws {
        let postgres = try TestPostgres()
        let settings = PostgresSettings(url: Secret(postgres.url))
        _ = try LivePostgres.connect(settings).migrate()
        let server = try TestDiscordServer()
        defer { server.stop() }
        let dir = try TemporaryDirectory()
        // Each runner decided the escalation at its own time: the dedup keys differ.
        func escalation(at seconds: Int64) -> DiscordNotification {
            .escalation(
                Escalation(
                    alertKey: "DiskFull/web1", alertname: "DiskFull", occurrence: "fp1@2026-12-06T00:00:00Z", critical: true, attempts: 3,
                    windowSeconds: 7200, at: Timestamp(seconds: seconds)))
        }
        let messages = [escalation(at: 1_800_000_000), escalation(at: 1_800_000_004)]
        #expect(messages[0].dedupKey != messages[1].dedupKey)
        var reports: [DeliveryReport] = []
        for (runner, message) in zip(["a", "b"], messages) {
            var discord = DiscordSettings()
            discord.webhookURL = Secret(server.webhookURL)
            let sleeper = RecordingSleeper()
            var dispatcher = NotificationDispatcher(
                settings: discord, journal: try JournalDatabase(path: dir.file("\(runner).sqlite")), locks: FileLocks(), transport: CurlTransport(),
                sleeper: sleeper, lockPath: dir.file("\(runner)-notify.lock"), now: { sleeper.now() })
            dispatcher.sharedClaims = SharedSendClaims(
                coordination: LiveRunnerCoordination(settings: settings), runner: runner, escalationCooldown: 14_400)
            #expect(try dispatcher.enqueue([message]) == 1)
            reports.append(try dispatcher.deliverDue())
        }
        #expect(server.requests.count == 1)
        #expect(reports[0].delivered == [messages[0].dedupKey])
        #expect(reports[1].delivered.isEmpty)
        #expect(reports[1].sentElsewhere == ["\(messages[1].dedupKey) (by runner a)"])
        #expect(reports[1].summary.contains("1 sent by another runner"), "\(reports[1].summary)")
        #expect(try JournalDatabase(path: dir.file("b.sqlite")).outboxDepth().pending == 0, "b's copy is settled, not retried")
    }

    @Test func withPostgreSQLAwayEachRunnerSendsItsOwnCopy() throws {
        let server = try TestDiscordServer()
        defer { server.stop() }
        let dir = try TemporaryDirectory()
        let closed = try LoopbackPorts.closedPort()
        let settings = PostgresSettings(url: Secret("postgresql://jarvis@127.0.0.1:\(closed)/jarvis"), connectTimeout: 1)
        var discord = DiscordSettings()
        discord.webhookURL = Secret(server.webhookURL)
        let sleeper = RecordingSleeper()
        var dispatcher = NotificationDispatcher(
            settings: discord, journal: try JournalDatabase(path: dir.file("a.sqlite")), locks: FileLocks(), transport: CurlTransport(),
            sleeper: sleeper,
            lockPath: dir.file("notify.lock"), now: { sleeper.now() })
        dispatcher.sharedClaims = SharedSendClaims(coordination: LiveRunnerCoordination(settings: settings), runner: "a", escalationCooldown: 14_400)
        try dispatcher.enqueue([.flapping(FlapReport(alertKey: "K", verdict: .startedFlapping, percentStateChange: 40, at: sleeper.start))])
        #expect(try dispatcher.deliverDue().delivered.count == 1)
        #expect(server.requests.count == 1)
    }
}
