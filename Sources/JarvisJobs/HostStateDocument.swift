import JarvisCore

/// The persisted availability of every host: the `hosts` document of the SQLite `state` table.
///
/// ```json
/// {"version": 1,
///  "hosts": {"vps": {"host": "vps", "state": "OFFLINE", "since": "…", "consecutive_failures": 3, …}},
///  "history": [{"host": "vps", "from_state": "ONLINE", "to_state": "OFFLINE", "at": "…", …}]}
/// ```
///
/// `history` keeps the last `historyLimit` transitions, oldest first, whatever the mode: in
/// embedded mode it is the only record of them (PostgreSQL's `host_status_log` gets them only
/// when PostgreSQL is configured).
public struct HostStateDocument: Sendable, Codable, Equatable {
    /// Format version of the document.
    public var version: Int
    /// Status per host name. A host missing here has never been checked: ONLINE, no history.
    public var hosts: [String: HostStatus]
    /// The last transitions, oldest first, at most `historyLimit`.
    public var history: [HostTransition]

    /// Transitions kept in `history`.
    public static let historyLimit = 1000
    /// The current format version.
    public static let currentVersion = 1

    /// Creates a document.
    ///
    /// - Parameters:
    ///   - hosts: Status per host.
    ///   - history: Transitions, oldest first.
    public init(hosts: [String: HostStatus] = [:], history: [HostTransition] = []) {
        self.version = HostStateDocument.currentVersion
        self.hosts = hosts
        self.history = history
    }

    /// The status of `host`, or a fresh one (ONLINE, never checked) when it has none.
    ///
    /// - Parameter host: A host name.
    public func status(of host: String) -> HostStatus {
        hosts[host] ?? HostStatus(host: host)
    }

    /// Appends transitions to `history`, dropping the oldest past `historyLimit`.
    ///
    /// - Parameter transitions: New transitions, in order.
    public mutating func appendHistory(_ transitions: [HostTransition]) {
        history += transitions
        if history.count > HostStateDocument.historyLimit {
            history.removeFirst(history.count - HostStateDocument.historyLimit)
        }
    }
}
