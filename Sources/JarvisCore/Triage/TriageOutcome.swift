/// What triage decided for one alert, and the side effects the caller carries out.
///
/// The caller records `decision` and `reason`, then: adds one to the window named by
/// `maintenanceWindowHit`; counts `.suppressedHostOffline` alerts in that host's summary;
/// sends `flapReport` and `escalation` (with `@here` only when `escalation.critical`); and
/// hands `.actionable` alerts to remediation.
public struct TriageOutcome: Sendable, Equatable {
    /// The decision.
    public var decision: TriageDecision
    /// A human-readable reason; may say more than `decision.reason` (e.g. the cascade chain).
    public var reason: String
    /// The alert key (`alertname/instance`).
    public var alertKey: AlertKey
    /// The occurrence.
    public var occurrence: OccurrenceKey
    /// The alert's own status.
    public var status: AlertStatus
    /// The window to add one suppressed alert to, when `decision` is `.suppressedMaintenance`.
    public var maintenanceWindowHit: Int64?
    /// True when the alert was parked for re-evaluation after its maintenance window.
    public var parked: Bool
    /// For `.suppressedCascade`: the root causes from the direct one to the ultimate one.
    public var rootCauseChain: [RootCause]
    /// When the alert key started or stopped flapping with this notification: report it.
    /// It can come with any decision (the flapping state is tracked on every notification).
    public var flapReport: FlapReport?
    /// For `.escalated`: the message to send.
    public var escalation: Escalation?
    /// For `.resolved`: the open occurrence that was closed, if triage had seen it firing.
    public var closedOccurrence: OpenOccurrence?

    /// Creates an outcome.
    /// - Parameters:
    ///   - decision: the decision.
    ///   - reason: the human-readable reason; defaults to `decision.reason`.
    ///   - alertKey: the alert key.
    ///   - occurrence: the occurrence.
    ///   - status: the alert's status.
    ///   - maintenanceWindowHit: the window to count the suppression in.
    ///   - parked: whether the alert was parked.
    ///   - rootCauseChain: the cascade, direct first.
    ///   - flapReport: a flapping change to report.
    ///   - escalation: an escalation to send.
    ///   - closedOccurrence: the occurrence a resolve closed.
    public init(
        decision: TriageDecision, reason: String? = nil, alertKey: AlertKey, occurrence: OccurrenceKey, status: AlertStatus,
        maintenanceWindowHit: Int64? = nil, parked: Bool = false, rootCauseChain: [RootCause] = [], flapReport: FlapReport? = nil,
        escalation: Escalation? = nil, closedOccurrence: OpenOccurrence? = nil
    ) {
        self.decision = decision
        self.reason = reason ?? decision.reason
        self.alertKey = alertKey
        self.occurrence = occurrence
        self.status = status
        self.maintenanceWindowHit = maintenanceWindowHit
        self.parked = parked
        self.rootCauseChain = rootCauseChain
        self.flapReport = flapReport
        self.escalation = escalation
        self.closedOccurrence = closedOccurrence
    }

    /// The decision's stable kind string.
    public var kind: String { decision.kind }

    /// The occurrence's idempotency key in this status (`fingerprint@startsAt/status`),
    /// the key of the decision row.
    public var idempotencyKey: String { occurrence.idempotencyKey(status: status) }
}
