import Foundation
import JarvisCore

/// The notification outbox in memory, for tests of the jobs: the same rules as the SQLite
/// table (one row per dedup key until pruned; due rows oldest first, and a row not yet due
/// holds back the ones behind it; tries counted across runs). Share one instance between
/// dispatchers to play several runs.
public final class InMemoryOutbox: NotificationOutbox, @unchecked Sendable {
    private let lock = NSLock()
    private var rows: [OutboxRow] = []
    private var nextID: Int64 = 1

    public init() {}

    public func enqueueNotifications(_ messages: [OutboxMessage], now: Timestamp) throws -> Int {
        lock.withLock {
            var added = 0
            for message in messages where !rows.contains(where: { $0.dedupKey == message.dedupKey }) {
                rows.append(
                    OutboxRow(
                        id: nextID, dedupKey: message.dedupKey, kind: message.kind, body: message.body, createdAt: now, attempts: 0, lastError: nil,
                        nextAttemptAt: now, deliveredAt: nil, deadAt: nil))
                nextID += 1
                added += 1
            }
            return added
        }
    }

    public func dueNotifications(now: Timestamp, limit: Int) throws -> [OutboxRow] {
        lock.withLock { Array(rows.filter(\.isPending).prefix(limit).prefix { $0.nextAttemptAt <= now }) }
    }

    public func outboxRows() throws -> [OutboxRow] { lock.withLock { rows } }

    /// The earliest next try of a message not yet delivered or given up on.
    public var nextAttempt: Timestamp? { lock.withLock { rows.filter(\.isPending).map(\.nextAttemptAt).min() } }

    @discardableResult
    public func markDelivered(id: Int64, at: Timestamp) throws -> Bool {
        update(id) { row in
            row.deliveredAt = at
            row.attempts += 1
            row.lastError = nil
        }
    }

    public func markFailed(id: Int64, error: String, tries: Int, nextAttemptAt: Timestamp) throws {
        update(id) { row in
            row.attempts += tries
            row.lastError = error
            row.nextAttemptAt = nextAttemptAt
        }
    }

    public func markDead(id: Int64, reason: String, tries: Int, at: Timestamp) throws {
        update(id) { row in
            row.deadAt = at
            row.lastError = reason
            row.attempts += tries
        }
    }

    public func outboxDepth() throws -> OutboxDepth {
        lock.withLock {
            let pending = rows.filter(\.isPending)
            return OutboxDepth(
                pending: pending.count, oldestPending: pending.first?.createdAt, dead: rows.count { $0.deadAt != nil },
                delivered: rows.count { $0.deliveredAt != nil })
        }
    }

    public func pruneNotifications(finishedBefore cutoff: Timestamp) throws -> Int {
        lock.withLock {
            let before = rows.count
            rows.removeAll { row in (row.deliveredAt ?? row.deadAt).map { $0 < cutoff } ?? false }
            return before - rows.count
        }
    }

    /// Changes the pending row `id`; false when there is none.
    @discardableResult
    private func update(_ id: Int64, _ change: (inout OutboxRow) -> Void) -> Bool {
        lock.withLock {
            guard let index = rows.firstIndex(where: { $0.id == id && $0.isPending }) else { return false }
            change(&rows[index])
            return true
        }
    }
}
