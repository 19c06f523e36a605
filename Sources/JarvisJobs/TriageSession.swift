import Foundation
import JarvisCore

/// One ingest run's triage: the pipeline of the core with its persisted state, the
/// maintenance windows and host availability it reads, and the side effects it gathers.
///
/// Crash safety without saving the state per alert: decisions are stored in the alert
/// events' own rows (group commits), and the state is committed once, at `finish`, together
/// with a cursor (the last `alert_events.id` folded into it). A run that died between a
/// group commit and `finish` left rows past the cursor; the next run triages them again
/// (their times are their `received_at`, so the rules give the same answers) to rebuild
/// the state and carry out their side effects, without writing their decisions twice.
///
/// Bounded memory: the state's large parts (processed keys, open occurrences, flap
/// histories; see `TriageStateRow`) live in `triage_rows`. Before a file's alerts are
/// triaged, the rows they need are read (`decide(_:)` on the file's events); at each group
/// commit the rows in memory are written with that commit (`takeRows()`), under this run's
/// generation, and leave memory. `finish` saves the document with the generation, which
/// commits them; a run killed before that has its rows put back by the next run.
public struct TriageSession {
    /// Name of the persisted document in the `state` table.
    public static let documentName = "triage"
    /// Alerts suppressed while their host was OFFLINE, by host, until it recovers.
    public static let hostSuppressionsDocument = "host-suppressions"

    /// Takes (reads and clears) the suppression summary of a host that recovered.
    public static func takeHostSuppressions(_ host: String, journal: any JournalStateDocuments, now: Timestamp) throws -> SuppressionSummary? {
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

    /// The persisted document: the core's state (its small parts; the large ones are in
    /// `triage_rows`), the cursor, the committed generation of the rows and when expired
    /// rows were last dropped.
    struct Document: Codable {
        var cursor: Int64?
        var generation: Int64?
        var prunedAt: Timestamp?
        var state: TriageState
    }

    /// Expired rows are dropped at most this often (they are ignored when read anyway).
    static let pruneInterval = 3600.0

    private let journal: any TriageJournal
    /// This run's generation: the committed one plus one.
    public let generation: Int64
    private var prunedAt: Timestamp?
    /// What the store holds for a row key that was looked up.
    private enum RowPresence {
        /// No row at all: a new one is inserted without a lookup (`TriageStateRow.isNew`).
        case absent
        /// A row with a value, now in memory: deleted if memory no longer has it.
        case stored
        /// A row without a value (deleted, kept until the next prune): written over.
        case deleted
    }

    /// Every row key looked up since the last `takeRows()`.
    private var lookedUp: [String: RowPresence] = [:]
    /// The rows `takeRows()` returned last, by key (a nil value: deleted).
    private var lastTaken: [String: [UInt8]?] = [:]
    /// The run's time once the replay is over: rows read from then on are pruned as they are
    /// read, as the whole state used to be pruned at the start of a run.
    private var pruneAt: Timestamp?

    /// Loads the state, windows and host states; triages again what an interrupted run
    /// left behind; prunes; takes back the alerts whose window is over.
    public init(configuration: JarvisConfiguration, journal: any TriageJournal, now: Timestamp) throws {
        var document = Document(cursor: nil, state: TriageState())
        if let json = try journal.loadState(Self.documentName) {
            do {
                document = try JSONDecoder().decode(Document.self, from: Data(json.utf8))
            } catch {
                warning =
                    "the stored triage state could not be read (\((error as? DecodingError)?.summary ?? "\(error)")); starting from an empty state"
                try journal.removeAllTriageRows()
            }
        }
        self.journal = journal
        let committed = document.generation ?? 0
        generation = committed + 1
        prunedAt = document.prunedAt
        let inventory = configuration.inventory
        var parents: [String: [String]] = [:]
        for host in inventory.hosts where !host.parents.isEmpty { parents[host.name] = host.parents }
        pipeline = TriagePipeline(
            configuration: configuration.triage, graph: CascadeGraph(configuration: configuration.cascade, hostParents: parents),
            state: document.state)
        windows = try journal.maintenanceWindows(includeEnded: true, now: nil)
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
        // state; with no state saved yet, every row that carries a decision. Its triage rows
        // are put back first, so its alerts meet the state they met then.
        var after = cursor ?? 0
        var rolledBack = false
        while true {
            let page = try journal.alertEvents(after: after, limit: 2000)
            guard let last = page.last else { break }
            if !rolledBack {
                try journal.rollBackTriageRows(after: committed)
                rolledBack = true
            }
            try pageIn(page.map(\.event.alert))
            for (_, event) in page {
                var copy = event
                decide(&copy, replayed: true)
            }
            try journal.writeTriageRows(takeRows(), generation: generation)
            after = last.id
        }
        pruneAt = now
        pruned = pipeline.prune(now: now)
        let again = pipeline.reevaluateParked(windows: windows, now: now)
        try pageIn(again)
        for alert in again {
            let host = inventory.route(labels: alert.labels)
            let outcome = pipeline.triage(alert, host: host, hosts: hosts, windows: windows, now: now)
            note(Triaged(alert: alert, outcome: outcome, host: host, replayed: false, reevaluated: true, decidedAt: now))
        }
    }

    /// Triages one new notification (at its `receivedAt`) and stores the decision in it.
    @discardableResult
    public mutating func decide(_ event: inout AlertEvent) throws -> TriageOutcome {
        try pageIn(CollectionOfOne(event.alert))
        return decide(&event, replayed: false)
    }

    /// Triages a file's notifications in order, reading the rows they need in one query,
    /// and stores each decision in its event.
    public mutating func decide(_ events: inout [AlertEvent]) throws {
        try pageIn(events.lazy.map(\.alert))
        for index in events.indices { decide(&events[index], replayed: false) }
    }

    /// Reads the stored rows `alerts` need that are not in memory yet: from the rows last
    /// taken (their commit may still be under way), else from the journal.
    private mutating func pageIn(_ alerts: some Sequence<Alert>) throws {
        var wanted: [String] = []
        var rows: [(key: String, value: [UInt8])] = []
        func found(_ key: String, _ value: [UInt8]?) {
            if let value {
                lookedUp[key] = .stored
                rows.append((key, value))
            } else {
                lookedUp[key] = .deleted
            }
        }
        func want(_ key: String) {
            guard lookedUp[key] == nil else { return }
            if let taken = lastTaken[key] {
                found(key, taken)
            } else {
                // Absent unless the journal has it (the commit under way has not).
                lookedUp[key] = .absent
                wanted.append(key)
            }
        }
        for alert in alerts {
            let keys = TriageStateRow.keys(for: alert)
            want(keys.occurrence)
            want(keys.flap)
        }
        if !wanted.isEmpty {
            for row in try journal.triageRows(wanted) { found(row.key, row.value) }
        }
        guard !rows.isEmpty else { return }
        let unreadable = pipeline.insert(rows: rows, prunedAt: pruneAt)
        if !unreadable.isEmpty, warning == nil {
            warning = "\(unreadable.count) stored triage row(s) could not be read (first: \(unreadable[0])); they start afresh"
        }
    }

    /// Takes the rows in memory out, to be written with the group commit under way (pass
    /// them and `generation` to the journal's `recordFiles`); rows read and now gone come
    /// back without a value (deleted). Until the next call, these rows are read from memory,
    /// so the next group can be triaged before this one's commit is done; the caller makes
    /// sure that the commit before is done.
    public mutating func takeRows() -> [TriageStateRow] {
        var rows = pipeline.takeRows()
        for index in rows.indices where lookedUp.removeValue(forKey: rows[index].key) == .absent { rows[index].isNew = true }
        for key in lookedUp.compactMap({ $0.value == .stored ? $0.key : nil }).sorted() {
            rows.append(TriageStateRow(key: key, value: nil, expiresAt: 0))
        }
        lookedUp.removeAll(keepingCapacity: true)
        lastTaken.removeAll(keepingCapacity: true)
        for row in rows { lastTaken[row.key] = .some(row.value) }
        return rows
    }

    @discardableResult
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
                Redecision(
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

    var redecisions: [Redecision] = []
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
    public mutating func finish(journal: any TriageJournal, journaled: Bool, now: Timestamp) throws -> Summary {
        var summary = self.summary
        // A run that triaged nothing and changed nothing (the usual timer run on an empty
        // spool) writes nothing: the state and windows on disk are already right.
        let windowDue = windows.contains { $0.endedAt == nil && ($0.endsAt.map { $0 <= now } ?? false) }
        let noteworthy = summary.replayed + summary.reevaluated + summary.byDecision.values.reduce(0, +) + pruned + attempts
        if noteworthy == 0 && !windowDue && cursor != nil { return summary }
        let rows = takeRows()
        let prune = prunedAt.map { now.seconds(since: $0) >= Self.pruneInterval || $0 > now } ?? true
        let state = pipeline.state
        let generation = generation
        let prunedAt = prune ? now : prunedAt
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
            windowHits: summary.windowHits, redecisions: redecisions, runner: runner, now: now, forward: journaled, updating: documents,
            triageRows: .init(rows: rows, generation: generation, prune: prune)
        ) { cursor in
            newCursor = cursor
            let document = Document(cursor: cursor, generation: generation, prunedAt: prunedAt, state: state)
            return String(decoding: try JSONEncoder().encode(document), as: UTF8.self)
        }
        cursor = newCursor
        self.prunedAt = prunedAt
        return summary
    }
}
