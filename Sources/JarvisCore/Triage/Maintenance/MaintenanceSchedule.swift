/// Questions about a set of maintenance windows at an instant, answered deterministically.
public struct MaintenanceSchedule: Sendable, Equatable {
    /// The windows, in any order.
    public var windows: [MaintenanceWindow]

    /// Creates a schedule over `windows`.
    /// - Parameter windows: every window the store knows, active or not.
    public init(_ windows: [MaintenanceWindow]) {
        self.windows = windows
    }

    /// The windows active at `instant`, by start time then id.
    /// - Parameter instant: the time to check.
    public func active(at instant: Timestamp) -> [MaintenanceWindow] {
        windows.filter { $0.isActive(at: instant) }.sorted(by: Self.earlierFirst)
    }

    /// The window that suppresses an alert for `host` at `instant`, or nil.
    ///
    /// A host-scoped window wins over a global one; among several of the same kind, the one
    /// that started first (then the lowest id) wins, so the answer never depends on order.
    /// - Parameters:
    ///   - host: the host the alert was routed to; nil means only global windows apply.
    ///   - instant: the time to check.
    public func window(covering host: String?, at instant: Timestamp) -> MaintenanceWindow? {
        // One pass, no arrays: the earliest covering host-scoped window, else the earliest
        // covering global one (the first of equals in `windows` order, as a stable sort gives).
        var scoped: MaintenanceWindow?
        var global: MaintenanceWindow?
        for window in windows where window.covers(host: host, at: instant) {
            if window.isGlobal {
                if global.map({ Self.earlierFirst(window, $0) }) ?? true { global = window }
            } else if scoped.map({ Self.earlierFirst(window, $0) }) ?? true {
                scoped = window
            }
        }
        return scoped ?? global
    }

    /// The windows whose effective end falls in `(start, end]`: ended after the last run and
    /// by this one. Their parked alerts are re-evaluated, and "maintenance ended" is sent.
    /// - Parameters:
    ///   - start: exclusive lower bound, usually the previous run's time.
    ///   - end: inclusive upper bound, usually now.
    public func ended(after start: Timestamp, through end: Timestamp) -> [MaintenanceWindow] {
        windows.filter { window in
            guard let closed = window.effectiveEnd else { return false }
            return closed > start && closed <= end
        }.sorted(by: Self.earlierFirst)
    }

    /// The windows whose start falls in `(start, end]`, for the "maintenance started" message.
    /// - Parameters:
    ///   - start: exclusive lower bound, usually the previous run's time.
    ///   - end: inclusive upper bound, usually now.
    public func started(after start: Timestamp, through end: Timestamp) -> [MaintenanceWindow] {
        windows.filter { $0.startsAt > start && $0.startsAt <= end }.sorted(by: Self.earlierFirst)
    }

    /// Adds one suppressed alert to the window with `id`.
    /// - Parameter id: the window named by `TriageOutcome.maintenanceWindowHit`.
    /// - Returns: false when no window has that id.
    @discardableResult
    public mutating func recordSuppression(inWindow id: Int64) -> Bool {
        guard let index = windows.firstIndex(where: { $0.id == id }) else { return false }
        windows[index].recordSuppression()
        return true
    }

    private static func earlierFirst(_ a: MaintenanceWindow, _ b: MaintenanceWindow) -> Bool {
        (a.startsAt, a.id) < (b.startsAt, b.id)
    }
}
