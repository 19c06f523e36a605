import Foundation
import JarvisCore
import JarvisJobs
import JarvisTestSupport
import Testing

/// The dispatcher against the in-memory outbox and locks and an in-process Discord: every
/// delivery rule, with an injected clock and no waiting.
@Suite struct NotificationDispatcherPortTests {
    let outbox = InMemoryOutbox()
    let locks = InMemoryLocks()
    let sleeper = RecordingSleeper()
    let lockPath = "/state/notify.lock"

    func dispatcher(_ transport: ScriptedDiscordTransport, webhook: String? = "https://discord.test/api/webhooks/1/secret-token")
        -> NotificationDispatcher
    {
        var settings = DiscordSettings()
        settings.webhookURL = webhook.map { Secret($0) }
        let sleeper = self.sleeper
        return NotificationDispatcher(
            settings: settings, journal: outbox, locks: locks, transport: transport, sleeper: sleeper, lockPath: lockPath,
            now: { sleeper.now() })
    }

    func escalation(_ n: Int) -> DiscordNotification {
        .escalation(
            Escalation(
                alertKey: "DiskFull/host\(n)", alertname: "DiskFull", occurrence: "fp\(n)@2026-11-29T02:00:00Z", critical: false, attempts: 3,
                windowSeconds: 7200, at: sleeper.start))
    }

    @Test func eachMessageIsSentOnceInOrderAndNeverAgain() throws {
        let discord = ScriptedDiscordTransport()
        let run = dispatcher(discord)
        let notifications = [escalation(1), escalation(2), escalation(3)]
        #expect(try run.enqueue(notifications) == 3)
        let report = try run.deliverDue()
        #expect(report.delivered == notifications.map(\.dedupKey))
        #expect(discord.requests.map { String(decoding: $0.body, as: UTF8.self) } == notifications.map { $0.jsonBody(username: "jarvis") })
        #expect(try outbox.outboxRows().map(\.attempts) == [1, 1, 1])
        // The same facts enqueued again, and a later run, send nothing more.
        #expect(try run.enqueue(notifications) == 0)
        #expect(try dispatcher(discord).deliverDue().requests == 0)
        #expect(discord.requests.count == 3)
        #expect(try outbox.outboxDepth() == OutboxDepth(pending: 0, oldestPending: nil, dead: 0, delivered: 3))
    }

    @Test func aRateLimitWaitsDiscordsTimeThenDelivers() throws {
        let discord = ScriptedDiscordTransport([.rateLimited(retryAfter: 0.25), .noContent])
        let run = dispatcher(discord)
        try run.enqueue([escalation(1)])
        let report = try run.deliverDue()
        #expect(sleeper.waits == [0.25])
        #expect(report.delivered == [escalation(1).dedupKey])
        #expect(report.requests == 2 && report.retries == 1)
        #expect(try outbox.outboxRows().first?.attempts == 2)
    }

    @Test func aLongRateLimitPostponesWithoutWaiting() throws {
        let run = dispatcher(ScriptedDiscordTransport([.rateLimited(retryAfter: 120)]))
        try run.enqueue([escalation(1)])
        let report = try run.deliverDue()
        #expect(sleeper.waits.isEmpty)
        #expect(report.postponed?.notBefore == sleeper.start.adding(seconds: 120))
        #expect(try outbox.outboxRows().first?.nextAttemptAt == sleeper.start.adding(seconds: 120))
    }

    @Test func anUnreachableWebhookBacksOffThenPostponesAndTheHeadHoldsTheQueue() throws {
        let down = ScriptedDiscordTransport([nil, nil, nil])
        let first = dispatcher(down)
        try first.enqueue([escalation(1), escalation(2)])
        let report = try first.deliverDue()
        #expect(sleeper.waits == [1, 2])
        #expect(report.postponed?.dedupKey == escalation(1).dedupKey)
        #expect(report.isDegraded && report.delivered.isEmpty)
        #expect(!report.summary.contains("secret-token"))
        let rows = try outbox.outboxRows()
        #expect(rows.map(\.attempts) == [3, 0])
        #expect(rows[0].lastError?.hasPrefix("unreachable") == true)
        #expect(rows[0].nextAttemptAt == sleeper.now().adding(seconds: 30))
        // Before the deferral is over nothing is sent, not even the message behind the head.
        let up = ScriptedDiscordTransport()
        #expect(try dispatcher(up).deliverDue().requests == 0)
        sleeper.advance(31)
        #expect(try dispatcher(up).deliverDue().delivered == [escalation(1).dedupKey, escalation(2).dedupKey])
    }

    @Test func aRefusedMessageIsDeadAndTheQueueMovesOn() throws {
        let discord = ScriptedDiscordTransport([.badRequest])
        let run = dispatcher(discord)
        try run.enqueue([escalation(1), escalation(2)])
        let report = try run.deliverDue()
        #expect(report.dead.map(\.dedupKey) == [escalation(1).dedupKey])
        #expect(report.dead.first?.reason == #"Discord refused it: HTTP 400: {"message":"Invalid Form Body","code":50035}"#)
        #expect(report.delivered == [escalation(2).dedupKey])
        #expect(try outbox.outboxDepth().dead == 1)
        #expect(try dispatcher(discord).deliverDue().requests == 0)
    }

    @Test func aRunThatFindsTheLockHeldSendsNothingAndNamesTheHolder() throws {
        let discord = ScriptedDiscordTransport()
        let run = dispatcher(discord)
        try run.enqueue([escalation(1)])
        let held = try #require(try locks.acquire(lockPath, timeout: 0))
        let report = try run.deliverDue()
        #expect(report.skipped == .busy(holder: getpid()))
        #expect(report.depth?.pending == 1)
        #expect(discord.requests.isEmpty)
        held.release()
        #expect(try run.deliverDue().delivered == [escalation(1).dedupKey])
        #expect(locks.holder(lockPath) == nil)
    }

    @Test func withoutAWebhookNothingIsQueuedOrSent() throws {
        let discord = ScriptedDiscordTransport()
        let run = dispatcher(discord, webhook: nil)
        #expect(try run.enqueue([escalation(1)]) == 0)
        #expect(try run.deliverDue().skipped == .disabled)
        #expect(try outbox.outboxRows().isEmpty && discord.requests.isEmpty)
    }

    @Test func aMessageAnotherRunnerClaimedIsMarkedSentElsewhere() throws {
        let coordination = InMemoryRunnerCoordination()
        // An escalation is claimed without the time its runner decided it.
        let key = escalation(1).dedupKey
        _ = try coordination.claimNotification(dedupKey: String(key[..<key.lastIndex(of: "@")!]), runner: "b", expiresAfter: 14_400)
        let discord = ScriptedDiscordTransport()
        var run = dispatcher(discord)
        run.sharedClaims = SharedSendClaims(coordination: coordination, runner: "a", escalationCooldown: 14_400)
        try run.enqueue([escalation(1), escalation(2)])
        let report = try run.deliverDue()
        #expect(report.sentElsewhere == ["\(escalation(1).dedupKey) (by runner b)"])
        #expect(report.delivered == [escalation(2).dedupKey])
        #expect(discord.requests.count == 1)
        // With PostgreSQL away this runner sends its own copy.
        coordination.unreachable = true
        try run.enqueue([escalation(3)])
        #expect(try run.deliverDue().delivered == [escalation(3).dedupKey])
    }

    @Test func finishedMessagesArePrunedAfterTheRetention() throws {
        let run = dispatcher(ScriptedDiscordTransport())
        try run.enqueue([escalation(1)])
        #expect(try run.deliverDue().pruned == 0)
        sleeper.advance(run.settings.retention + 1)
        #expect(try run.deliverDue().pruned == 1)
        #expect(try outbox.outboxRows().isEmpty)
    }
}
