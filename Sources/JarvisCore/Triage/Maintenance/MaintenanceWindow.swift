/// A maintenance window: while it is active, alerts for its host (or for every host, when it
/// is global) are recorded as suppressed instead of being acted on.
///
/// The window is stored by someone else (the store of record); triage only reads it and
/// reports hits, which the caller adds to `suppressedCount`.
public struct MaintenanceWindow: Sendable, Equatable, Codable, Identifiable {
    /// The window's id in the store of record.
    public var id: Int64
    /// The host the window covers; nil means a global window that covers every alert.
    public var host: String?
    /// Why the window was opened, as the operator wrote it.
    public var reason: String
    /// Who opened it.
    public var author: String
    /// When it starts covering alerts.
    public var startsAt: Timestamp
    /// The planned end; nil means open-ended until someone ends it. The window expires on
    /// its own at this instant.
    public var endsAt: Timestamp?
    /// When someone ended it by hand (`jarvis maintenance end`), if they did.
    public var endedAt: Timestamp?
    /// How many alerts it has suppressed so far.
    public var suppressedCount: Int64

    /// Creates a window.
    /// - Parameters:
    ///   - id: its id in the store of record.
    ///   - host: the host covered, or nil for a global window.
    ///   - reason: why it was opened.
    ///   - author: who opened it.
    ///   - startsAt: when it starts.
    ///   - endsAt: the planned end, or nil for none.
    ///   - endedAt: when it was ended by hand, or nil.
    ///   - suppressedCount: alerts suppressed so far.
    public init(
        id: Int64, host: String?, reason: String, author: String, startsAt: Timestamp, endsAt: Timestamp? = nil,
        endedAt: Timestamp? = nil, suppressedCount: Int64 = 0
    ) {
        self.id = id
        self.host = host
        self.reason = reason
        self.author = author
        self.startsAt = startsAt
        self.endsAt = endsAt
        self.endedAt = endedAt
        self.suppressedCount = suppressedCount
    }

    /// True when the window covers every host.
    public var isGlobal: Bool { host == nil }

    /// The instant the window stops covering alerts: the earlier of its planned end and the
    /// time it was ended by hand; nil while neither exists.
    public var effectiveEnd: Timestamp? {
        switch (endsAt, endedAt) {
        case (let planned?, let manual?): return min(planned, manual)
        case (let planned?, nil): return planned
        case (nil, let manual?): return manual
        case (nil, nil): return nil
        }
    }

    /// True when the window covers alerts at `instant`: at or after its start, and before its
    /// effective end (the end itself is outside the window).
    /// - Parameter instant: the time to check.
    public func isActive(at instant: Timestamp) -> Bool {
        guard instant >= startsAt else { return false }
        if let end = effectiveEnd, instant >= end { return false }
        return true
    }

    /// True when the window is active at `instant` and is global or scoped to `host`.
    /// - Parameters:
    ///   - host: the host an alert was routed to, or nil when it has none (only global
    ///     windows cover such an alert).
    ///   - instant: the time to check.
    public func covers(host: String?, at instant: Timestamp) -> Bool {
        guard isActive(at: instant) else { return false }
        guard let scope = self.host else { return true }
        return scope == host
    }

    /// True when the window has ended (planned end passed, or ended by hand) at `instant`.
    /// - Parameter instant: the time to check.
    public func hasEnded(by instant: Timestamp) -> Bool {
        guard let end = effectiveEnd else { return false }
        return instant >= end
    }

    /// How long the window has covered alerts up to `instant` (or up to its end, if earlier),
    /// in seconds; 0 before it starts. For the "maintenance ended" message.
    /// - Parameter instant: usually now.
    public func duration(upTo instant: Timestamp) -> Double {
        let end = effectiveEnd.map { min($0, instant) } ?? instant
        return max(0, end.seconds(since: startsAt))
    }

    /// Adds one suppressed alert to `suppressedCount`, as the caller does for every
    /// `TriageOutcome.maintenanceWindowHit` naming this window.
    public mutating func recordSuppression() {
        suppressedCount += 1
    }
}
