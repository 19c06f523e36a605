/// The alerts suppressed because a host was OFFLINE, gathered run after run until the host
/// recovers; then they become one consolidated message (features.md, "Host offline").
public struct HostSuppressionSummary: Sendable, Equatable, Codable {
    /// Alerts suppressed.
    public var count: Int
    public var critical: Int
    public var warning: Int
    /// Distinct alert names, in the order first seen (at most `nameLimit`).
    public var alertnames: [String]
    /// When the first one was suppressed.
    public var since: Timestamp?

    /// At most this many names are kept.
    public static let nameLimit = 20

    public init(count: Int = 0, critical: Int = 0, warning: Int = 0, alertnames: [String] = [], since: Timestamp? = nil) {
        self.count = count
        self.critical = critical
        self.warning = warning
        self.alertnames = alertnames
        self.since = since
    }

    /// Adds one suppressed alert.
    public mutating func add(alertname: String, severity: String?, at time: Timestamp) {
        count += 1
        switch severity?.lowercased() {
        case "critical", "page", "error": critical += 1
        case "warning", "warn": warning += 1
        default: break
        }
        if !alertnames.contains(alertname) && alertnames.count < Self.nameLimit { alertnames.append(alertname) }
        if since == nil || time < since! { since = time }
    }

    /// `12 alerts suppressed (3 critical, 9 warning): ContainerDown, DiskSpaceHigh`
    public var text: String {
        var parts: [String] = []
        if critical > 0 { parts.append("\(critical) critical") }
        if warning > 0 { parts.append("\(warning) warning") }
        let detail = parts.isEmpty ? "" : " (" + parts.joined(separator: ", ") + ")"
        return "\(count) alert\(count == 1 ? "" : "s") suppressed\(detail)" + (alertnames.isEmpty ? "" : ": " + alertnames.joined(separator: ", "))
    }
}
