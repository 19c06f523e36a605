/// A firing occurrence triage has seen and not yet seen resolve.
public struct OpenOccurrence: Sendable, Equatable, Codable {
    /// `fingerprint@startsAt` (see `OccurrenceKey.description`).
    public var occurrence: String
    /// `alertname/instance` (see `AlertKey.description`).
    public var alertKey: String
    /// When the occurrence started, per Alertmanager.
    public var startsAt: Timestamp
    /// When triage first saw it firing.
    public var firstSeenAt: Timestamp
    /// When triage last saw it firing; idle entries are pruned.
    public var lastSeenAt: Timestamp
}
