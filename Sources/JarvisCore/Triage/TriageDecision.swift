/// The one decision triage records for each occurrence it sees.
///
/// Exhaustive on purpose: "in maintenance" or "host offline" are results, not errors. Each
/// case has a stable `kind` (for the journal, metrics and tests) and a human-readable
/// `reason`.
public enum TriageDecision: Sendable, Hashable, Codable {
    /// The same occurrence and status was processed within the dedup cooldown.
    case deduplicated
    /// The alert resolved; `duration` is how long the occurrence lasted, in seconds.
    case resolved(duration: Double)
    /// A maintenance window covers the alert's host (or all hosts).
    case suppressedMaintenance(windowID: Int64)
    /// The alert's host, or a parent of it, is OFFLINE; `since` is when it went offline.
    case suppressedHostOffline(host: String, since: Timestamp?)
    /// An active root cause hides the alert; `rootCause` is that alert's occurrence
    /// (`fingerprint@startsAt`), the ultimate root cause of the cascade.
    case suppressedCascade(rootCause: String)
    /// The alert key is flapping: held, no remediation.
    case heldFlapping
    /// The attempt budget is spent: escalate now (`critical` means `@here`).
    case escalated(critical: Bool)
    /// The budget is spent and an escalation was already sent within the cooldown: silent.
    case budgetExhausted
    /// No host to act on; `reason` says why.
    case unroutable(reason: String)
    /// Nothing stands in the way: the remediation stage acts on it.
    case actionable

    /// The stable kind of a decision. The raw values are the strings stored in
    /// `alert_events.decision` and `triage_decisions.decision`.
    public enum Kind: String, Sendable, Hashable, CaseIterable {
        case deduplicated, resolved
        case suppressedMaintenance = "suppressed:maintenance"
        case suppressedHostOffline = "suppressed:host-offline"
        case suppressedCascade = "suppressed:cascade"
        case heldFlapping = "held:flapping"
        case escalated
        case budgetExhausted = "budget:exhausted"
        case unroutable, actionable
    }

    /// The decision's kind.
    public var decisionKind: Kind {
        switch self {
        case .deduplicated: return .deduplicated
        case .resolved: return .resolved
        case .suppressedMaintenance: return .suppressedMaintenance
        case .suppressedHostOffline: return .suppressedHostOffline
        case .suppressedCascade: return .suppressedCascade
        case .heldFlapping: return .heldFlapping
        case .escalated: return .escalated
        case .budgetExhausted: return .budgetExhausted
        case .unroutable: return .unroutable
        case .actionable: return .actionable
        }
    }

    /// The stable kind string: `deduplicated`, `resolved`, `suppressed:maintenance`,
    /// `suppressed:host-offline`, `suppressed:cascade`, `held:flapping`, `escalated`,
    /// `budget:exhausted`, `unroutable` or `actionable`.
    public var kind: String { decisionKind.rawValue }

    /// Every kind string, in pipeline order.
    public static let allKinds = Kind.allCases.map(\.rawValue)

    /// One sentence for people, e.g. `skipped: host vps offline since 2026-11-29T03:02:41Z`.
    public var reason: String {
        switch self {
        case .deduplicated:
            return "duplicate: this occurrence and status was already processed within the dedup cooldown"
        case .resolved(let duration):
            return "resolved after \(DurationParser.format(seconds: duration))"
        case .suppressedMaintenance(let id):
            return "suppressed: maintenance window #\(id) is active"
        case .suppressedHostOffline(let host, let since):
            return "skipped: host \(host) offline" + (since.map { " since \($0.rfc3339)" } ?? "")
        case .suppressedCascade(let rootCause):
            return "suppressed: root cause \(rootCause) is active"
        case .heldFlapping:
            return "held: the alert key is flapping; no remediation until it settles"
        case .escalated(let critical):
            return "escalated: the attempt budget is spent" + (critical ? " (critical: @here)" : "")
        case .budgetExhausted:
            return "silent: the attempt budget is spent and an escalation was already sent within the cooldown"
        case .unroutable(let reason):
            return KeyText.concatenate("unroutable: ", reason, "")
        case .actionable:
            return "actionable: no rule holds it back"
        }
    }

    /// True for the decisions that hand the alert to the remediation stage: `actionable` only.
    public var isActionable: Bool { self == .actionable }
}
