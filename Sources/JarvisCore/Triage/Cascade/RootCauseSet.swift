/// The active root causes, persisted between runs, and the walk that finds which of them
/// suppresses an alert.
///
/// Events: `refresh(alert:…)` for every firing notification (only root-cause signals and
/// inhibit sources are kept), `resolve(alert:)` for a resolved one, `expire(at:)` once per
/// run. A root cause stops suppressing `ttl` seconds after its last firing notification
/// even if it is never resolved, so a lost "resolved" cannot suppress forever.
public struct RootCauseSet: Sendable, Equatable, Codable {
    /// Seconds a root cause lives past its last firing notification [3600]. The pipeline
    /// sets it from `TriageConfiguration.rootCauseTTL`.
    public var ttl: Double
    /// Root causes by id (label fingerprint), including expired ones until `expire(at:)`.
    public private(set) var causes: [String: RootCause]

    /// An empty set.
    /// - Parameter ttl: seconds a root cause lives past its last firing notification.
    public init(ttl: Double = 3600) {
        self.ttl = ttl
        self.causes = [:]
    }

    /// Records a firing notification. Keeps the alert when it is a root-cause signal or an
    /// inhibit source, and refreshes its TTL; ignores anything else.
    /// - Parameters:
    ///   - alert: a firing alert (resolved alerts are ignored: use `resolve(alert:)`).
    ///   - host: the routed host, if any.
    ///   - graph: the dependency graph and rules.
    ///   - now: when the notification is triaged.
    /// - Returns: the stored root cause, or nil when the alert is not one.
    @discardableResult
    public mutating func refresh(alert: Alert, host: String? = nil, graph: CascadeGraph, at now: Timestamp) -> RootCause? {
        guard alert.status == .firing else { return nil }
        let node = graph.downNode(for: alert, host: host)
        guard node != nil || graph.isInhibitSource(alert.labels) else { return nil }
        let id = alert.fingerprint
        var firstSeen = now
        if let existing = causes[id], existing.isActive(at: now, ttl: ttl) { firstSeen = existing.firstSeenAt }
        let cause = RootCause(
            id: id, occurrence: alert.occurrence.description, alertname: alert.alertname, labels: alert.labels, node: node,
            subjects: graph.subjects(of: alert, host: host), firstSeenAt: firstSeen, lastFiringAt: now)
        causes[id] = cause
        return cause
    }

    /// Forgets the root cause of a resolved alert (any occurrence of the same labels).
    /// - Parameter alert: the resolved alert.
    /// - Returns: the root cause removed, if there was one.
    @discardableResult
    public mutating func resolve(alert: Alert) -> RootCause? {
        causes.removeValue(forKey: alert.fingerprint)
    }

    /// Drops every root cause whose TTL has passed at `now`.
    /// - Parameter now: the time to check.
    /// - Returns: the dropped root causes, oldest first.
    @discardableResult
    public mutating func expire(at now: Timestamp) -> [RootCause] {
        let expired = causes.values.filter { !$0.isActive(at: now, ttl: ttl) }.sorted(by: Self.olderFirst)
        for cause in expired { causes.removeValue(forKey: cause.id) }
        return expired
    }

    /// The root causes still suppressing at `now`, oldest first.
    /// - Parameter now: the time to check.
    public func active(at now: Timestamp) -> [RootCause] {
        causes.values.filter { $0.isActive(at: now, ttl: ttl) }.sorted(by: Self.olderFirst)
    }

    /// The ultimate root cause suppressing `alert`, or nil when nothing does (see
    /// `suppressionChain(for:host:graph:at:)`).
    /// - Parameters:
    ///   - alert: the alert being triaged.
    ///   - host: its routed host, if any.
    ///   - graph: the dependency graph and rules.
    ///   - now: the time to check.
    public func suppressor(for alert: Alert, host: String? = nil, graph: CascadeGraph, at now: Timestamp) -> RootCause? {
        suppressionChain(for: alert, host: host, graph: graph, at: now).last
    }

    /// The root causes suppressing `alert`, from the one that suppresses it directly to the
    /// ultimate one, e.g. `[VPSHostDown, WireGuardVPNDown]` for a container on the VPS.
    /// Empty when nothing suppresses it.
    ///
    /// A root cause R suppresses an alert A (A is never R itself) when either
    /// - R takes down a node that one of A's subject nodes is, or depends on, R's signal
    ///   hides alerts like A, and A is not itself a signal for that same node; or
    /// - an inhibit rule has R as source and A as target, with equal labels agreeing.
    /// The nearest graph root cause wins, then inhibit rules in order, then the oldest. The
    /// walk then continues from R, never revisiting an alert, so cycles end.
    /// - Parameters:
    ///   - alert: the alert being triaged.
    ///   - host: its routed host, if any.
    ///   - graph: the dependency graph and rules.
    ///   - now: the time to check.
    public func suppressionChain(for alert: Alert, host: String? = nil, graph: CascadeGraph, at now: Timestamp) -> [RootCause] {
        let candidates = causes.values.filter { $0.isActive(at: now, ttl: ttl) }
        guard !candidates.isEmpty else { return [] }
        var chain: [RootCause] = []
        var visited: Set<String> = [alert.fingerprint]
        var labels = alert.labels
        var subjects = graph.subjects(of: alert, host: host)
        var ownNode = graph.downNode(for: alert, host: host)
        while let next = Self.directSuppressor(
            labels: labels, subjects: subjects, ownNode: ownNode, candidates: candidates, excluding: visited, graph: graph)
        {
            chain.append(next)
            visited.insert(next.id)
            labels = next.labels
            subjects = next.subjects
            ownNode = next.node
        }
        return chain
    }

    private static func directSuppressor(
        labels: [String: String], subjects: [CascadeNode], ownNode: CascadeNode?, candidates: [RootCause], excluding visited: Set<String>,
        graph: CascadeGraph
    ) -> RootCause? {
        let upstream = graph.upstream(of: subjects)
        var best: (rank: Int, detail: Int, cause: RootCause)?
        for cause in candidates where !visited.contains(cause.id) {
            var rank: (Int, Int)?
            if let node = cause.node, node != ownNode, let distance = upstream[node], let signal = graph.signal(for: cause.labels),
                signal.hides(labels)
            {
                rank = (0, distance)
            } else if let index = graph.configuration.inhibitRules.firstIndex(where: { $0.inhibits(target: labels, source: cause.labels) }) {
                rank = (1, index)
            }
            guard let (kind, detail) = rank else { continue }
            // Graph before inhibit rules, nearer before farther, then the oldest, then the id.
            if let current = best,
                (current.rank, current.detail, current.cause.firstSeenAt, current.cause.id) <= (kind, detail, cause.firstSeenAt, cause.id)
            {
                continue
            }
            best = (kind, detail, cause)
        }
        return best?.cause
    }

    private static func olderFirst(_ a: RootCause, _ b: RootCause) -> Bool {
        (a.firstSeenAt, a.id) < (b.firstSeenAt, b.id)
    }
}
