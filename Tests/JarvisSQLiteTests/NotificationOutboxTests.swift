import Foundation
import GRDB
import JarvisCore
import JarvisSQLite
import JarvisTestSupport
import Testing

/// `notification_outbox` on a real SQLite file (JournalDatabase+Outbox).
@Suite struct NotificationOutboxTests {
    let t0 = Timestamp(seconds: 1_795_921_200)

    func message(_ key: String) -> OutboxMessage { OutboxMessage(dedupKey: key, kind: "escalation", body: #"{"k":"\#(key)"}"#) }

    @Test func theMigrationIsAppendedAfterTheShippedSteps() throws {
        let dir = try TemporaryDirectory()
        let journal = try JournalDatabase(path: dir.file("j.sqlite"))
        let applied = try journal.read { try String.fetchAll($0, sql: "SELECT identifier FROM grdb_migrations ORDER BY rowid") }
        #expect(applied.prefix(3) == ["v1-journal-events-state", "v2-store-of-record-tables", "v3-notification-outbox"])
        #expect(try journal.count("notification_outbox") == 0)
    }

    @Test func aMessageIsEnqueuedOnceEvenWhenARunRepeats() throws {
        let dir = try TemporaryDirectory()
        let journal = try JournalDatabase(path: dir.file("j.sqlite"))
        #expect(try journal.enqueueNotifications([message("a"), message("b")], now: t0) == 2)
        #expect(try journal.enqueueNotifications([message("b"), message("c")], now: t0.adding(seconds: 60)) == 1)
        let rows = try journal.outboxRows()
        #expect(rows.map(\.dedupKey) == ["a", "b", "c"])
        #expect(rows[1].createdAt == t0)  // the first copy stays
        #expect(rows.allSatisfy { $0.isPending && $0.attempts == 0 })
    }

    @Test func enqueueingInsideACallersTransactionCommitsOrRollsBackWithIt() throws {
        let dir = try TemporaryDirectory()
        let journal = try JournalDatabase(path: dir.file("j.sqlite"))
        struct Boom: Error {}
        #expect(throws: Boom.self) {
            try journal.write { db in
                try JournalDatabase.enqueue([message("lost")], in: db, now: t0)
                throw Boom()
            }
        }
        #expect(try journal.outboxDepth().pending == 0)
        try journal.updateState("hosts", now: t0) { _ in JournalStateChange(json: "{}") }
        try journal.write { db in
            try db.execute(sql: "UPDATE state SET json = '{\"v\":2}' WHERE name = 'hosts'")
            try JournalDatabase.enqueue([message("kept")], in: db, now: t0)
        }
        #expect(try journal.outboxRows().map(\.dedupKey) == ["kept"])
    }

    @Test func dueMessagesComeInOrderAndAPostponedHeadHoldsBackTheRest() throws {
        let dir = try TemporaryDirectory()
        let journal = try JournalDatabase(path: dir.file("j.sqlite"))
        try journal.enqueueNotifications([message("a"), message("b"), message("c")], now: t0)
        #expect(try journal.dueNotifications(now: t0, limit: 10).map(\.dedupKey) == ["a", "b", "c"])
        #expect(try journal.dueNotifications(now: t0, limit: 2).map(\.dedupKey) == ["a", "b"])
        let a = try journal.outboxRows()[0]
        try journal.markFailed(id: a.id, error: "HTTP 502", tries: 3, nextAttemptAt: t0.adding(seconds: 30))
        #expect(try journal.dueNotifications(now: t0.adding(seconds: 29), limit: 10).isEmpty)
        #expect(try journal.dueNotifications(now: t0.adding(seconds: 30.5), limit: 10).map(\.dedupKey) == ["a", "b", "c"])
        let failed = try journal.outboxRows()[0]
        #expect(failed.attempts == 3 && failed.lastError == "HTTP 502" && failed.nextAttemptAt == t0.adding(seconds: 30))
    }

    @Test func deliveredAndDeadMessagesLeaveTheQueueAndAreMarkedOnce() throws {
        let dir = try TemporaryDirectory()
        let journal = try JournalDatabase(path: dir.file("j.sqlite"))
        try journal.enqueueNotifications([message("a"), message("b"), message("c")], now: t0)
        let rows = try journal.outboxRows()
        #expect(try journal.markDelivered(id: rows[0].id, at: t0.adding(seconds: 1)))
        #expect(try !journal.markDelivered(id: rows[0].id, at: t0.adding(seconds: 9)))
        try journal.markDead(id: rows[1].id, reason: "Discord refused it: HTTP 400", at: t0.adding(seconds: 2))
        try journal.markFailed(id: rows[1].id, error: "late", nextAttemptAt: t0)  // ignored: it is dead
        #expect(try journal.dueNotifications(now: t0.adding(seconds: 5), limit: 10).map(\.dedupKey) == ["c"])
        let after = try journal.outboxRows()
        #expect(after[0].deliveredAt == t0.adding(seconds: 1) && after[0].attempts == 1)
        #expect(after[1].deadAt == t0.adding(seconds: 2) && after[1].lastError == "Discord refused it: HTTP 400")
        #expect(try journal.outboxDepth() == OutboxDepth(pending: 1, oldestPending: t0, dead: 1, delivered: 1))
    }

    @Test func pruningRemovesOnlyFinishedRowsOlderThanTheCutoff() throws {
        let dir = try TemporaryDirectory()
        let journal = try JournalDatabase(path: dir.file("j.sqlite"))
        try journal.enqueueNotifications([message("old"), message("recent"), message("pending")], now: t0)
        let rows = try journal.outboxRows()
        try journal.markDelivered(id: rows[0].id, at: t0.adding(seconds: 0.5))
        try journal.markDead(id: rows[1].id, reason: "x", at: t0.adding(seconds: 86_400))
        #expect(try journal.pruneNotifications(finishedBefore: t0.adding(seconds: 3600)) == 1)
        #expect(try journal.outboxRows().map(\.dedupKey) == ["recent", "pending"])
        // Once pruned, the key is free again.
        #expect(try journal.enqueueNotifications([message("old")], now: t0) == 1)
    }
}
