/// An active root cause: a firing alert that is a root-cause signal or an inhibit source,
/// remembered so that later alerts can be suppressed behind it.
public struct RootCause: Sendable, Equatable, Codable {
    /// The alert's label fingerprint: stable across its occurrences.
    public var id: String
    /// Its latest firing occurrence, `fingerprint@startsAt`: what suppressed alerts name.
    public var occurrence: String
    /// The alert's name.
    public var alertname: String
    /// The alert's labels, for inhibit rules and reasons.
    public var labels: [String: String]
    /// The node it takes down, when it is a graph signal; nil for an inhibit-only source.
    public var node: CascadeNode?
    /// The nodes the alert itself is about, to find what suppresses it in turn.
    public var subjects: [CascadeNode]
    /// When it was first seen firing (since it was last resolved or expired).
    public var firstSeenAt: Timestamp
    /// Its last firing notification; it expires `ttl` seconds after this.
    public var lastFiringAt: Timestamp

    /// Creates a root cause.
    /// - Parameters:
    ///   - id: the label fingerprint.
    ///   - occurrence: `fingerprint@startsAt` of the latest occurrence.
    ///   - alertname: the alert's name.
    ///   - labels: the alert's labels.
    ///   - node: the node it takes down, if a graph signal.
    ///   - subjects: the nodes the alert is about.
    ///   - firstSeenAt: first firing notification.
    ///   - lastFiringAt: last firing notification.
    public init(
        id: String, occurrence: String, alertname: String, labels: [String: String], node: CascadeNode?, subjects: [CascadeNode],
        firstSeenAt: Timestamp, lastFiringAt: Timestamp
    ) {
        self.id = id
        self.occurrence = occurrence
        self.alertname = alertname
        self.labels = labels
        self.node = node
        self.subjects = subjects
        self.firstSeenAt = firstSeenAt
        self.lastFiringAt = lastFiringAt
    }

    /// When it stops suppressing: `lastFiringAt + ttl`.
    /// - Parameter ttl: seconds a root cause lives past its last firing notification.
    public func expiresAt(ttl: Double) -> Timestamp { lastFiringAt.adding(seconds: ttl) }

    /// True while it suppresses: before `expiresAt(ttl:)`.
    /// - Parameters:
    ///   - now: the time to check.
    ///   - ttl: seconds a root cause lives past its last firing notification.
    public func isActive(at now: Timestamp, ttl: Double) -> Bool { now < expiresAt(ttl: ttl) }

    /// `WireGuardVPNDown (3f2a…@2026-11-29T03:02:11Z)`.
    public var summary: String { "\(alertname) (\(occurrence))" }
}
