/// The rate limits that bound the blast radius of remediation: at most `perHostConcurrency`
/// actions in flight on one host [1], and at most `globalLimit` actions in any rolling
/// `window` [20 per hour] across all hosts.
///
/// Pure: the caller passes what is in flight, the times of past actions (from the store of
/// record) and `now`. Meant for acting commands; read-only diagnostics need not be counted.
/// Actions stamped in the future (clock skew between runners) count as recent.
public struct ActionBudget: Sendable, Equatable, Hashable {
    /// Actions allowed in flight on one host at a time [1].
    public var perHostConcurrency: Int
    /// Actions allowed across all hosts within `window` [20].
    public var globalLimit: Int
    /// The rolling window of `globalLimit`, in seconds [3600].
    public var window: Double

    /// Creates a budget; the defaults are the spec's.
    ///
    /// - Parameters:
    ///   - perHostConcurrency: Actions in flight per host.
    ///   - globalLimit: Actions per rolling window across all hosts.
    ///   - window: The rolling window in seconds.
    public init(perHostConcurrency: Int = 1, globalLimit: Int = 20, window: Double = 3600) {
        self.perHostConcurrency = perHostConcurrency
        self.globalLimit = globalLimit
        self.window = window
    }

    /// Whether one more action may start on `host` now.
    ///
    /// - Parameters:
    ///   - host: The inventory host of the action.
    ///   - inFlight: Actions running now (intent written, outcome not yet known), by host.
    ///   - recentActions: When past actions started, any order; those older than `window` are ignored.
    ///   - now: The current time.
    /// - Returns: `.allowed`, `.hostBusy` or `.rateLimited` with when the next slot frees.
    public func check(host: String, inFlight: [String: Int], recentActions: [Timestamp], now: Timestamp) -> ActionBudgetVerdict {
        let running = inFlight[host] ?? 0
        if running >= perHostConcurrency { return .hostBusy(host: host, inFlight: running, limit: perHostConcurrency) }
        let start = now.adding(seconds: -window)
        let inWindow = recentActions.filter { $0 > start }.sorted()
        if inWindow.count >= globalLimit {
            // Once the oldest (count − limit + 1) actions leave the window, one slot is free.
            let freeing = inWindow[max(0, inWindow.count - globalLimit)]
            return .rateLimited(count: inWindow.count, limit: globalLimit, nextSlotAt: freeing.adding(seconds: window))
        }
        return .allowed
    }

    /// `check(host:inFlight:recentActions:now:)` given the set of hosts with an action in flight.
    ///
    /// - Parameters:
    ///   - host: The inventory host of the action.
    ///   - hostsInFlight: Hosts with an action running now (one each).
    ///   - recentActions: When past actions started.
    ///   - now: The current time.
    public func check(host: String, hostsInFlight: Set<String>, recentActions: [Timestamp], now: Timestamp) -> ActionBudgetVerdict {
        check(host: host, inFlight: Dictionary(uniqueKeysWithValues: hostsInFlight.map { ($0, 1) }), recentActions: recentActions, now: now)
    }
}
