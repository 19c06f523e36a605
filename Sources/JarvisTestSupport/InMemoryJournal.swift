import Foundation
import JarvisCore

/// The local journal in memory, for fast tests of the ingest path's jobs (ingest, triage,
/// remediation, drain) without SQLite: the same contract as `JournalDatabase` for what those
/// jobs use. Every write is all or nothing (it works on a copy and swaps it in), so a failure
/// injected with `failNext` leaves the journal as it was, as a rolled-back transaction does.
///
/// The Discord outbox is an `InMemoryOutbox` (`outbox`), so dispatchers and host notifiers
/// built over the journal enqueue and send there. Learning follows the same steps as
/// SQLite's (`PatternLearning.teach`, one outcome per write): each settled verdict leaves one
/// feedback row, and `learn` teaches them in order, counting each occurrence once per
/// pattern. `patterns` start empty (SQLite's migration seeds them): a test puts them there.
/// The metrics' running totals are counted from its events and attempts.
public final class InMemoryJournal: IngestJournal, PatternCache, @unchecked Sendable {
    /// Everything the journal holds; copied, changed and swapped in by each write.
    public struct Contents: Sendable {
        /// Recorded alert events by id (ids from 1, in recording order).
        public var events: [(id: Int64, event: AlertEvent)] = []
        var eventIDs: [String: Int] = [:]
        /// Rows bound for the store of record, in `seq` order.
        public var queue: [JournalEntry] = []
        var nextSeq: Int64 = 1
        /// Decisions recorded about events already stored (re-decisions), in order.
        public var redecisions: [Redecision] = []
        public var documents: [String: String] = [:]
        /// `host_status_log` rows kept locally by state updates (the local store of record).
        public var hostStatusLog: [JournalAppend] = []
        var triageRows: [String: TriageRowState] = [:]
        public var windows: [MaintenanceWindow] = []
        /// The remediation log by local id (ids from 1).
        public var remediations: [RemediationRecord] = []
        public var patterns: [LearnedPattern] = []
        /// Symptom fingerprints recorded, with how often.
        public var fingerprints: [String: Int] = [:]
        /// One row per settled verdict (verified or failed), in order: what `learn` teaches.
        public var feedback: [LearningFeedback] = []
        /// How many of `feedback` `learn` has taught.
        public var learnCursor = 0
        /// (pattern id, occurrence key) pairs a pattern has counted already.
        var evidence: Set<PatternEvidence> = []
        /// What learning did to the patterns (learned, promoted, demoted), once per key.
        public var patternEvents: [PatternEvent] = []
        /// One entry per drain or flush: (drained, depth before, depth after, degraded).
        public var activity: [(drained: Int, depthBefore: Int, depthAfter: Int, degraded: Bool)] = []
    }

    /// A triage row with the version an uncommitted generation replaced.
    struct TriageRowState: Sendable {
        var value: [UInt8]?
        var expiresAt: Double
        var generation: Int64
        /// The committed version overwritten by a newer generation: (value, expiresAt).
        var previous: (value: [UInt8]?, expiresAt: Double)?
    }

    /// An operation that fails once, before it changes anything, when named in `failNext`.
    public enum Operation: Sendable, Hashable {
        case recordFiles, commitTriage, removeEntries, recordIntent, updateRemediation, updateState
        /// Marking a sent Discord message delivered: the crash between Discord's answer and
        /// the mark.
        case markDelivered
    }

    private let lock = NSLock()
    private var contents = Contents()
    private var failing: Set<Operation> = []
    /// The Discord outbox the notification dispatcher and the host notifier write to.
    public let outbox = InMemoryOutbox()

    public init() {}

    /// What the journal holds now.
    public var snapshot: Contents { lock.withLock { contents } }

    /// Makes the next call of `operation` throw without writing anything.
    public func failNext(_ operation: Operation) { lock.withLock { _ = failing.insert(operation) } }

    /// Sets the learned patterns (ids from 1), as SQLite's seeds or an import would.
    public func setPatterns(_ patterns: [LearnedPattern]) { lock.withLock { contents.patterns = patterns } }

    public func patternCacheCursor() throws -> String? { read { $0.documents["pattern-cache"] } }

    public func adoptSharedPatterns(_ patterns: [LearnedPattern], cursor: String, now: Timestamp) throws {
        lock.withLock {
            for pattern in patterns {
                contents.patterns.removeAll { $0.id == pattern.id || $0.key == pattern.key }
                contents.patterns.append(pattern)
            }
            contents.patterns.sort { $0.id < $1.id }
            contents.documents["pattern-cache"] = cursor
        }
    }

    /// Adds a maintenance window as `jarvis maintenance start` would.
    public func addWindow(_ window: MaintenanceWindow) { lock.withLock { contents.windows.append(window) } }

    /// Runs `change` on a copy and keeps it only when it returns: all or nothing.
    func write<T>(_ operation: Operation? = nil, _ change: (inout Contents) throws -> T) throws -> T {
        try lock.withLock {
            if let operation, failing.remove(operation) != nil {
                throw InMemoryJournalFailure(description: "in-memory journal: \(operation) failed (injected)")
            }
            var copy = contents
            let result = try change(&copy)
            contents = copy
            return result
        }
    }

    func read<T>(_ body: (Contents) throws -> T) rethrows -> T { try lock.withLock { try body(contents) } }

    static func enqueue(_ entry: (Int64) -> JournalEntry, into contents: inout Contents) {
        contents.queue.append(entry(contents.nextSeq))
        contents.nextSeq += 1
    }

    // MARK: JournalStateDocuments

    public func loadState(_ name: String) throws -> String? { read { $0.documents[name] } }

    public func updateState(_ name: String, now: Timestamp, _ body: (String?) throws -> JournalStateChange) throws {
        try write(.updateState) { contents in
            let change = try body(contents.documents[name])
            if let json = change.json { contents.documents[name] = json }
            contents.hostStatusLog += change.localRows.filter { $0.table == "host_status_log" }
            for row in change.rows {
                Self.enqueue(
                    { JournalEntry(seq: $0, table: row.table, idempotencyKey: row.idempotencyKey, json: row.json, createdAt: now) },
                    into: &contents)
            }
        }
    }

    // MARK: JournalQueue

    public func depth() throws -> JournalDepth { read { JournalDepth(rows: $0.queue.count, oldest: $0.queue.first?.createdAt) } }

    public func pendingEntries(after seq: Int64?, limit: Int) throws -> [JournalEntry] {
        read { state in Array(state.queue.lazy.filter { $0.seq > seq ?? .min }.prefix(limit)) }
    }

    public func removeEntries(through seq: Int64) throws {
        try write(.removeEntries) { $0.queue.removeAll { $0.seq <= seq } }
    }

    public func recordJournalActivity(at: Timestamp, drained: Int, depthBefore: Int, depthAfter: Int, degraded: Bool) throws {
        try write { $0.activity.append((drained, depthBefore, depthAfter, degraded)) }
    }

    // MARK: JournalEvents

    public func recordFiles(_ files: [[AlertEvent]], forward: Bool, now: Timestamp, triageRows: [TriageStateRow], generation: Int64) throws
        -> [RecordResult]
    {
        try write(.recordFiles) { contents in
            Self.writeTriageRows(triageRows, generation: generation, into: &contents)
            return files.map { events in
                var result = RecordResult()
                for event in events {
                    let key = event.idempotencyKey
                    if contents.eventIDs[key] != nil {
                        result.duplicates += 1
                        result.isNew.append(false)
                        if let decision = event.decision, decision.kind != TriageDecision.deduplicated.kind {
                            contents.redecisions.append(
                                Redecision(eventKey: key, alertKey: event.alert.alertKey.description, decision: decision))
                        }
                        continue
                    }
                    let id = Int64(contents.events.count + 1)
                    contents.eventIDs[key] = contents.events.count
                    contents.events.append((id, event))
                    result.inserted += 1
                    result.isNew.append(true)
                    if forward { Self.enqueue({ JournalEntry(seq: $0, alertEvent: event.row, createdAt: now) }, into: &contents) }
                }
                return result
            }
        }
    }

    public func alertEvents(after id: Int64, limit: Int) throws -> [(id: Int64, event: AlertEvent)] {
        read { Array($0.events.lazy.filter { $0.id > id && $0.event.decision != nil }.prefix(limit)) }
    }

    // MARK: TriageJournal

    public func triageRows(_ keys: [String]) throws -> [(key: String, value: [UInt8]?)] {
        read { contents in keys.compactMap { key in contents.triageRows[key].map { (key, $0.value) } } }
    }

    public func writeTriageRows(_ rows: [TriageStateRow], generation: Int64) throws {
        try write { Self.writeTriageRows(rows, generation: generation, into: &$0) }
    }

    /// A row last written by an older generation keeps that version until it is committed.
    private static func writeTriageRows(_ rows: [TriageStateRow], generation: Int64, into contents: inout Contents) {
        for row in rows {
            if var stored = contents.triageRows[row.key] {
                if stored.generation < generation { stored.previous = (stored.value, stored.expiresAt) }
                stored.value = row.value
                stored.expiresAt = row.expiresAt
                stored.generation = generation
                contents.triageRows[row.key] = stored
            } else if row.value != nil {
                contents.triageRows[row.key] = TriageRowState(value: row.value, expiresAt: row.expiresAt, generation: generation)
            }
        }
    }

    @discardableResult
    public func rollBackTriageRows(after committed: Int64) throws -> Int {
        try write { contents in
            var changed = 0
            for (key, row) in contents.triageRows where row.generation > committed {
                changed += 1
                if let previous = row.previous {
                    contents.triageRows[key] = TriageRowState(value: previous.value, expiresAt: previous.expiresAt, generation: committed)
                } else {
                    contents.triageRows[key] = nil
                }
            }
            return changed
        }
    }

    public func removeAllTriageRows() throws { try write { $0.triageRows = [:] } }

    /// How many triage rows hold a value.
    public var triageRowCount: Int { read { $0.triageRows.values.filter { $0.value != nil }.count } }

    public func maintenanceWindows(includeEnded: Bool, now: Timestamp?) throws -> [MaintenanceWindow] {
        read { contents in
            contents.windows.filter { window in
                guard !includeEnded, let now else { return true }
                return !window.hasEnded(by: now)
            }
        }
    }

    @discardableResult
    public func mergeSharedWindows(_ windows: [SharedMaintenanceWindow], runner: String, now: Timestamp) throws -> Int {
        guard !windows.isEmpty else { return 0 }
        throw InMemoryJournalFailure(description: "in-memory journal: shared maintenance windows are not modelled")
    }

    public func commitTriage(
        windowHits: [Int64: Int], redecisions: [Redecision], runner: String, now: Timestamp, forward: Bool,
        updating documents: [String: (String?) throws -> String], triageRows: TriageRowCommit?, document: (Int64) throws -> String
    ) throws -> [MaintenanceWindow] {
        try write(.commitTriage) { contents in
            if let triageRows {
                Self.writeTriageRows(triageRows.rows, generation: triageRows.generation, into: &contents)
                for (key, row) in contents.triageRows {
                    if row.generation <= triageRows.generation { contents.triageRows[key]?.previous = nil }
                    if triageRows.prune, row.generation <= triageRows.generation, row.value == nil || row.expiresAt <= now.epochSeconds {
                        contents.triageRows[key] = nil
                    }
                }
            }
            for (name, update) in documents.sorted(by: { $0.key < $1.key }) { contents.documents[name] = try update(contents.documents[name]) }
            var expired: [MaintenanceWindow] = []
            for index in contents.windows.indices {
                let window = contents.windows[index]
                guard window.endedAt == nil, let end = window.endsAt, end <= now else { continue }
                contents.windows[index].endedAt = end
                expired.append(contents.windows[index])
            }
            for (id, hits) in windowHits {
                if let index = contents.windows.firstIndex(where: { $0.id == id }) { contents.windows[index].suppressedCount += Int64(hits) }
            }
            contents.redecisions += redecisions
            contents.documents["triage"] = try document(contents.events.last?.id ?? 0)
            return expired
        }
    }

    // MARK: RemediationJournal

    public func remediations(where filter: RemediationFilter, limit: Int) throws -> [RemediationRecord] {
        read { contents in
            let matching = contents.remediations.enumerated().filter { index, record in
                switch filter {
                case .intentWithoutOutcome:
                    record.outcome == .pending && record.outcomeAt == nil && (record.approval == nil || record.approval == .approved)
                case .awaitingVerification: record.outcome == .succeeded && record.verification == .pending
                case .awaitingApproval: record.approval == .awaiting
                case .key(let key): record.key == key
                case .id(let id): Int64(index + 1) == id
                case .all: true
                }
            }
            return Array(matching.map(\.element).prefix(limit))
        }
    }

    public func attempts(eventKey: String) throws -> [RemediationRecord] {
        read { $0.remediations.filter { $0.key.hasPrefix("remediation/\(eventKey)#") } }
    }

    public func recordIntent(_ record: RemediationRecord, forward: Bool, now: Timestamp) throws -> Bool {
        try write(.recordIntent) { contents in
            guard !contents.remediations.contains(where: { $0.key == record.key }) else { return false }
            contents.remediations.append(record)
            Self.forward(record, forward: forward, now: now, into: &contents)
            return true
        }
    }

    public func updateRemediation(_ record: RemediationRecord, forward: Bool, now: Timestamp) throws {
        try write(.updateRemediation) { Self.upsert(record, forward: forward, now: now, into: &$0) }
    }

    public func settleVerification(_ record: RemediationRecord, forward: Bool, now: Timestamp) throws {
        try write { contents in
            Self.upsert(record, forward: forward, now: now, into: &contents)
            Self.recordFeedback(record, forward: forward, now: now, into: &contents)
        }
    }

    private static func upsert(_ record: RemediationRecord, forward: Bool, now: Timestamp, into contents: inout Contents) {
        if let index = contents.remediations.firstIndex(where: { $0.key == record.key }) {
            contents.remediations[index] = record
        } else {
            contents.remediations.append(record)
        }
        Self.forward(record, forward: forward, now: now, into: &contents)
    }

    /// A `remediation_log` row for the store of record (the snapshot: the newest wins there).
    private static func forward(_ record: RemediationRecord, forward: Bool, now: Timestamp, into contents: inout Contents) {
        guard forward else { return }
        var row = JSONWriter()
        row.field("idempotency_key", record.key)
        row.field("outcome", record.outcome.rawValue)
        row.field("verification", record.verification.rawValue)
        let json = row.finish()
        enqueue({ JournalEntry(seq: $0, table: "remediation_log", idempotencyKey: record.key, json: json, createdAt: now) }, into: &contents)
    }

    public func remediationID(key: String) throws -> Int64? {
        read { $0.remediations.firstIndex { $0.key == key }.map { Int64($0 + 1) } }
    }

    public func actionsStarted(since time: Timestamp) throws -> [Timestamp] {
        read { contents in
            contents.remediations.filter {
                $0.intentAt >= time && $0.outcome != .rejected && $0.outcome != .escalated && $0.commandsJSON != "[]"
            }.map(\.intentAt)
        }
    }

    public func resolvedAt(occurrence: String) throws -> Timestamp? { event(occurrence + "/resolved")?.receivedAt }

    public func labels(occurrence: String) throws -> [String: String]? { event(occurrence + "/firing")?.alert.labels }

    private func event(_ key: String) -> AlertEvent? { read { contents in contents.eventIDs[key].map { contents.events[$0].event } } }

    public func patterns() throws -> [LearnedPattern] { read(\.patterns) }

    public func recordFingerprint(_ symptom: SymptomFingerprint, forward: Bool, now: Timestamp) throws {
        try write { $0.fingerprints[symptom.sha256, default: 0] += 1 }
    }

    public func failedCommandSets(alertKey: String) throws -> [FailedCommandSet] {
        read { contents in
            FailedCommandSet.tally(
                contents.remediations.lazy.filter { $0.alertKey == alertKey && ($0.verification == .failed || $0.outcome == .failed) }
                    .map(\.commandsJSON))
        }
    }

    // MARK: OutboxSchedule

    public func outboxDepth() throws -> OutboxDepth { try outbox.outboxDepth() }

    public func nextOutboxAttempt() throws -> Timestamp? { outbox.nextAttempt }
}

/// A failure of the in-memory journal (injected, or something it does not model).
public struct InMemoryJournalFailure: Error, CustomStringConvertible {
    public var description: String
}
