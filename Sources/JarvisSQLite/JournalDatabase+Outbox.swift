import GRDB
import JarvisCore

/// A message to put in the notification outbox.
public struct OutboxMessage: Sendable, Equatable {
    /// Unique per real-world event; a second message with the same key is ignored.
    public var dedupKey: String
    /// The notification kind (`NotificationKind.rawValue`), for people and metrics.
    public var kind: String
    /// The exact JSON body to post.
    public var body: String

    /// Creates a message.
    /// - Parameters:
    ///   - dedupKey: The dedup key.
    ///   - kind: The kind.
    ///   - body: The JSON body.
    public init(dedupKey: String, kind: String, body: String) {
        self.dedupKey = dedupKey
        self.kind = kind
        self.body = body
    }
}

/// One row of `notification_outbox`.
public struct OutboxRow: Sendable, Equatable {
    public var id: Int64
    public var dedupKey: String
    public var kind: String
    public var body: String
    public var createdAt: Timestamp
    /// HTTP tries so far, across runs.
    public var attempts: Int
    /// Why the last try failed (or why the row is dead).
    public var lastError: String?
    /// Not to be tried before this instant.
    public var nextAttemptAt: Timestamp
    public var deliveredAt: Timestamp?
    public var deadAt: Timestamp?

    /// True while neither delivered nor dead.
    public var isPending: Bool { deliveredAt == nil && deadAt == nil }
}

extension JournalDatabase {
    /// Enqueues `messages` in one transaction; a message whose dedup key is already in the
    /// outbox (pending, delivered or dead, until pruned) is ignored, so a repeated run enqueues
    /// nothing twice.
    ///
    /// SQL: `INSERT OR IGNORE INTO notification_outbox …`.
    /// - Parameters:
    ///   - messages: The messages, in the order they should be sent.
    ///   - now: `created_at` and the first `next_attempt_at`.
    /// - Returns: How many were new.
    /// - Throws: `JournalError` when SQLite fails (nothing is enqueued).
    @discardableResult
    public func enqueueNotifications(_ messages: [OutboxMessage], now: Timestamp) throws -> Int {
        guard !messages.isEmpty else { return 0 }
        return try outboxWrite("enqueue notifications") { db in try Self.enqueue(messages, in: db, now: now) }
    }

    /// `enqueueNotifications` inside a transaction the caller already holds, so that messages
    /// are committed together with the state that caused them (or not at all).
    /// - Parameters:
    ///   - messages: The messages.
    ///   - db: A connection inside a write transaction (`JournalDatabase.write`, `updateState`).
    ///   - now: `created_at` and the first `next_attempt_at`.
    /// - Returns: How many were new.
    /// - Throws: `DatabaseError` from SQLite.
    @discardableResult
    public static func enqueue(_ messages: [OutboxMessage], in db: Database, now: Timestamp) throws -> Int {
        let statement = try db.cachedStatement(
            sql: """
                INSERT OR IGNORE INTO notification_outbox (dedup_key, kind, body, created_at, attempts, next_attempt_at)
                VALUES (?, ?, ?, ?, 0, ?)
                """)
        var inserted = 0
        for message in messages {
            try statement.execute(arguments: [message.dedupKey, message.kind, message.body, now.rfc3339, now.rfc3339])
            inserted += db.changesCount
        }
        return inserted
    }

    /// The pending messages that may be sent at `now`, oldest first: the outbox is a queue,
    /// so the list stops before the first pending message that is not due yet (a postponed
    /// message holds back the ones behind it, and messages arrive in order).
    /// - Parameters:
    ///   - now: The current time.
    ///   - limit: At most this many.
    /// - Throws: `JournalError` when SQLite fails.
    public func dueNotifications(now: Timestamp, limit: Int) throws -> [OutboxRow] {
        let rows = try outboxRead("read the outbox") { db in
            try Row.fetchAll(
                db, sql: "SELECT \(Self.outboxColumns) FROM notification_outbox WHERE delivered_at IS NULL AND dead_at IS NULL ORDER BY id LIMIT ?",
                arguments: [limit]
            ).map(Self.outboxRow)
        }
        return Array(rows.prefix { $0.nextAttemptAt <= now })
    }

    /// Every row of the outbox, oldest first (for status and tests).
    /// - Throws: `JournalError` when SQLite fails.
    public func outboxRows() throws -> [OutboxRow] {
        try outboxRead("read the outbox") { db in
            try Row.fetchAll(db, sql: "SELECT \(Self.outboxColumns) FROM notification_outbox ORDER BY id").map(Self.outboxRow)
        }
    }

    /// Records a delivery: counts the try and sets `delivered_at`, once (a delivered or dead
    /// row is left alone).
    /// - Parameters:
    ///   - id: The row.
    ///   - at: When Discord accepted it.
    /// - Returns: false when the row was not pending.
    /// - Throws: `JournalError` when SQLite fails.
    @discardableResult
    public func markDelivered(id: Int64, at: Timestamp) throws -> Bool {
        try outboxWrite("mark a notification delivered") { db in
            try db.execute(
                sql: """
                    UPDATE notification_outbox SET delivered_at = ?, attempts = attempts + 1, last_error = NULL
                    WHERE id = ? AND delivered_at IS NULL AND dead_at IS NULL
                    """,
                arguments: [at.rfc3339, id])
            return db.changesCount == 1
        }
    }

    /// Records failed tries of a pending message and when it may be tried again.
    /// - Parameters:
    ///   - id: The row.
    ///   - error: Why (safe to show: never the webhook URL).
    ///   - tries: Failed tries to add [1].
    ///   - nextAttemptAt: Not before this instant.
    /// - Throws: `JournalError` when SQLite fails.
    public func markFailed(id: Int64, error: String, tries: Int = 1, nextAttemptAt: Timestamp) throws {
        try outboxWrite("record a failed notification") { db in
            try db.execute(
                sql: """
                    UPDATE notification_outbox SET attempts = attempts + ?, last_error = ?, next_attempt_at = ?
                    WHERE id = ? AND delivered_at IS NULL AND dead_at IS NULL
                    """,
                arguments: [tries, error, nextAttemptAt.rfc3339, id])
        }
    }

    /// Gives up on a message for good: it is never sent again.
    /// - Parameters:
    ///   - id: The row.
    ///   - reason: Why (kept in `last_error`).
    ///   - tries: Tries to add for the try that killed it [1].
    ///   - at: When.
    /// - Throws: `JournalError` when SQLite fails.
    public func markDead(id: Int64, reason: String, tries: Int = 1, at: Timestamp) throws {
        try outboxWrite("mark a notification dead") { db in
            try db.execute(
                sql: """
                    UPDATE notification_outbox SET dead_at = ?, last_error = ?, attempts = attempts + ?
                    WHERE id = ? AND delivered_at IS NULL AND dead_at IS NULL
                    """,
                arguments: [at.rfc3339, reason, tries, id])
        }
    }

    /// Counts pending, dead and delivered messages.
    /// - Throws: `JournalError` when SQLite fails.
    /// When the oldest pending message may be tried next (nil when none is pending).
    public func nextOutboxAttempt() throws -> Timestamp? {
        try read { db in
            try String.fetchOne(
                db, sql: "SELECT min(next_attempt_at) FROM notification_outbox WHERE delivered_at IS NULL AND dead_at IS NULL"
            ).flatMap { Timestamp(rfc3339: $0) }
        }
    }

    public func outboxDepth() throws -> OutboxDepth {
        try outboxRead("count the outbox") { db in
            let row = try Row.fetchOne(
                db,
                sql: """
                    SELECT
                        count(*) FILTER (WHERE delivered_at IS NULL AND dead_at IS NULL),
                        (SELECT created_at FROM notification_outbox WHERE delivered_at IS NULL AND dead_at IS NULL ORDER BY id LIMIT 1),
                        count(*) FILTER (WHERE dead_at IS NOT NULL),
                        count(*) FILTER (WHERE delivered_at IS NOT NULL)
                    FROM notification_outbox
                    """)
            let oldest: String? = row?[1]
            return OutboxDepth(
                pending: row?[0] ?? 0, oldestPending: oldest.flatMap { Timestamp(rfc3339: $0) }, dead: row?[2] ?? 0, delivered: row?[3] ?? 0)
        }
    }

    /// Deletes delivered and dead messages finished before `cutoff`. Pending ones are never
    /// pruned. Their dedup keys go with them: a message enqueued again after that is new.
    /// - Parameter cutoff: Rows finished before this instant go.
    /// - Returns: How many rows were deleted.
    /// - Throws: `JournalError` when SQLite fails.
    @discardableResult
    public func pruneNotifications(finishedBefore cutoff: Timestamp) throws -> Int {
        // Finished times are compared after parsing: RFC 3339 text with and without a fraction
        // does not sort as time.
        try outboxWrite("prune the outbox") { db in
            let finished = try Row.fetchAll(
                db, sql: "SELECT id, coalesce(delivered_at, dead_at) FROM notification_outbox WHERE delivered_at IS NOT NULL OR dead_at IS NOT NULL")
            let old = finished.compactMap { row -> Int64? in
                guard let text: String = row[1], let at = Timestamp(rfc3339: text), at < cutoff else { return nil }
                return row[0]
            }
            let statement = try db.cachedStatement(sql: "DELETE FROM notification_outbox WHERE id = ?")
            for id in old { try statement.execute(arguments: [id]) }
            return old.count
        }
    }

    private static let outboxColumns =
        "id, dedup_key, kind, body, created_at, attempts, last_error, next_attempt_at, delivered_at, dead_at"

    private static func outboxRow(_ row: Row) -> OutboxRow {
        func instant(_ index: Int) -> Timestamp? { (row[index] as String?).flatMap { Timestamp(rfc3339: $0) } }
        return OutboxRow(
            id: row[0], dedupKey: row[1], kind: row[2], body: row[3], createdAt: instant(4) ?? Timestamp(seconds: 0), attempts: row[5],
            lastError: row[6], nextAttemptAt: instant(7) ?? Timestamp(seconds: 0), deliveredAt: instant(8), deadAt: instant(9))
    }

    private func outboxWrite<T>(_ what: String, _ body: (Database) throws -> T) throws -> T {
        do {
            return try write(body)
        } catch let error as DatabaseError {
            throw JournalError("cannot \(what): \(JournalError.describe(error))")
        }
    }

    private func outboxRead<T>(_ what: String, _ body: (Database) throws -> T) throws -> T {
        do {
            return try read(body)
        } catch let error as DatabaseError {
            throw JournalError("cannot \(what): \(JournalError.describe(error))")
        }
    }
}
