import Foundation
import JarvisCore
import JarvisHTTP
import JarvisJobs
import JarvisSQLite
import JarvisSpool
import JarvisTestSupport
import Testing

/// The dispatcher against a real local HTTP server standing in for Discord, through libcurl,
/// with a real SQLite outbox; only the sleeps are recorded instead of spent.
@Suite(.timeLimit(.minutes(1))) struct NotificationDispatcherTests {
    let dir: TemporaryDirectory
    let sleeper = RecordingSleeper()

    init() throws { dir = try TemporaryDirectory() }

    func settings(_ url: String?) -> DiscordSettings {
        var settings = DiscordSettings()
        settings.webhookURL = url.map { Secret($0) }
        settings.timeout = 5
        return settings
    }

    /// A dispatcher on the shared database file, as a new run would build it.
    func dispatcher(_ url: String?) throws -> NotificationDispatcher {
        let sleeper = self.sleeper
        return NotificationDispatcher(
            settings: settings(url), journal: try JournalDatabase(path: dir.file("jarvis.sqlite")), locks: FileLocks(), transport: CurlTransport(),
            sleeper: sleeper,
            lockPath: dir.file("notify.lock"), now: { sleeper.now() })
    }

    func escalation(_ n: Int, critical: Bool = false) -> DiscordNotification {
        .escalation(
            Escalation(
                alertKey: "DiskFull/host\(n)", alertname: "DiskFull", occurrence: "fp\(n)@2026-11-29T02:00:00Z", critical: critical, attempts: 3,
                windowSeconds: 7200, at: sleeper.start))
    }

    @Test func aRateLimitIsHonouredThenTheMessageIsDelivered() throws {
        let server = try TestDiscordServer(answers: [.rateLimited(retryAfter: 0.25), .noContent])
        let run = try dispatcher(server.webhookURL)
        #expect(try run.enqueue([escalation(1)]) == 1)
        let report = try run.deliverDue()
        #expect(sleeper.waits == [0.25])
        #expect(report.delivered == [escalation(1).dedupKey])
        #expect(report.requests == 2 && report.retries == 1)
        #expect(server.requests.count == 2)
        #expect(server.requests[0].text == server.requests[1].text)
        #expect(server.requests[0].headers["content-type"] == "application/json")
        #expect(server.requests[0].path == "/api/webhooks/1/test-token")
        let row = try #require(try run.journal.outboxRows().first)
        #expect(row.deliveredAt != nil && row.attempts == 2)
        #expect(try run.journal.outboxDepth().pending == 0)
    }

    @Test func serverErrorsAreRetriedWithBackoffThenDelivered() throws {
        let server = try TestDiscordServer(answers: [.serverError(500), .serverError(502), .noContent])
        let run = try dispatcher(server.webhookURL)
        try run.enqueue([escalation(1)])
        let report = try run.deliverDue()
        #expect(sleeper.waits == [1, 2])
        #expect(report.delivered.count == 1 && report.postponed == nil)
        #expect(server.requests.count == 3)
        #expect(try run.journal.outboxRows().first?.attempts == 3)
    }

    @Test func aDownServerLeavesMessagesQueuedAndTheNextRunDeliversEachOnce() throws {
        // Given three messages and a webhook whose port refuses connections.
        let closed = try LoopbackPorts.closedPort()
        let deadURL = "http://127.0.0.1:\(closed)/api/webhooks/1/very-secret-token"
        let first = try dispatcher(deadURL)
        let notifications = [escalation(1), escalation(2, critical: true), escalation(3)]
        #expect(try first.enqueue(notifications) == 3)

        // When a run cannot reach it: the head is tried three times, the run stops, all wait.
        let down = try first.deliverDue()
        #expect(down.delivered.isEmpty)
        let postponed = try #require(down.postponed)
        #expect(postponed.dedupKey == notifications[0].dedupKey)
        #expect(postponed.reason.hasPrefix("unreachable: http://127.0.0.1:\(closed): "))
        #expect(!down.summary.contains("very-secret-token"))
        #expect(sleeper.waits == [1, 2])
        let queued = try first.journal.outboxRows()
        #expect(queued.map(\.attempts) == [3, 0, 0])
        #expect(queued[0].lastError?.hasPrefix("unreachable") == true)
        #expect(queued[0].nextAttemptAt == sleeper.now().adding(seconds: 30))
        #expect(try first.journal.outboxDepth().pending == 3)

        // A run before the deferral is over sends nothing (and would not overtake the head).
        let server = try TestDiscordServer()
        #expect(try dispatcher(server.webhookURL).deliverDue().requests == 0)

        // Then the next run (a new process: new dispatcher and database handle) delivers each once, in order.
        sleeper.advance(31)
        let second = try dispatcher(server.webhookURL)
        let up = try second.deliverDue()
        #expect(up.delivered == notifications.map(\.dedupKey))
        #expect(server.requests.map(\.text) == notifications.map { $0.jsonBody(username: "jarvis") })
        #expect(try second.journal.outboxDepth() == OutboxDepth(pending: 0, oldestPending: nil, dead: 0, delivered: 3))

        // And a further run, or the same facts enqueued again, send nothing more.
        #expect(try second.enqueue(notifications) == 0)
        #expect(try dispatcher(server.webhookURL).deliverDue().requests == 0)
        #expect(server.requests.count == 3)
    }

    @Test func aBadRequestMarksTheMessageDeadAndTheQueueMovesOn() throws {
        let server = try TestDiscordServer(answers: [.badRequest])
        let run = try dispatcher(server.webhookURL)
        try run.enqueue([escalation(1), escalation(2)])
        let report = try run.deliverDue()
        #expect(report.dead.map(\.dedupKey) == [escalation(1).dedupKey])
        #expect(report.dead.first?.reason == #"Discord refused it: HTTP 400: {"message":"Invalid Form Body","code":50035}"#)
        #expect(report.delivered == [escalation(2).dedupKey])
        #expect(report.isDegraded)
        #expect(sleeper.waits.isEmpty)
        #expect(try dispatcher(server.webhookURL).deliverDue().requests == 0)
        #expect(server.requests.count == 2)
        #expect(try run.journal.outboxDepth().dead == 1)
    }

    @Test func aLongRateLimitPostponesUntilDiscordsTime() throws {
        let server = try TestDiscordServer(answers: [.rateLimited(retryAfter: 120)])
        let run = try dispatcher(server.webhookURL)
        try run.enqueue([escalation(1)])
        let report = try run.deliverDue()
        #expect(sleeper.waits.isEmpty)
        #expect(report.postponed?.notBefore == sleeper.start.adding(seconds: 120))
        #expect(try run.journal.outboxRows().first?.nextAttemptAt == sleeper.start.adding(seconds: 120))
    }

    @Test func anEmptyRateLimitBucketPausesBeforeTheNextMessage() throws {
        let server = try TestDiscordServer(answers: [
            TestDiscordServer.Answer(status: 204, headers: [("X-RateLimit-Remaining", "0"), ("X-RateLimit-Reset-After", "0.7")])
        ])
        let run = try dispatcher(server.webhookURL)
        try run.enqueue([escalation(1), escalation(2)])
        let report = try run.deliverDue()
        #expect(report.delivered.count == 2)
        #expect(sleeper.waits == [0.7])
    }

    @Test func everyKindGoesThroughWithinLimitsAndPingsOnlyAsAllowed() throws {
        let server = try TestDiscordServer()
        let run = try dispatcher(server.webhookURL)
        let hostile = "@everyone <@123> " + String(repeating: "ünïcode 🔥 ", count: 700)
        let notifications = NotificationSamples.all(text: hostile, critical: true)
        #expect(try run.enqueue(notifications) == notifications.count)
        let report = try run.deliverDue()
        #expect(report.delivered.count == notifications.count)
        #expect(server.requests.count == notifications.count)
        var escalations = 0
        for request in server.requests {
            #expect(DiscordBodyCheck.violations(request.text) == [])
            let isEscalation = DiscordBodyCheck.embed(request.text)?["title"] as? String == notifications[2].message.embed.title
            #expect(DiscordBodyCheck.parse(request.text) == (isEscalation ? ["everyone"] : []))
            if isEscalation { escalations += 1 }
        }
        #expect(escalations == 1, "the critical escalation, the one message that may ping")
    }

    @Test func withoutAWebhookNothingIsEnqueuedOrSent() throws {
        let run = try dispatcher(nil)
        #expect(try run.enqueue([escalation(1)]) == 0)
        #expect(try run.journal.outboxDepth().pending == 0)
        let report = try run.deliverDue()
        #expect(report.skipped == .disabled)
        #expect(report.summary == "discord: off (no webhook URL configured)")
    }

    @Test func aRunThatFindsTheLockTakenSendsNothing() throws {
        let server = try TestDiscordServer()
        let run = try dispatcher(server.webhookURL)
        try run.enqueue([escalation(1)])
        let held = try #require(try FileLock.acquire(dir.file("notify.lock"), timeout: 0))
        let report = try run.deliverDue()
        #expect(report.skipped == .busy(holder: getpid()))
        #expect(report.depth?.pending == 1)
        #expect(server.requests.isEmpty)
        held.release()
        #expect(try run.deliverDue().delivered.count == 1)
    }

    @Test func deliveredRowsArePrunedAfterTheRetention() throws {
        let server = try TestDiscordServer()
        var run = try dispatcher(server.webhookURL)
        run.settings.retention = 3600
        try run.enqueue([escalation(1)])
        #expect(try run.deliverDue().pruned == 0)
        sleeper.advance(3601)
        let later = try run.deliverDue()
        #expect(later.pruned == 1)
        #expect(later.depth == OutboxDepth(pending: 0, oldestPending: nil, dead: 0, delivered: 0))
    }
}
