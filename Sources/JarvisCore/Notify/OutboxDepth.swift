/// How full the outbox is.
public struct OutboxDepth: Sendable, Equatable {
    /// Messages waiting to be delivered.
    public var pending: Int
    /// When the oldest of them was enqueued.
    public var oldestPending: Timestamp?
    /// Messages given up on (kept until pruned).
    public var dead: Int
    /// Messages delivered (kept until pruned).
    public var delivered: Int

    /// Creates a depth.
    /// - Parameters:
    ///   - pending: Messages waiting.
    ///   - oldestPending: When the oldest waiting one was enqueued.
    ///   - dead: Messages given up on.
    ///   - delivered: Messages delivered.
    public init(pending: Int, oldestPending: Timestamp?, dead: Int, delivered: Int) {
        self.pending = pending
        self.oldestPending = oldestPending
        self.dead = dead
        self.delivered = delivered
    }
}
