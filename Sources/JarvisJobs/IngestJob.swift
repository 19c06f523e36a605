import Foundation
import JarvisCore

/// `jarvis ingest`: claim spool files, decode and triage them, record every alert occurrence
/// in the journal (group commits: each file all-or-nothing, at most `ingest.groupFiles` files
/// per transaction), delete each file only after its commit, remediate, flush the journal to
/// PostgreSQL and notify.
///
/// Three threads: a read-ahead thread claims, reads and decodes files a few ahead
/// (`SpoolReadAhead`), the caller's thread triages them, and a commit thread records each
/// group while the next is triaged (`BackgroundWork`). With PostgreSQL configured a fourth
/// forwards each committed group to it meanwhile (`IngestFlush`).
///
/// Generic over the journal and the spool (live: `JournalDatabase`, `SpoolDirectory`; in
/// tests: `InMemoryJournal`, `InMemorySpool`), so the per-file calls are not dynamic.
public struct IngestJob<Journal: IngestJournal & PatternCache, Spool: SpoolFolders> {
    public var configuration: JarvisConfiguration
    public var spool: Spool
    /// Opens the journal; called only when there is something to record or flush, so a run on
    /// an empty spool in embedded mode never touches SQLite.
    public var openJournal: () throws -> Journal
    public var now: @Sendable () -> Timestamp
    /// Opens PostgreSQL for the flush; nil in embedded mode.
    public var connectStore: (() throws -> any StoreOfRecord)?
    /// Called after each file with (files done, files seen).
    public var progress: (Int, Int) -> Void = { _, _ in }
    /// Checked between files: true after SIGTERM.
    public var shouldStop: () -> Bool = { false }
    /// Runs remediation commands (in `execute` mode); live: SSH or local.
    public var executor: any RemediationExecutor
    /// The locks that keep one ingest, one flush and one action per host at a time.
    public var locks: any ProcessLocks
    /// Builds the LLM diagnosis agent for an alert; nil: no LLM (tier 3 escalates).
    public var agent: ((Alert) throws -> DiagnosisAgent)?
    /// For the optional Prometheus verification checks; nil: none.
    public var http: (any HTTPTransport)?
    /// Builds the notifier told about host state changes remediation sessions cause.
    public var hostNotifier: ((Journal) -> any HostNotifier)?
    /// Builds the Discord dispatcher over the journal's outbox; nil: no notifications.
    public var dispatcher: ((Journal) -> NotificationDispatcher)?
    /// PostgreSQL as the meeting point of runners (claims, shared windows and host states,
    /// who sends a notification); nil in embedded mode.
    public var coordination: (any RunnerCoordination)?
    /// PostgreSQL as the learner of every runner's outcomes and the source of the pattern
    /// cache; nil in embedded mode (the journal learns).
    public var learning: (any SharedLearning)?
    /// Whether the journal has been created yet: with nothing to ingest and no journal there
    /// is nothing to triage either, and such a run never creates one. Live: its file exists.
    public var journalExists: () -> Bool

    public init(
        configuration: JarvisConfiguration, spool: Spool, journal: @escaping () throws -> Journal, now: @escaping @Sendable () -> Timestamp,
        connectStore: (() throws -> any StoreOfRecord)?, executor: any RemediationExecutor, locks: any ProcessLocks
    ) {
        self.configuration = configuration
        self.spool = spool
        self.openJournal = journal
        self.now = now
        self.connectStore = connectStore
        self.executor = executor
        self.locks = locks
        let journalPath = configuration.journalPath
        self.journalExists = { FileManager.default.fileExists(atPath: journalPath) }
    }

    /// Runs one ingest.
    /// - Throws: `IngestError.busy` when another ingest holds the lock past the timeout;
    ///   `SpoolError`/`JournalError` when local storage fails (the file being processed stays
    ///   in `processing/` and is reclaimed by the next run).
    public func run() throws -> IngestReport {
        let lockPath = configuration.lockPath("ingest")
        guard let lock = try locks.acquire(lockPath, timeout: configuration.ingest.lockTimeout) else {
            throw IngestError.busy(pid: locks.holder(lockPath))
        }
        defer { lock.release() }

        let started = now()
        var report = IngestReport()
        var opened: Journal?
        let journal = {
            if let opened { return opened }
            let database = try openJournal()
            opened = database
            return database
        }
        let leftovers = try spool.leftovers()
        report.reclaimed = leftovers.count
        var queue = leftovers.map { (name: $0, claimed: true) }
        // A name no writer should leave in incoming/ (dot-file, .part, .tmp) would keep the
        // path unit's DirectoryNotEmpty true forever: it goes to rejected/ with its reason.
        for stray in try spool.rejectStrays() { report.rejected.append(.init(file: stray.name, reason: stray.reason)) }
        queue += try spool.pending().map { (name: $0, claimed: false) }
        let journaled = connectStore != nil
        // The timer's usual run: nothing in the spool, and the last run left nothing to do
        // before a known time. SQLite is not even opened.
        if queue.isEmpty && IdleMarker.isIdle(configuration, now: started) {
            report.idle = true
            return report
        }
        IdleMarker.remove(configuration)

        // Triage needs the journal (state, windows, host states). With nothing to ingest and
        // no journal yet there is nothing to triage either: such a run never touches SQLite.
        var session: TriageSession?
        if !queue.isEmpty || journalExists() {
            if let coordination {
                report.sharedWarning = SharedState.refresh(from: coordination, journal: try journal(), configuration: configuration, now: started)
            }
            if let learning, let warning = SharedLearningJob.refreshCache(from: learning, journal: try journal(), now: started) {
                report.sharedWarning = report.sharedWarning ?? warning
            }
            session = try TriageSession(configuration: configuration, journal: try journal(), now: now())
            report.triageWarning = session?.warning
        }

        // Each group is committed on a second thread while the next one is decoded and
        // triaged; a group's files are deleted only after its commit returned.
        let committer = BackgroundWork<CommittedGroup>(label: "jarvis.ingest.commit")
        // The flush to PostgreSQL forwards each committed group on a third thread meanwhile.
        let flusher = try connectStore.flatMap { connect in
            try IngestFlush(
                journal: try journal(), batchSize: configuration.drain.batchSize, connect: connect, shouldStop: shouldStop, locks: locks,
                lockPath: configuration.lockPath("flush"))
        }
        // Never leave a commit or a flush running past the lock (declared after the flusher:
        // the commit is waited for first).
        defer { flusher?.cancel() }
        defer { _ = try? committer.finish() }
        // Files are claimed, read and decoded a few ahead on a third thread.
        let reader = queue.isEmpty ? nil : SpoolReadAhead(queue: queue, spool: spool, runner: configuration.runner, now: now)
        defer { for name in reader?.stop() ?? [] { try? spool.unclaim(name) } }  // on an error
        var group = PendingGroup()
        while let item = try reader?.next() {
            if shouldStop() {
                report.stoppedEarly = true
                if let name = item.claimedName { try? spool.unclaim(name) }
                break
            }
            try take(item, into: &group, report: &report, session: &session)
            if group.files.count >= configuration.ingest.groupFiles || group.alerts >= configuration.ingest.groupAlerts {
                try commit(
                    &group, committer, flusher, journal: journal, journaled: journaled, report: &report, total: queue.count, session: &session)
            }
        }
        // Files claimed ahead and not taken (a stop) go back now, not after the stages below.
        for name in reader?.stop() ?? [] { try? spool.unclaim(name) }
        try commit(&group, committer, flusher, journal: journal, journaled: journaled, report: &report, total: queue.count, session: &session)
        if let last = try committer.finish() { apply(last, to: &report, total: queue.count) }
        if var finished = session {
            var stage = RemediationStage(
                configuration: configuration, journal: try journal(), executor: executor, locks: locks, agent: agent, now: now,
                runStartedAt: started)
            stage.http = http
            stage.coordination = coordination
            stage.learning = learning
            stage.hostNotifier = try hostNotifier?(try journal())
            report.remediation = try stage.run(session: &finished)
            report.triage = try finished.finish(journal: try journal(), journaled: journaled, now: now())
            report.triaged = finished.triaged
        }

        if let flusher {
            report.flush = try flusher.finish()
            // The outcomes this run settled are in PostgreSQL now: teach them there, and copy
            // what they taught into the local cache for the next run to choose from.
            if let learning, report.remediation != nil, report.flush?.failure == nil,
                let taught = try? SharedLearningJob.teach(learning, runner: configuration.runner, now: now(), shouldStop: shouldStop),
                taught.outcomes > 0
            {
                report.remediation?.learning = taught
                _ = SharedLearningJob.refreshCache(from: learning, journal: try journal(), now: now())
            }
        }
        if let dispatcher, session != nil {
            var notifier = dispatcher(try journal())
            notifier.sharedClaims = coordination.map {
                SharedSendClaims(coordination: $0, runner: configuration.runner, escalationCooldown: configuration.triage.attempts.escalationCooldown)
            }
            var notified = report
            if let coordination, let triage = report.triage {
                notified.triage?.suppressions = SharedSuppressions.summary(
                    of: triage, coordination: coordination, runner: configuration.runner, cooldown: configuration.triage.dedupCooldown)
            }
            try notifier.enqueue(IngestNotifications.build(notified, runner: configuration.runner, startedAt: started, now: now()))
            report.delivery = try notifier.deliverDue()
        }
        if session != nil, !report.stoppedEarly { try IdleMarker.write(configuration, journal: try journal(), now: now()) }
        return report
    }

    /// Files decoded and waiting for their group's commit.
    struct PendingGroup {
        var files: [(name: String, events: [AlertEvent], alerts: Int)] = []
        var alerts = 0
    }

    /// Triages one decoded file into the group; bad files go to rejected/ at once.
    private func take(_ item: SpoolReadAhead<Spool>.Item, into group: inout PendingGroup, report: inout IngestReport, session: inout TriageSession?)
        throws
    {
        switch item {
        case .taken:
            return  // another run claimed it first
        case .rejected(let name, let reason):
            report.files += 1
            try spool.reject(name, reason: reason)
            report.rejected.append(.init(file: name, reason: reason))
            progress(report.files, report.files)
        case .decoded(let name, var events, let alerts):
            report.files += 1
            try session?.decide(&events)
            group.files.append((name, events, alerts))
            group.alerts += alerts
        }
    }

    /// A group the committer has recorded, with what recording said of each event.
    struct CommittedGroup: Sendable {
        var files: [(name: String, events: [AlertEvent], alerts: Int)]
        var results: [RecordResult]
    }

    /// Starts committing a group of files in one transaction (with the triage rows of its
    /// alerts), then deleting each file: only after the commit returned are its rows on disk.
    /// First waits for the group before and adds it to the report.
    private func commit(
        _ group: inout PendingGroup, _ committer: BackgroundWork<CommittedGroup>, _ flusher: IngestFlush?, journal: () throws -> Journal,
        journaled: Bool,
        report: inout IngestReport, total: Int, session: inout TriageSession?
    ) throws {
        guard !group.files.isEmpty else { return }
        let files = group.files
        group = PendingGroup()
        // Taken now: the next group's alerts find these rows in the session's cache until
        // the commit below is done (the commit of the group before is, after `finish`).
        let rows = session?.takeRows() ?? []
        let generation = session?.generation ?? 0
        if let done = try committer.finish() { apply(done, to: &report, total: total) }
        let database = try journal()
        let spool = spool
        let now = now
        committer.start {
            let results = try database.recordFiles(
                files.map(\.events), forward: journaled, now: now(), triageRows: rows, generation: generation)
            flusher?.recorded()
            for file in files { try spool.complete(file.name) }
            return CommittedGroup(files: files, results: results)
        }
    }

    /// Adds a committed group to the report and shows progress.
    private func apply(_ committed: CommittedGroup, to report: inout IngestReport, total: Int) {
        for (file, result) in zip(committed.files, committed.results) {
            report.alerts += file.alerts
            report.newEvents += result.inserted
            report.duplicates += file.alerts - result.inserted
            for event in file.events { report.byStatus[event.alert.status.rawValue, default: 0] += 1 }
            if report.recorded.count < IngestReport.recordedLimit {
                for (event, isNew) in zip(file.events, result.isNew).prefix(IngestReport.recordedLimit - report.recorded.count) {
                    report.recorded.append(
                        .init(
                            file: file.name, alertKey: event.alert.alertKey.description, status: event.alert.status, isNew: isNew,
                            summary: event.alert.annotations["summary"] ?? "", decision: event.decision))
                }
            }
        }
        report.committedFiles += committed.files.count
        progress(report.committedFiles, total)
    }
}

/// What one ingest run did.
public struct IngestReport: Sendable {
    /// One recorded alert, for the end-of-run listing.
    public struct Recorded: Sendable, Equatable {
        public var file: String
        public var alertKey: String
        public var status: AlertStatus
        /// False when the occurrence and status were already recorded (a resend).
        public var isNew: Bool
        public var summary: String
        /// What triage decided.
        public var decision: RecordedDecision?
    }

    /// At most this many alerts are kept for the listing, so a backlog of millions stays small.
    public static let recordedLimit = 1000

    /// The first `recordedLimit` alerts, in order.
    public var recorded: [Recorded] = []

    public struct Rejection: Sendable, Equatable {
        public var file: String
        public var reason: String
    }

    /// Spool files looked at (including rejected ones).
    public var files = 0
    /// Files whose rows were committed (and which were then deleted).
    public var committedFiles = 0
    /// Files a crashed run had left in processing/ and this run took over.
    public var reclaimed = 0
    public var rejected: [Rejection] = []
    /// Alerts in the accepted files.
    public var alerts = 0
    /// Occurrence/status rows recorded for the first time.
    public var newEvents = 0
    /// Alerts already recorded (Alertmanager resends, duplicates inside one body).
    public var duplicates = 0
    /// New and repeated events by status.
    public var byStatus: [String: Int] = [:]
    /// The flush to PostgreSQL; nil in embedded mode or when a drain was already running.
    public var flush: DrainReport?
    public var stoppedEarly = false
    /// What triage amounted to; nil when nothing was triaged.
    public var triage: TriageSession.Summary?
    /// Every alert triaged in this run (live, re-evaluated and replayed), in order.
    public var triaged: [TriageSession.Triaged] = []
    /// A recovered problem with the stored triage state.
    public var triageWarning: String?
    /// Why the windows and host states other runners share could not be refreshed.
    public var sharedWarning: String?
    /// True when the run found nothing to do and skipped the journal (see `IdleMarker`).
    public var idle = false
    /// What remediation did (settled, planned, ran, rejected, escalated).
    public var remediation: RemediationStage.Report?
    /// Discord delivery of the run's messages (and of earlier ones still waiting).
    public var delivery: DeliveryReport?

    public init() {}

    /// True when PostgreSQL is configured but could not take the rows: exit 75.
    public var isDegraded: Bool { flush?.failure != nil || delivery?.isDegraded == true }
}

public enum IngestError: Error, CustomStringConvertible {
    case busy(pid: Int32?)

    public var description: String {
        switch self {
        case .busy(let pid):
            "another ingest run\(pid.map { " (pid \($0))" } ?? "") holds the ingest lock; it will process the spool"
        }
    }
}
