/// The part of a `TriageOutcome` that is stored with the alert event: the decision's kind,
/// its human-readable reason, and what it points at.
public struct RecordedDecision: Sendable, Equatable, Codable {
    /// `TriageDecision.kind`, e.g. `suppressed:cascade`.
    public var kind: String
    /// One sentence for people.
    public var reason: String
    /// For `suppressed:cascade`: the ultimate root cause's occurrence (`fingerprint@startsAt`).
    public var rootCause: String?
    /// For `suppressed:maintenance`: the window's id.
    public var maintenanceWindowID: Int64?

    public init(kind: String, reason: String, rootCause: String? = nil, maintenanceWindowID: Int64? = nil) {
        self.kind = kind
        self.reason = reason
        self.rootCause = rootCause
        self.maintenanceWindowID = maintenanceWindowID
    }

    /// The stored form of an outcome.
    public init(_ outcome: TriageOutcome) {
        var rootCause: String?
        var windowID: Int64?
        switch outcome.decision {
        case .suppressedCascade(let cause): rootCause = cause
        case .suppressedMaintenance(let id): windowID = id
        default: break
        }
        self.init(kind: outcome.decision.kind, reason: outcome.reason, rootCause: rootCause, maintenanceWindowID: windowID)
    }
}
