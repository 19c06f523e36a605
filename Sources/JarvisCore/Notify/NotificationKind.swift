/// What a notification is about: one embed layout per kind. The raw value is stored in the
/// outbox's `kind` column.
public enum NotificationKind: String, Sendable, Hashable, CaseIterable {
    /// A remediation ran and was verified.
    case remediated
    /// A remediation ran and did not fix the alert.
    case failed
    /// An alert spent its attempt budget and needs a person.
    case escalation
    /// The command policy refused a proposed action.
    case commandRejected = "command-rejected"
    /// A host went OFFLINE.
    case hostOffline = "host-offline"
    /// A host is ONLINE again, with what was suppressed meanwhile.
    case hostRecovered = "host-recovered"
    /// A host offered an SSH key its known_hosts file does not vouch for.
    case hostKeyRefused = "host-key-refused"
    /// A maintenance window started.
    case maintenanceStarted = "maintenance-started"
    /// A maintenance window ended.
    case maintenanceEnded = "maintenance-ended"
    /// One run's suppressed alerts, as one message.
    case suppressionSummary = "suppression-summary"
    /// An alert key started (held) or stopped (released) flapping.
    case flapping
    /// The weekly report.
    case weeklyReport = "weekly-report"
}
