/// Whether a remediation worked, decided without sleeping: each run looks at what arrived
/// since the attempt (docs/behaviour.md, "Verification").
///
/// - verified: the occurrence resolved within the window after the attempt, or the
///   optional Prometheus check passed;
/// - failed: the window is over and the alert did not resolve within it (still firing, or
///   resolved too late to credit the fix);
/// - unverified: the window is over and no signal could be had (resolved notifications are
///   not sent for this alert, and the Prometheus check was unreachable or not configured);
/// - pending: the window is not over yet and no signal settled it;
/// - notApplicable: nothing ran that could be verified (a record's state; `evaluate` never
///   returns it).
///
/// Only `verified` teaches the learning engine; `failed` counts toward the attempt budget.
/// The raw values are the strings stored in `remediation_log.verification`.
public enum VerificationVerdict: String, Sendable, Equatable, Codable, CaseIterable {
    case pending, verified, failed, unverified
    case notApplicable = "not_applicable"
}

/// What a later run knows about an attempt's alert.
public struct VerificationEvidence: Sendable, Equatable {
    /// When the occurrence's resolved notification was received, if it was.
    public var resolvedAt: Timestamp?
    /// Whether Alertmanager sends resolved notifications for this alert (`send_resolved`);
    /// without them a silent alert proves nothing.
    public var resolvedNotificationsExpected: Bool
    /// The Prometheus query check: nil when not configured.
    public var prometheus: PrometheusCheck?

    public enum PrometheusCheck: Sendable, Equatable {
        /// The query says the problem is gone.
        case passed
        /// The query says the problem is still there.
        case stillFiring
        /// Prometheus could not be asked.
        case unreachable
    }

    public init(resolvedAt: Timestamp? = nil, resolvedNotificationsExpected: Bool = true, prometheus: PrometheusCheck? = nil) {
        self.resolvedAt = resolvedAt
        self.resolvedNotificationsExpected = resolvedNotificationsExpected
        self.prometheus = prometheus
    }
}

/// The verification rule with its window [600 s].
public struct VerificationRule: Sendable, Equatable {
    /// Seconds after the attempt within which a resolve verifies it [600].
    public var window: Double

    public init(window: Double = 600) {
        self.window = window
    }

    /// The verdict at `now` for an attempt made at `attemptAt`.
    public func evaluate(attemptAt: Timestamp, evidence: VerificationEvidence, now: Timestamp) -> VerificationVerdict {
        let deadline = attemptAt.adding(seconds: window)
        if let resolved = evidence.resolvedAt, resolved >= attemptAt, resolved <= deadline { return .verified }
        if evidence.prometheus == .passed { return .verified }
        guard now > deadline else { return .pending }
        if evidence.resolvedAt != nil { return .failed }  // resolved, but only after the window
        if evidence.resolvedNotificationsExpected || evidence.prometheus == .stillFiring { return .failed }
        return .unverified
    }
}
