import Foundation
import JarvisCore

/// Where host availability lives between processes: the `hosts` state document in the local
/// SQLite database, plus one `host_status_log` journal row per transition when PostgreSQL is
/// configured (drained there by `jarvis drain` or the next ingest).
///
/// Every update is a read-modify-write in one `BEGIN IMMEDIATE` transaction
/// (`JournalStateDocuments.updateState`): events are applied to the status stored *now*, not to the
/// one read when the run started, so two processes never overwrite each other's counts, and a
/// transition's journal row is committed with the state that produced it or not at all.
public struct HostStateStore: Sendable {
    /// Name of the document in the `state` table.
    public static let documentName = "hosts"
    /// The PostgreSQL table transitions go to.
    public static let logTable = "host_status_log"

    /// Where the document lives (live: the local database).
    public let journal: any JournalStateDocuments
    /// True when PostgreSQL is configured: transitions also become journal rows.
    public let journalRows: Bool
    /// This runner's name, written in each row.
    public let runner: String

    /// What an update did to one host.
    public struct Change: Sendable, Equatable {
        /// Host name.
        public var host: String
        /// The stored status before the event.
        public var before: HostStatus
        /// The status after it (now stored).
        public var after: HostStatus
        /// The transition the event caused, if any.
        public var transition: HostTransition?
    }

    /// One event to record.
    public struct Event: Sendable, Equatable {
        /// Host name.
        public var host: String
        /// What happened.
        public var event: HostEvent
        /// When it happened.
        public var at: Timestamp
    }

    /// Creates a store.
    ///
    /// - Parameters:
    ///   - journal: Where the document lives.
    ///   - journalRows: Whether transitions become `host_status_log` journal rows (PostgreSQL configured).
    ///   - runner: This runner's name.
    public init(journal: any JournalStateDocuments, journalRows: Bool, runner: String) {
        self.journal = journal
        self.journalRows = journalRows
        self.runner = runner
    }

    /// The stored document (an empty one when none was saved yet).
    ///
    /// - Throws: `JournalError` when SQLite fails or the document cannot be decoded.
    public func load() throws -> HostStateDocument {
        try HostStateStore.decode(try journal.loadState(HostStateStore.documentName))
    }

    /// Applies events to the stored statuses, saves them, appends the transitions to the
    /// bounded history and (with PostgreSQL) to the journal, all in one transaction.
    ///
    /// - Parameters:
    ///   - events: Events in the order they happened; several may concern one host.
    ///   - thresholds: The state machine's numbers.
    ///   - now: Written as the update time.
    /// - Returns: One change per event, in order.
    /// - Throws: `JournalError`; nothing is written then.
    public func record(_ events: [Event], thresholds: HostStateMachine.Thresholds, now: Timestamp) throws -> [Change] {
        var changes: [Change] = []
        guard !events.isEmpty else { return changes }
        try journal.updateState(HostStateStore.documentName, now: now) { stored in
            changes = []
            var document = try HostStateStore.decode(stored)
            var transitions: [HostTransition] = []
            for event in events {
                let before = document.status(of: event.host)
                var machine = HostStateMachine(status: before, thresholds: thresholds)
                let transition = machine.apply(event.event, at: event.at)
                document.hosts[event.host] = machine.status
                if let transition { transitions.append(transition) }
                changes.append(Change(host: event.host, before: before, after: machine.status, transition: transition))
            }
            document.appendHistory(transitions)
            // Every transition is kept in the local host_status_log (the weekly report's
            // downtime in embedded mode) and, with PostgreSQL, journaled for it.
            let rows = transitions.map { HostStateStore.journalRow($0, runner: runner) }
            return JournalStateChange(json: try HostStateStore.encode(document), rows: journalRows ? rows : [], localRows: rows)
        }
        return changes
    }

    /// The idempotency key of a transition's `host_status_log` row: `host-status:HOST:AT:TO`
    /// (a host never enters the same state twice at the same nanosecond).
    ///
    /// - Parameter transition: The transition.
    public static func idempotencyKey(_ transition: HostTransition) -> String {
        "host-status:\(transition.host):\(transition.at.rfc3339):\(transition.to.rawValue.lowercased())"
    }

    /// The journal row of a transition, with the columns of `host_status_log` (states in lower
    /// case, as the table's CHECK constraint wants).
    ///
    /// - Parameters:
    ///   - transition: The transition.
    ///   - runner: This runner's name.
    public static func journalRow(_ transition: HostTransition, runner: String) -> JournalAppend {
        logRow(
            key: idempotencyKey(transition), host: transition.host, from: transition.from, to: transition.to, error: transition.error,
            consecutiveFailures: transition.consecutiveFailures, lastSuccessAt: transition.lastSuccessAt, at: transition.at, runner: runner)
    }

    /// A `host_status_log` journal row; `from == to` records an event that changed no state
    /// (a refused host key).
    static func logRow(
        key: String, host: String, from: HostState, to: HostState, error: String?, consecutiveFailures: Int, lastSuccessAt: Timestamp?,
        at: Timestamp, runner: String
    ) -> JournalAppend {
        let row = LogRow(
            idempotencyKey: key, host: host, fromState: from.rawValue.lowercased(), toState: to.rawValue.lowercased(), error: error,
            consecutiveFailures: consecutiveFailures, lastSuccessAt: lastSuccessAt?.rfc3339, changedAt: at.rfc3339, runner: runner)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        // Encoding strings and integers cannot fail.
        let json = (try? encoder.encode(row)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
        return JournalAppend(table: logTable, idempotencyKey: key, json: json)
    }

    /// One `host_status_log` row; nil values are written as JSON null (NULL columns).
    private struct LogRow: Encodable {
        var idempotencyKey: String
        var host: String
        var fromState: String
        var toState: String
        var error: String?
        var consecutiveFailures: Int
        var lastSuccessAt: String?
        var changedAt: String
        var runner: String

        enum CodingKeys: String, CodingKey {
            case idempotencyKey = "idempotency_key"
            case host
            case fromState = "from_state"
            case toState = "to_state"
            case error
            case consecutiveFailures = "consecutive_failures"
            case lastSuccessAt = "last_success_at"
            case changedAt = "changed_at"
            case runner
        }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(idempotencyKey, forKey: .idempotencyKey)
            try container.encode(host, forKey: .host)
            try container.encode(fromState, forKey: .fromState)
            try container.encode(toState, forKey: .toState)
            try container.encode(error, forKey: .error)
            try container.encode(consecutiveFailures, forKey: .consecutiveFailures)
            try container.encode(lastSuccessAt, forKey: .lastSuccessAt)
            try container.encode(changedAt, forKey: .changedAt)
            try container.encode(runner, forKey: .runner)
        }
    }

    static func decode(_ json: String?) throws -> HostStateDocument {
        guard let json else { return HostStateDocument() }
        do {
            let document = try JSONDecoder().decode(HostStateDocument.self, from: Data(json.utf8))
            guard document.version <= HostStateDocument.currentVersion else {
                throw JournalError("the host state document has version \(document.version); this jarvis knows \(HostStateDocument.currentVersion)")
            }
            return document
        } catch let error as JournalError {
            throw error
        } catch {
            throw JournalError(
                "the host state document (state table, name '\(documentName)') cannot be read: \((error as? DecodingError)?.summary ?? "\(error)"); "
                    + "delete that row to start every host afresh as ONLINE")
        }
    }

    static func encode(_ document: HostStateDocument) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(document), as: UTF8.self)
    }
}
