/// Port: the notification outbox, where Discord messages wait until they are delivered or
/// given up on. Live: the `notification_outbox` table of the local SQLite database.
public protocol NotificationOutbox: Sendable {
    /// Adds `messages`, once per dedup key (a key seen before, even delivered, is ignored).
    ///
    /// - Returns: How many were new.
    func enqueueNotifications(_ messages: [OutboxMessage], now: Timestamp) throws -> Int
    /// Pending messages whose next attempt is due at `now`, oldest first, at most `limit`.
    func dueNotifications(now: Timestamp, limit: Int) throws -> [OutboxRow]
    /// Every message, oldest first (for status and tests).
    func outboxRows() throws -> [OutboxRow]
    /// Marks message `id` delivered; false when it was not pending any more.
    @discardableResult func markDelivered(id: Int64, at: Timestamp) throws -> Bool
    /// Records `tries` failed tries of message `id` and when to try it next.
    func markFailed(id: Int64, error: String, tries: Int, nextAttemptAt: Timestamp) throws
    /// Gives message `id` up for good, with the reason.
    func markDead(id: Int64, reason: String, tries: Int, at: Timestamp) throws
    /// How full the outbox is.
    func outboxDepth() throws -> OutboxDepth
    /// Deletes delivered and dead messages finished before `cutoff`; returns how many.
    func pruneNotifications(finishedBefore cutoff: Timestamp) throws -> Int
}

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

    /// Creates a row (the outbox adapters read them).
    public init(
        id: Int64, dedupKey: String, kind: String, body: String, createdAt: Timestamp, attempts: Int, lastError: String?,
        nextAttemptAt: Timestamp, deliveredAt: Timestamp?, deadAt: Timestamp?
    ) {
        self.id = id
        self.dedupKey = dedupKey
        self.kind = kind
        self.body = body
        self.createdAt = createdAt
        self.attempts = attempts
        self.lastError = lastError
        self.nextAttemptAt = nextAttemptAt
        self.deliveredAt = deliveredAt
        self.deadAt = deadAt
    }

    /// True while neither delivered nor dead.
    public var isPending: Bool { deliveredAt == nil && deadAt == nil }
}
