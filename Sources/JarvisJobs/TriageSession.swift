import Foundation
import JarvisCore
import JarvisSQLite

/// One ingest run's triage: the pipeline of the core with its persisted state, the
/// maintenance windows and host availability it reads, and the side effects it gathers.
///
/// Crash safety without saving the state per alert: decisions are stored in the alert
/// events' own rows (group commits), and the state is saved once, at `finish`, together
/// with a cursor (the last `alert_events.id` folded into it). A run that died between a
/// group commit and `finish` left rows past the cursor; the next run triages them again
/// (their times are their `received_at`, so the rules give the same answers) to rebuild
/// the state and carry out their side effects, without writing their decisions twice.
public struct TriageSession {
    /// Name of the persisted document in the `state` table.
    public static let documentName = "triage"
    /// Alerts suppressed while their host was OFFLINE, by host, until it recovers.
    public static let hostSuppressionsDocument = "host-suppressions"

    /// Takes (reads and clears) the suppression summary of a host that recovered.
    public static func takeHostSuppressions(_ host: String, journal: JournalDatabase, now: Timestamp) throws -> SuppressionSummary? {
        var taken: SuppressionSummary?
        try journal.updateState(hostSuppressionsDocument, now: now) { current in
            var stored = hostSuppressions(current)
            taken = stored.removeValue(forKey: host)
            return JournalStateChange(json: taken == nil ? nil : try hostSuppressionsJSON(stored))
        }
        return taken
    }

    /// The stored per-host summaries (empty when none or unreadable).
    static func hostSuppressions(_ json: String?) -> [String: SuppressionSummary] {
        json.flatMap { try? JSONDecoder().decode([String: SuppressionSummary].self, from: Data($0.utf8)) } ?? [:]
    }

    static func hostSuppressionsJSON(_ summaries: [String: SuppressionSummary]) throws -> String {
        String(decoding: try JSONEncoder().encode(summaries), as: UTF8.self)
    }

    /// One triaged alert, for the report and the stages after triage.
    public struct Triaged: Sendable {
        public var alert: Alert
        public var outcome: TriageOutcome
        /// The host its remediation would run on.
        public var host: HostRouting
        /// True for alerts of an earlier, interrupted run, triaged again to rebuild state.
        public var replayed: Bool
        /// True for alerts parked by a window that ended, triaged again now.
        public var reevaluated: Bool
        /// When it was decided (the notification's arrival, or the re-evaluation).
        public var decidedAt: Timestamp
        /// `remediation/<event key>#<decided at>`: the key of an attempt made for it, so a
        /// notification is acted on at most once, also when an interrupted run is replayed.
        public var attemptKey: String {
            "remediation/\(alert.occurrence.idempotencyKey(status: alert.status))#\(decidedAt.rfc3339)"
        }
    }

    private var pipeline: TriagePipeline
    private let windows: [MaintenanceWindow]
    private let hosts: [String: HostAvailability]
    private let inventory: HostInventory
    private let runner: String
    private var cursor: Int64?
    /// The alerts the stages after triage act on or report, in order: actionable ones,
    /// escalations, flapping changes, re-evaluated ones; at most `keptLimit` (a backlog of
    /// a million alerts must not hold a million alerts in memory; counts stay exact).
    public private(set) var triaged: [Triaged] = []
    /// At most this many alerts are kept in `triaged`.
    public static let keptLimit = 1000
    /// Counts and side effects, accumulated as alerts are triaged.
    private var summary = Summary()
    /// A problem with the stored state that was recovered from (reported as a warning).
    public private(set) var warning: String?

    /// The persisted document: the core's state and the cursor.
    struct Document: Codable {
        var cursor: Int64?
        var state: TriageState
    }

    /// Loads the state, windows and host states; triages again what an interrupted run
    /// left behind; prunes; takes back the alerts whose window is over.
    public init(configuration: JarvisConfiguration, journal: JournalDatabase, now: Timestamp) throws {
        var document = Document(cursor: nil, state: TriageState())
        if let json = try journal.loadState(Self.documentName) {
            do {
                document = try JSONDecoder().decode(Document.self, from: Data(json.utf8))
            } catch {
                warning = "the stored triage state could not be read (\(error)); starting from an empty state"
            }
        }
        let inventory = configuration.inventory
        var parents: [String: [String]] = [:]
        for host in inventory.hosts where !host.parents.isEmpty { parents[host.name] = host.parents }
        pipeline = TriagePipeline(
            configuration: configuration.triage, graph: CascadeGraph(configuration: configuration.cascade, hostParents: parents),
            state: document.state)
        windows = try journal.maintenanceWindows()
        var hosts: [String: HostAvailability] = [:]
        let hostDocument = try HostStateStore(journal: journal, journalRows: false, runner: configuration.runner).load()
        for (name, status) in hostDocument.hosts where status.state == .offline {
            hosts[name] = .offline(since: status.since)
        }
        self.hosts = hosts
        self.inventory = inventory
        self.runner = configuration.runner
        cursor = document.cursor

        // Rows an interrupted run committed (with their decisions) but never folded into the
        // state; with no state saved yet, every row that carries a decision.
        for event in try journal.alertEvents(after: cursor ?? 0) {
            var copy = event
            decide(&copy, replayed: true)
        }
        pruned = pipeline.prune(now: now)
        for alert in pipeline.reevaluateParked(windows: windows, now: now) {
            let host = inventory.route(labels: alert.labels)
            let outcome = pipeline.triage(alert, host: host, hosts: hosts, windows: windows, now: now)
            note(Triaged(alert: alert, outcome: outcome, host: host, replayed: false, reevaluated: true, decidedAt: now))
        }
    }

    /// Triages one new notification (at its `receivedAt`) and stores the decision in it.
    @discardableResult
    public mutating func decide(_ event: inout AlertEvent) -> TriageOutcome {
        decide(&event, replayed: false)
    }

    private mutating func decide(_ event: inout AlertEvent, replayed: Bool) -> TriageOutcome {
        let host = inventory.route(labels: event.alert.labels)
        let outcome = pipeline.triage(event.alert, host: host, hosts: hosts, windows: windows, now: event.receivedAt)
        if !replayed { event.decision = RecordedDecision(outcome) }
        note(Triaged(alert: event.alert, outcome: outcome, host: host, replayed: replayed, reevaluated: false, decidedAt: event.receivedAt))
        return outcome
    }

    private mutating func note(_ item: Triaged) {
        if item.replayed {
            summary.replayed += 1
        } else {
            summary.byDecision[item.outcome.decision.kind, default: 0] += 1
        }
        if item.reevaluated {
            summary.reevaluated += 1
            redecisions.append(
                JournalDatabase.Redecision(
                    eventKey: item.alert.occurrence.idempotencyKey(status: item.alert.status), alertKey: item.alert.alertKey.description,
                    decision: RecordedDecision(item.outcome)))
        }
        if let hit = item.outcome.maintenanceWindowHit { summary.windowHits[hit, default: 0] += 1 }
        if let escalation = item.outcome.escalation { summary.escalations.append(escalation) }
        if let report = item.outcome.flapReport { summary.flapReports.append(report) }
        if case .suppressedHostOffline(let host, _) = item.outcome.decision, !item.replayed {
            summary.hostSuppressions[host, default: SuppressionSummary()].add(
                item.outcome, severity: item.alert.labels["severity"], at: item.decidedAt)
        }
        if !item.replayed { summary.suppressions.add(item.outcome, severity: item.alert.labels["severity"], at: item.decidedAt) }
        let interesting =
            item.outcome.decision == .actionable || item.outcome.escalation != nil || item.outcome.flapReport != nil || item.reevaluated
        if interesting && triaged.count < Self.keptLimit { triaged.append(item) }
    }

    private var redecisions: [JournalDatabase.Redecision] = []
    /// State entries the prune at the start of the run dropped.
    private var pruned = 0
    /// Attempts recorded by remediation in this run.
    private var attempts = 0

    /// Records an attempt against an alert key's budget (remediation calls this).
    public mutating func recordAttempt(alertKey: AlertKey, at now: Timestamp) {
        attempts += 1
        pipeline.recordAttempt(alertKey: alertKey, at: now)
    }

    /// What the run's triage amounted to, once `finish` has run.
    public struct Summary: Sendable {
        /// Decisions by kind (`actionable`, `suppressed:cascade`…), this run's alerts only.
        public var byDecision: [String: Int] = [:]
        /// Windows whose planned end passed since the last run (ended now, reported once).
        public var expiredWindows: [MaintenanceWindow] = []
        /// Alerts suppressed per window in this run.
        public var windowHits: [Int64: Int] = [:]
        /// Alerts parked by a window that is over, triaged again.
        public var reevaluated = 0
        /// Alerts of an interrupted run triaged again to rebuild the state.
        public var replayed = 0
        public var escalations: [Escalation] = []
        public var flapReports: [FlapReport] = []
        /// Alerts suppressed (maintenance, host offline, cascade) in this run: one message.
        public var suppressions = SuppressionSummary()
        /// Alerts suppressed because their host was OFFLINE, by host (added to the stored
        /// summaries that probe-hosts sends when the host recovers).
        public var hostSuppressions: [String: SuppressionSummary] = [:]
    }

    /// Saves the state with the cursor, applies window counters and expiries, and records
    /// the decisions about re-evaluated alerts, all in one transaction.
    public mutating func finish(journal: JournalDatabase, journaled: Bool, now: Timestamp) throws -> Summary {
        var summary = self.summary
        // A run that triaged nothing and changed nothing (the usual timer run on an empty
        // spool) writes nothing: the state and windows on disk are already right.
        let windowDue = windows.contains { $0.endedAt == nil && ($0.endsAt.map { $0 <= now } ?? false) }
        let noteworthy = summary.replayed + summary.reevaluated + summary.byDecision.values.reduce(0, +) + pruned + attempts
        if noteworthy == 0 && !windowDue && cursor != nil { return summary }
        let state = pipeline.state
        var newCursor: Int64 = 0
        let additions = summary.hostSuppressions
        var documents: [String: (String?) throws -> String] = [:]
        if !additions.isEmpty {
            documents[Self.hostSuppressionsDocument] = { current in
                var stored = Self.hostSuppressions(current)
                for (host, added) in additions { stored[host, default: SuppressionSummary()].merge(added) }
                return try Self.hostSuppressionsJSON(stored)
            }
        }
        summary.expiredWindows = try journal.commitTriage(
            windowHits: summary.windowHits, redecisions: redecisions, runner: runner, now: now, journal: journaled, updating: documents
        ) { cursor in
            newCursor = cursor
            return String(decoding: try JSONEncoder().encode(Document(cursor: cursor, state: state)), as: UTF8.self)
        }
        cursor = newCursor
        return summary
    }
}
