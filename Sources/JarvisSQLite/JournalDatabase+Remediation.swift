import Foundation
import GRDB
import JarvisCore

extension JournalDatabase {
    static let remediationColumns = [
        "idempotency_key", "occurrence_key", "alert_key", "alertname", "host", "tier", "pattern_id", "commands", "intent_at", "outcome",
        "outcome_at", "exit_status", "stdout_excerpt", "stderr_excerpt", "verification", "llm_tokens_in", "llm_tokens_out", "llm_cost_usd",
        "escalated", "error", "approval", "plan_summary", "runner", "updated_at",
    ]

    /// Writes the intent (before anything runs). Returns false, writing nothing, when an
    /// attempt with this key exists already: a notification is acted on at most once.
    public func recordIntent(_ record: RemediationRecord, forward: Bool, now: Timestamp) throws -> Bool {
        try write { db in
            if try Int.fetchOne(db, sql: "SELECT 1 FROM remediation_log WHERE idempotency_key = ?", arguments: [record.key]) != nil {
                return false
            }
            try Self.upsert(record, db: db, forward: forward, now: now)
            return true
        }
    }

    /// Writes a newer state of an attempt (outcome, verification, approval).
    public func updateRemediation(_ record: RemediationRecord, forward: Bool, now: Timestamp) throws {
        try write { db in try Self.upsert(record, db: db, forward: forward, now: now) }
    }

    /// Writes a newer state of an attempt and, for a settled verification, one
    /// `learning_feedback` row, in one transaction.
    public func settleVerification(_ record: RemediationRecord, forward: Bool, now: Timestamp) throws {
        try write { db in
            try Self.upsert(record, db: db, forward: forward, now: now)
            guard record.verification == .verified || record.verification == .failed else { return }
            let key = "feedback/\(record.key)"
            let outcome = record.verification == .verified ? "success" : "failure"
            try db.execute(
                sql: """
                    INSERT OR IGNORE INTO learning_feedback (idempotency_key, pattern_id, remediation_key, outcome, verified, recorded_at)
                    VALUES (?, ?, ?, ?, ?, ?)
                    """,
                arguments: [key, record.patternID, record.key, outcome, record.verification == .verified, now.rfc3339])
            guard forward, db.changesCount > 0 else { return }
            var w = JSONWriter()
            w.field("idempotency_key", key)
            w.field("pattern_id", record.patternID.map(String.init))
            w.field("remediation_key", record.key)
            w.field("outcome", outcome)
            w.field("verified", record.verification == .verified)
            w.field("recorded_at", now.rfc3339)
            try db.execute(
                sql: "INSERT INTO journal (tbl, idempotency_key, json, ref, created_at) VALUES ('learning_feedback', ?, ?, NULL, ?)",
                arguments: [key, w.finish(), now.rfc3339])
        }
    }

    /// Attempts matching a filter, oldest first.
    public func remediations(where filter: RemediationFilter, limit: Int = 1000) throws -> [RemediationRecord] {
        let condition: String
        var arguments: StatementArguments = []
        switch filter {
        case .intentWithoutOutcome:
            condition = "outcome = 'pending' AND outcome_at IS NULL AND (approval IS NULL OR approval = 'approved')"
        case .awaitingVerification:
            condition = "outcome = 'succeeded' AND verification = 'pending'"
        case .awaitingApproval:
            condition = "approval = 'awaiting'"
        case .key(let key):
            condition = "idempotency_key = ?"
            arguments = [key]
        case .id(let id):
            condition = "id = ?"
            arguments = [id]
        case .all:
            condition = "1"
        }
        arguments += [limit]
        return try read { db in
            try Row.fetchAll(
                db, sql: "SELECT \(Self.remediationColumns.joined(separator: ", ")), id FROM remediation_log WHERE \(condition) ORDER BY id LIMIT ?",
                arguments: arguments
            ).map { try Self.record($0) }
        }
    }

    /// The local id of an attempt (for `jarvis approve ID`).
    public func remediationID(key: String) throws -> Int64? {
        try read { try Int64.fetchOne($0, sql: "SELECT id FROM remediation_log WHERE idempotency_key = ?", arguments: [key]) }
    }

    /// How many commands were started (intents with a host, not rejected or parked) since `time`.
    public func actionsStarted(since time: Timestamp) throws -> [Timestamp] {
        try read { db in
            try String.fetchAll(
                db,
                sql: "SELECT intent_at FROM remediation_log WHERE intent_at >= ? AND outcome NOT IN ('rejected', 'escalated') AND commands != '[]'",
                arguments: [time.rfc3339]
            ).compactMap { Timestamp(rfc3339: $0) }
        }
    }

    /// When the occurrence's resolved notification arrived, if it did.
    public func resolvedAt(occurrence: String) throws -> Timestamp? {
        try read { db in
            let key = occurrence + "/resolved"
            return try String.fetchOne(
                db,
                sql: """
                    SELECT d.received_at FROM alert_events e JOIN deliveries d ON d.id = e.delivery_id
                    WHERE e.key_hash = ? AND e.idempotency_key = ?
                    """,
                arguments: [AlertEventKeyHash.of(key), key]
            ).flatMap { Timestamp(rfc3339: $0) }
        }
    }

    /// The labels of the occurrence's firing event, if it was recorded.
    public func labels(occurrence: String) throws -> [String: String]? {
        try read { db in
            let key = occurrence + "/firing"
            guard
                let json = try String.fetchOne(
                    db, sql: "SELECT labels FROM alert_events WHERE key_hash = ? AND idempotency_key = ?",
                    arguments: [AlertEventKeyHash.of(key), key])
            else { return nil }
            return Self.stringObject(json)
        }
    }

    static func record(_ row: Row) throws -> RemediationRecord {
        RemediationRecord(
            key: row[0], occurrenceKey: row[1], alertKey: row[2], alertname: row[3], host: row[4], tier: row[5], patternID: row[6],
            commandsJSON: row[7], intentAt: Timestamp(rfc3339: row[8] as String) ?? Timestamp(seconds: 0), outcome: try state(row[9], "outcome"),
            outcomeAt: (row[10] as String?).flatMap { Timestamp(rfc3339: $0) }, exitStatus: row[11], stdout: row[12], stderr: row[13],
            verification: try state(row[14], "verification"), tokensIn: row[15], tokensOut: row[16], costUSD: row[17], escalated: row[18],
            error: row[19],
            approval: try (row[20] as String?).map { try state($0, "approval") }, planSummary: row[21], runner: row[22])
    }

    /// A stored state string as its enum; a string this build does not know is an error, not a guess.
    static func state<State: RawRepresentable<String>>(_ text: String, _ column: String) throws -> State {
        guard let state = State(rawValue: text) else { throw JournalError("remediation_log.\(column) holds an unknown value '\(text)'") }
        return state
    }

    static func upsert(_ r: RemediationRecord, db: Database, forward: Bool, now: Timestamp) throws {
        let values: [(any DatabaseValueConvertible)?] = [
            r.key, r.occurrenceKey, r.alertKey, r.alertname, r.host, r.tier, r.patternID, r.commandsJSON, r.intentAt.rfc3339, r.outcome.rawValue,
            r.outcomeAt?.rfc3339, r.exitStatus, r.stdout, r.stderr, r.verification.rawValue, r.tokensIn, r.tokensOut, r.costUSD, r.escalated,
            r.error, r.approval?.rawValue, r.planSummary, r.runner, now.rfc3339,
        ]
        try upsert(into: "remediation_log", columns: remediationColumns, keeping: 1, values: values, db: db)
        guard forward else { return }
        var w = JSONWriter()
        w.field("idempotency_key", r.key)
        w.field("occurrence_key", r.occurrenceKey)
        w.field("alert_key", r.alertKey)
        w.field("alertname", r.alertname)
        w.field("host", r.host)
        w.field("tier", Int64(r.tier))
        w.field("pattern_id", r.patternID.map(String.init))
        w.field("commands", rawJSON: r.commandsJSON)
        w.field("intent_at", r.intentAt.rfc3339)
        w.field("outcome", r.outcome.rawValue)
        w.field("outcome_at", r.outcomeAt?.rfc3339)
        w.field("exit_status", r.exitStatus.map(String.init))
        w.field("stdout_excerpt", r.stdout)
        w.field("stderr_excerpt", r.stderr)
        w.field("verification", r.verification.rawValue)
        w.field("llm_tokens_in", Int64(r.tokensIn))
        w.field("llm_tokens_out", Int64(r.tokensOut))
        w.field("llm_cost_usd", String(r.costUSD))
        w.field("escalated", r.escalated)
        w.field("error", r.error)
        w.field("approval", r.approval?.rawValue)
        w.field("plan_summary", r.planSummary)
        w.field("runner", r.runner)
        w.field("updated_at", now.rfc3339)
        try db.execute(
            sql: "INSERT INTO journal (tbl, idempotency_key, json, ref, created_at) VALUES ('remediation_log', ?, ?, NULL, ?)",
            arguments: [r.key, w.finish(), now.rfc3339])
    }
}

extension JournalDatabase {
    /// Inserts a row of a store-of-record table, or replaces the columns after the first
    /// `keeping` ones of the row with the same `idempotency_key` (snapshots: newest wins).
    static func upsert(into table: String, columns: [String], keeping: Int, values: [(any DatabaseValueConvertible)?], db: Database) throws {
        let updates = columns.dropFirst(keeping).map { "\($0) = excluded.\($0)" }.joined(separator: ", ")
        try db.execute(
            sql: """
                INSERT INTO \(table) (\(columns.joined(separator: ", "))) VALUES (\(Array(repeating: "?", count: columns.count).joined(separator: ", ")))
                ON CONFLICT (idempotency_key) DO UPDATE SET \(updates)
                """,
            arguments: StatementArguments(values))
    }
}
