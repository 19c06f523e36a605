/// What triage needs to know about one host's availability, as a plain snapshot taken from
/// the host state machine before the run.
public struct HostAvailability: Sendable, Equatable, Codable {
    /// True when the host is OFFLINE (not when it is ONLINE or CHECKING).
    public var isOffline: Bool
    /// When it went OFFLINE, if known.
    public var offlineSince: Timestamp?

    /// A host that is reachable (ONLINE or CHECKING).
    public static let online = HostAvailability(isOffline: false)

    /// A host that has been OFFLINE since `since`.
    /// - Parameter since: when it went OFFLINE.
    public static func offline(since: Timestamp?) -> HostAvailability {
        HostAvailability(isOffline: true, offlineSince: since)
    }
}
