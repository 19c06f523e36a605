import Foundation
import JarvisCore
import JarvisTestSupport
import Testing

@testable import JarvisJobs

/// Host states, refused keys and host messages against in-memory state documents: the
/// transitions, the rows that go with them, and what is announced.
@Suite struct HostStatePortTests {
    let t0 = Timestamp(seconds: 1_800_000_000)
    let thresholds = HostStateMachine.Thresholds(offlineAfterFailures: 3, recheckInterval: 300)
    let documents = InMemoryJournal()

    func failed(_ host: String, _ offset: Double) -> HostStateStore.Event {
        HostStateStore.Event(host: host, event: .probeFailed(error: "probe: connection refused"), at: t0.adding(seconds: offset))
    }

    @Test(arguments: [true, false]) func theThirdFailureMakesTheHostOfflineOnceWithItsRows(postgres: Bool) throws {
        let store = HostStateStore(journal: documents, journalRows: postgres, runner: "r1")
        var transitions: [HostTransition] = []
        for run in 0..<5 {
            transitions += try store.record([failed("vps", Double(run) * 60)], thresholds: thresholds, now: t0).compactMap(\.transition)
        }
        #expect(transitions.map { "\($0.from.rawValue)>\($0.to.rawValue)" } == ["ONLINE>OFFLINE"])
        #expect(transitions.first?.at == t0.adding(seconds: 120))
        #expect(try store.load().status(of: "vps").consecutiveFailures == 5)
        // Every transition is kept locally; journaled for PostgreSQL only when it is configured.
        #expect(documents.snapshot.hostStatusLog.map(\.idempotencyKey) == transitions.map(HostStateStore.idempotencyKey))
        #expect(documents.snapshot.queue.count == (postgres ? 1 : 0))
        #expect(documents.snapshot.queue.allSatisfy { $0.table == "host_status_log" && $0.json.contains(#""to_state":"offline""#) })
    }

    @Test func severalEventsOfOneUpdateApplyInOrder() throws {
        let store = HostStateStore(journal: documents, journalRows: true, runner: "r1")
        let back = HostStateStore.Event(host: "vps", event: .attempt(.succeeded), at: t0.adding(seconds: 200))
        let changes = try store.record([failed("vps", 0), failed("vps", 1), failed("vps", 2), back], thresholds: thresholds, now: t0)
        #expect(changes.map(\.after.consecutiveFailures) == [1, 2, 3, 0])
        #expect(changes.compactMap(\.transition).map(\.to) == [.offline, .online])
        #expect(try store.load().history.map(\.to) == [.offline, .online])
    }

    @Test func aBrokenStoreThrowsAndRecordsNothing() throws {
        let store = HostStateStore(journal: documents, journalRows: true, runner: "r1")
        documents.failNext(.updateState)
        #expect(throws: InMemoryJournalFailure.self) { try store.record([failed("vps", 0)], thresholds: thresholds, now: t0) }
        #expect(try store.load().hosts.isEmpty)
        #expect(documents.snapshot.queue.isEmpty)
    }

    @Test func anUnreadableDocumentSaysHowToStartAfresh() throws {
        try documents.updateState(HostStateStore.documentName, now: t0) { _ in JournalStateChange(json: "{not json") }
        let store = HostStateStore(journal: documents, journalRows: false, runner: "r1")
        let error = try #require(throws: JournalError.self) { try store.load() }
        #expect(error.description.contains("delete that row to start every host afresh as ONLINE"))
    }

    @Test func anotherRunnersNewerTransitionIsAdoptedAnOlderOneIsNot() throws {
        let store = HostStateStore(journal: documents, journalRows: true, runner: "r1")
        _ = try store.record([failed("a", 0), failed("a", 1), failed("a", 2)], thresholds: thresholds, now: t0)
        let older = HostTransition(host: "a", from: .offline, to: .online, at: t0, error: nil, consecutiveFailures: 0, lastSuccessAt: t0)
        let newer = HostTransition(
            host: "b", from: .online, to: .offline, at: t0.adding(seconds: 10), error: "gone", consecutiveFailures: 3, lastSuccessAt: nil)
        let adopted = try store.adopt([older, newer], now: t0.adding(seconds: 20))
        #expect(adopted == [newer])
        #expect(try store.load().status(of: "a").state == .offline)
        #expect(try store.load().status(of: "b").state == .offline)
        // Adopted rows are PostgreSQL's already: nothing more is journaled for them.
        #expect(documents.snapshot.queue.count == 1)
    }

    @Test func aRefusedKeyIsNewOnceAndStandsUntilItsKnownHostsFileChanges() throws {
        let refusals = HostKeyRefusals(journal: documents, journalRows: true, runner: "r1")
        let host = HostDefinition(name: "vps", address: "10.0.0.5")
        let refusal = HostKeyRefusal(
            host: "vps", kind: .changed, fingerprint: "SHA256:abc", knownHostsLine: nil, knownHostsFile: nil,
            knownHostsStamp: HostKeyRefusals.stamp(nil), at: "")
        let status = HostStatus(host: "vps")
        #expect(try refusals.record(refusal, status: status, now: t0))
        #expect(try !refusals.record(refusal, status: status, now: t0.adding(seconds: 60)))
        #expect(documents.snapshot.queue.count == 1)
        #expect(try refusals.standing(for: host)?.at == t0.rfc3339)
        // Another key for the same host is news again.
        var other = refusal
        other.fingerprint = "SHA256:def"
        #expect(try refusals.record(other, status: status, now: t0.adding(seconds: 120)))
        // A stamp that no longer matches the file means a person changed it: jarvis tries again.
        other.knownHostsStamp = "0123456789abcdef"
        _ = try refusals.record(other, status: status, now: t0.adding(seconds: 180))
        #expect(try refusals.standing(for: host) == nil)
    }

    @Test func aHostGoingOfflineAndComingBackIsOneMessageEach() throws {
        let outbox = InMemoryOutbox()
        var discord = DiscordSettings()
        discord.webhookURL = Secret("https://discord.test/api/webhooks/1/t")
        let dispatcher = NotificationDispatcher(
            settings: discord, journal: outbox, locks: InMemoryLocks(), transport: ScriptedDiscordTransport(), sleeper: RecordingSleeper(),
            lockPath: "/state/notify.lock", now: { [t0] in t0 })
        let notifier = OutboxHostNotifier(
            log: LoggingHostNotifier { _, _ in }, journal: documents, dispatcher: dispatcher, now: { [t0] in t0 })
        let store = HostStateStore(journal: documents, journalRows: false, runner: "r1")
        let down = try store.record([failed("vps", 0), failed("vps", 1), failed("vps", 2)], thresholds: thresholds, now: t0)
        let offline = try #require(down.last?.transition)
        notifier.hostTransition(offline)
        let up = try store.record(
            [HostStateStore.Event(host: "vps", event: .attempt(.succeeded), at: t0.adding(seconds: 600))], thresholds: thresholds, now: t0)
        notifier.hostTransition(try #require(up.first?.transition))
        let rows = try outbox.outboxRows()
        #expect(rows.map(\.kind) == [NotificationKind.hostOffline.rawValue, NotificationKind.hostRecovered.rawValue])
        #expect(rows.last?.body.contains("vps") == true)
    }
}
