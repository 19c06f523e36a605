/// How bad the news in a notification is; it picks the embed's colour.
public enum NotificationSeverity: String, Sendable, Hashable, CaseIterable {
    /// Needs a person now (critical alerts, hosts offline): red.
    case critical
    /// Needs attention (warnings, failed remediations, flapping): orange.
    case warning
    /// For the record (maintenance, summaries, reports): blue.
    case info
    /// Good news (remediated, recovered): green.
    case success

    /// The embed colour as a 24-bit RGB integer (discord.py's named colours).
    public var color: Int {
        switch self {
        case .critical: 0xE74C3C
        case .warning: 0xE67E22
        case .info: 0x3498DB
        case .success: 0x2ECC71
        }
    }

    /// `.critical` for `severity=critical` labels (case-insensitive), `.warning` otherwise.
    /// - Parameter label: The alert's `severity` label, if any.
    public static func ofAlert(severityLabel label: String?) -> NotificationSeverity {
        label?.lowercased() == "critical" ? .critical : .warning
    }
}
