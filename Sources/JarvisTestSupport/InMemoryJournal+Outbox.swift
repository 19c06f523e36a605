import JarvisCore

/// The journal's Discord outbox: its `outbox`, with `failNext(.markDelivered)` to play a
/// crash between Discord's answer and the mark.
extension InMemoryJournal: NotificationOutbox {
    public func enqueueNotifications(_ messages: [OutboxMessage], now: Timestamp) throws -> Int {
        try outbox.enqueueNotifications(messages, now: now)
    }

    public func dueNotifications(now: Timestamp, limit: Int) throws -> [OutboxRow] { try outbox.dueNotifications(now: now, limit: limit) }

    public func outboxRows() throws -> [OutboxRow] { try outbox.outboxRows() }

    @discardableResult
    public func markDelivered(id: Int64, at: Timestamp) throws -> Bool {
        try write(.markDelivered) { _ in }
        return try outbox.markDelivered(id: id, at: at)
    }

    public func markFailed(id: Int64, error: String, tries: Int, nextAttemptAt: Timestamp) throws {
        try outbox.markFailed(id: id, error: error, tries: tries, nextAttemptAt: nextAttemptAt)
    }

    public func markDead(id: Int64, reason: String, tries: Int, at: Timestamp) throws {
        try outbox.markDead(id: id, reason: reason, tries: tries, at: at)
    }

    public func pruneNotifications(finishedBefore cutoff: Timestamp) throws -> Int { try outbox.pruneNotifications(finishedBefore: cutoff) }
}
