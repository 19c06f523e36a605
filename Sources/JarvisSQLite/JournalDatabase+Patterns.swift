import Foundation
import GRDB
import JarvisCore

/// The learning engine's storage: `remediation_patterns`, `pattern_events`,
/// `alert_fingerprints`, and the `learn` cursor (the `learn` state document: the last
/// `learning_feedback` id taught). Every row bound for PostgreSQL is journaled in the same
/// transaction that writes it; pattern rows carry their id, so `remediation_log.pattern_id`
/// means the same pattern in both stores.
extension JournalDatabase {
    static let patternColumns = [
        "id", "idempotency_key", "fingerprint", "alertname", "symptom_parts", "commands", "risk", "success_count", "failure_count", "enabled",
        "source", "last_used_at", "created_at", "updated_at", "summary", "required_labels", "command_set", "tier",
    ]

    /// Writes the shipped seeds as patterns 1–14 (a row that exists already is kept).
    static func insertSeeds(db: Database) throws {
        let now = Timestamp(epochSeconds: Date().timeIntervalSince1970)
        for (index, seed) in SeedPattern.all.enumerated() {
            var pattern = LearnedPattern(seed: seed, id: Int64(index + 1), createdAt: now)
            if try Int.fetchOne(
                db, sql: "SELECT 1 FROM remediation_patterns WHERE id = ? OR idempotency_key = ?", arguments: [pattern.id, pattern.key]) != nil
            {
                continue
            }
            try savePattern(&pattern, db: db, forward: false, now: now)
        }
    }

    /// Every pattern, by id.
    public func patterns() throws -> [LearnedPattern] {
        try read { db in
            try Row.fetchAll(db, sql: "SELECT \(Self.patternColumns.joined(separator: ", ")) FROM remediation_patterns ORDER BY id").compactMap(
                Self.pattern)
        }
    }

    /// The pattern with this id.
    public func pattern(id: Int64) throws -> LearnedPattern? {
        try read { try Self.pattern(id: id, db: $0) }
    }

    static func pattern(id: Int64, db: Database) throws -> LearnedPattern? {
        try Row.fetchOne(db, sql: "SELECT \(patternColumns.joined(separator: ", ")) FROM remediation_patterns WHERE id = ?", arguments: [id]).flatMap(
            pattern)
    }

    static func pattern(key: String, db: Database) throws -> LearnedPattern? {
        try Row.fetchOne(
            db, sql: "SELECT \(patternColumns.joined(separator: ", ")) FROM remediation_patterns WHERE idempotency_key = ?", arguments: [key]
        )
        .flatMap(pattern)
    }

    static func pattern(_ row: Row) -> LearnedPattern? {
        let parts = (try? JSONValue(parsing: row[4] as String))?.arrayValue?.compactMap(\.stringValue) ?? []
        let required = (try? JSONValue(parsing: row[15] as String))?.arrayValue?.compactMap(\.stringValue) ?? []
        guard let actions = PatternDocument.actions(fromJSON: row[5]), let source = LearnedPattern.Source(rawValue: row[10]) else { return nil }
        let alertname: String = row[3]
        return LearnedPattern(
            id: row[0], key: row[1], symptom: SymptomFingerprint(alertname: alertname, parts: parts.isEmpty ? ["alertname=" + alertname] : parts),
            actions: actions, requiredLabels: required, summary: row[14], risk: row[6], successes: row[7], failures: row[8], enabled: row[9],
            source: source, lastUsedAt: (row[11] as String?).flatMap { Timestamp(rfc3339: $0) },
            createdAt: Timestamp(rfc3339: row[12] as String) ?? Timestamp(seconds: 0))
    }

    /// Inserts or updates a pattern (by key); a new one gets its id.
    static func savePattern(_ p: inout LearnedPattern, db: Database, forward: Bool, now: Timestamp) throws {
        if p.id == 0 {
            p.id =
                try Int64.fetchOne(db, sql: "SELECT id FROM remediation_patterns WHERE idempotency_key = ?", arguments: [p.key])
                ?? (try Int64.fetchOne(db, sql: "SELECT coalesce(max(id), 0) + 1 FROM remediation_patterns") ?? 1)
        }
        let parts = JSONValue.array(p.symptom.parts.map(JSONValue.string)).jsonText
        let commands = PatternDocument.actionsJSON(p.actions).jsonText
        let required = JSONValue.array(p.requiredLabels.map(JSONValue.string)).jsonText
        let tier = p.tier(now: now).rawValue
        let values: [(any DatabaseValueConvertible)?] = [
            p.id, p.key, p.symptom.sha256, p.alertname, parts, commands, p.risk, p.successes, p.failures, p.enabled, p.source.rawValue,
            p.lastUsedAt?.rfc3339, p.createdAt.rfc3339, now.rfc3339, p.summary, required, p.commandSet, tier,
        ]
        try upsert(into: "remediation_patterns", columns: patternColumns, keeping: 2, values: values, db: db)
        guard forward else { return }
        try db.execute(
            sql: "INSERT INTO journal (tbl, idempotency_key, json, ref, created_at) VALUES ('remediation_patterns', ?, ?, NULL, ?)",
            arguments: [p.key, patternJSON(p, now: now), now.rfc3339])
    }

    /// A pattern as a `remediation_patterns` row in JSON (PostgreSQL's columns).
    static func patternJSON(_ p: LearnedPattern, now: Timestamp) -> String {
        var w = JSONWriter()
        w.field("idempotency_key", p.key)
        w.field("id", p.id)
        w.field("fingerprint", p.symptom.sha256)
        w.field("alertname", p.alertname)
        w.field("symptom_parts", rawJSON: JSONValue.array(p.symptom.parts.map(JSONValue.string)).jsonText)
        w.field("commands", rawJSON: PatternDocument.actionsJSON(p.actions).jsonText)
        w.field("risk", p.risk)
        w.field("success_count", Int64(p.successes))
        w.field("failure_count", Int64(p.failures))
        w.field("enabled", p.enabled)
        w.field("source", p.source.rawValue)
        w.field("last_used_at", p.lastUsedAt?.rfc3339)
        w.field("created_at", p.createdAt.rfc3339)
        w.field("updated_at", now.rfc3339)
        w.field("summary", p.summary)
        w.field("required_labels", rawJSON: JSONValue.array(p.requiredLabels.map(JSONValue.string)).jsonText)
        w.field("command_set", p.commandSet)
        w.field("tier", Int64(p.tier(now: now).rawValue))
        return w.finish()
    }

    static func recordEvent(_ e: PatternEvent, db: Database, forward: Bool, runner: String) throws {
        try db.execute(
            sql: """
                INSERT OR IGNORE INTO pattern_events (idempotency_key, pattern_id, kind, from_tier, to_tier, remediation_key, recorded_at, runner)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                """,
            arguments: [e.key, e.patternID, e.kind.rawValue, e.fromTier?.rawValue, e.toTier?.rawValue, e.remediationKey, e.at.rfc3339, runner])
        guard forward, db.changesCount > 0 else { return }
        var w = JSONWriter()
        w.field("idempotency_key", e.key)
        w.field("pattern_id", e.patternID)
        w.field("kind", e.kind.rawValue)
        w.field("from_tier", e.fromTier.map { String($0.rawValue) })
        w.field("to_tier", e.toTier.map { String($0.rawValue) })
        w.field("remediation_key", e.remediationKey)
        w.field("recorded_at", e.at.rfc3339)
        w.field("runner", runner)
        try db.execute(
            sql: "INSERT INTO journal (tbl, idempotency_key, json, ref, created_at) VALUES ('pattern_events', ?, ?, NULL, ?)",
            arguments: [e.key, w.finish(), e.at.rfc3339])
    }

    /// Every change recorded for a pattern (nil: all patterns), oldest first.
    public func patternEvents(patternID: Int64? = nil) throws -> [PatternEvent] {
        try read { db in
            try Row.fetchAll(
                db,
                sql:
                    "SELECT idempotency_key, pattern_id, kind, from_tier, to_tier, remediation_key, recorded_at, runner FROM pattern_events WHERE ? IS NULL OR pattern_id = ? ORDER BY id",
                arguments: [patternID, patternID]
            ).compactMap { row in
                guard let kind = PatternEvent.Kind(rawValue: row[2]) else { return nil }
                return PatternEvent(
                    key: row[0], patternID: row[1], kind: kind, fromTier: (row[3] as Int?).flatMap(FixTier.init(rawValue:)),
                    toTier: (row[4] as Int?).flatMap(FixTier.init(rawValue:)), remediationKey: row[5],
                    at: Timestamp(rfc3339: row[6] as String) ?? Timestamp(seconds: 0), runner: row[7] ?? "")
            }
        }
    }

    /// Enables or disables a pattern, with a `pattern_events` row.
    ///
    /// With `forward` (PostgreSQL configured) the change is also queued as the change it is
    /// (`journalPatternCommand`), never as a copy of the row: PostgreSQL applies it to its own
    /// row, whose counts other runners may have taught since this copy was refreshed.
    ///
    /// - Returns: The event, or nil when the pattern was in that state already or does not exist.
    public func setPattern(id: Int64, enabled: Bool, forward: Bool, now: Timestamp, runner: String) throws -> PatternEvent? {
        try write { db in
            guard var pattern = try Self.pattern(id: id, db: db) else { return nil }
            guard pattern.enabled != enabled else { return nil }
            pattern.enabled = enabled
            try Self.savePattern(&pattern, db: db, forward: false, now: now)
            let kind: PatternEvent.Kind = enabled ? .enabled : .disabled
            let event = PatternEvent(
                key: "pattern-event/\(pattern.key)/\(kind.rawValue)/\(now.rfc3339)", patternID: id, kind: kind, fromTier: nil, toTier: nil,
                remediationKey: nil, at: now, runner: runner)
            try Self.recordEvent(event, db: db, forward: false, runner: runner)
            if forward {
                try Self.journalPatternCommand(enabled ? "enable" : "disable", pattern, eventKey: event.key, runner: runner, now: now, db: db)
            }
            return event
        }
    }

    /// Queues a person's change to a pattern for PostgreSQL as a `pattern_commands` row,
    /// which PostgreSQL applies once, when it first arrives: `enable` and `disable` change
    /// `enabled` alone; `import` adds the pattern (`pattern` as the file gave it) or, for one
    /// that exists, its description, and its counts only with `replaceStatistics`.
    static func journalPatternCommand(
        _ kind: String, _ pattern: LearnedPattern, replaceStatistics: Bool = false, eventKey: String, runner: String, now: Timestamp,
        db: Database
    ) throws {
        let key = "pattern-command/\(kind)/\(pattern.key)/\(now.rfc3339)/\(runner)"
        var w = JSONWriter()
        w.field("idempotency_key", key)
        w.field("kind", kind)
        w.field("pattern_key", pattern.key)
        if kind == "import" { w.field("pattern", rawJSON: patternJSON(pattern, now: now)) }
        w.field("replace_statistics", replaceStatistics)
        w.field("event_key", eventKey)
        w.field("runner", runner)
        w.field("recorded_at", now.rfc3339)
        try db.execute(
            sql: "INSERT INTO journal (tbl, idempotency_key, json, ref, created_at) VALUES ('pattern_commands', ?, ?, NULL, ?)",
            arguments: [key, w.finish(), now.rfc3339])
    }

    /// Teaches the patterns every settled outcome (`learning_feedback`) after the cursor, one
    /// transaction per outcome (its counts, events and the cursor together), so a pass killed
    /// at any moment counts each outcome exactly once when it runs again.
    ///
    /// - Parameters:
    ///   - forward: Also queue the rows for PostgreSQL.
    ///   - now: The clock.
    ///   - runner: Recorded with the events.
    ///   - shouldStop: Asked between outcomes.
    public func learn(forward: Bool, now: Timestamp, runner: String, shouldStop: () -> Bool = { false }) throws -> LearnReport {
        try LearnReport.teach(
            step: {
                try write { db -> LearnStep? in
                    let cursor = try Self.learnCursor(db)
                    guard
                        let feedback = try Row.fetchOne(
                            db, sql: "SELECT id, remediation_key, outcome, recorded_at FROM learning_feedback WHERE id > ? ORDER BY id LIMIT 1",
                            arguments: [cursor])
                    else { return nil }
                    let id: Int64 = feedback[0]
                    defer { try? Self.saveState("learn", json: "{\"feedback_id\":\(id)}", at: now, db: db) }
                    guard
                        let row = try Row.fetchOne(
                            db, sql: "SELECT \(Self.remediationColumns.joined(separator: ", ")), id FROM remediation_log WHERE idempotency_key = ?",
                            arguments: [feedback[1] as String])
                    else { return .nothing }
                    let record = try Self.record(row)
                    let labels = try Self.firingLabels(occurrence: record.occurrenceKey, db: db) ?? ["alertname": record.alertname]
                    let outcome = SettledOutcome(
                        remediationKey: record.key, occurrenceKey: record.occurrenceKey, alertKey: record.alertKey, labels: labels,
                        patternID: record.patternID, tier: record.tier, actions: PatternDocument.actions(fromJSON: record.commandsJSON) ?? [],
                        summary: record.planSummary, verified: (feedback[2] as String) == "success",
                        at: Timestamp(rfc3339: feedback[3] as String) ?? now)
                    return try PatternLearning.teach(
                        outcome, now: now, byID: { try Self.pattern(id: $0, db: db) }, byKey: { try Self.pattern(key: $0, db: db) },
                        counted: {
                            try Int.fetchOne(
                                db, sql: "SELECT 1 FROM pattern_evidence WHERE pattern_id = ? AND occurrence_key = ?", arguments: [$0, $1]) != nil
                        }, save: { try Self.savePattern(&$0, db: db, forward: forward, now: now) },
                        record: { pattern, events in
                            try db.execute(
                                sql: "INSERT OR IGNORE INTO pattern_evidence (pattern_id, occurrence_key) VALUES (?, ?)",
                                arguments: [pattern.id, outcome.occurrenceKey])
                            for event in events { try Self.recordEvent(event, db: db, forward: forward, runner: runner) }
                        })
                }
            },
            pending: {
                try read { db in
                    try Int.fetchOne(db, sql: "SELECT 1 FROM learning_feedback WHERE id > ? LIMIT 1", arguments: [try Self.learnCursor(db)]) != nil
                }
            }, shouldStop: shouldStop)
    }

    static func learnCursor(_ db: Database) throws -> Int64 {
        guard let json = try String.fetchOne(db, sql: "SELECT json FROM state WHERE name = 'learn'") else { return 0 }
        return (try? JSONValue(parsing: json))?["feedback_id"]?.intValue.map(Int64.init) ?? 0
    }

    static func firingLabels(occurrence: String, db: Database) throws -> [String: String]? {
        let key = occurrence + "/firing"
        return try String.fetchOne(
            db, sql: "SELECT labels FROM alert_events WHERE key_hash = ? AND idempotency_key = ?", arguments: [AlertEventKeyHash.of(key), key]
        ).map { Self.stringObject($0) }
    }

    /// The command sets that failed for an alert key (the command ran and failed, or the alert
    /// did not resolve after it), with how often.
    public func failedCommandSets(alertKey: String) throws -> [FailedCommandSet] {
        let lists = try read { db in
            try String.fetchAll(
                db,
                sql:
                    "SELECT commands FROM remediation_log WHERE alert_key = ? AND (verification = 'failed' OR outcome = 'failed') AND commands != '[]' ORDER BY id",
                arguments: [alertKey])
        }
        return FailedCommandSet.tally(lists)
    }

    /// Records one actionable occurrence's symptom in `alert_fingerprints` (a new row, or one
    /// more occurrence of a known one).
    public func recordFingerprint(_ symptom: SymptomFingerprint, forward: Bool, now: Timestamp) throws {
        try write { db in
            let parts = JSONValue.array(symptom.parts.map(JSONValue.string)).jsonText
            try db.execute(
                sql: """
                    INSERT INTO alert_fingerprints (idempotency_key, sha256, alertname, parts, first_seen_at, last_seen_at, occurrences, updated_at)
                    VALUES (?, ?, ?, ?, ?, ?, 1, ?)
                    ON CONFLICT (sha256) DO UPDATE SET occurrences = occurrences + 1, last_seen_at = excluded.last_seen_at, updated_at = excluded.updated_at
                    """,
                arguments: ["fingerprint/" + symptom.sha256, symptom.sha256, symptom.alertname, parts, now.rfc3339, now.rfc3339, now.rfc3339])
            guard forward,
                let row = try Row.fetchOne(
                    db, sql: "SELECT idempotency_key, first_seen_at, last_seen_at, occurrences FROM alert_fingerprints WHERE sha256 = ?",
                    arguments: [symptom.sha256])
            else { return }
            var w = JSONWriter()
            w.field("idempotency_key", row[0] as String)
            w.field("sha256", symptom.sha256)
            w.field("alertname", symptom.alertname)
            w.field("parts", rawJSON: parts)
            w.field("first_seen_at", row[1] as String)
            w.field("last_seen_at", row[2] as String)
            w.field("occurrences", row[3] as Int64)
            w.field("updated_at", now.rfc3339)
            try db.execute(
                sql: "INSERT INTO journal (tbl, idempotency_key, json, ref, created_at) VALUES ('alert_fingerprints', ?, ?, NULL, ?)",
                arguments: [row[0] as String, w.finish(), now.rfc3339])
        }
    }

    /// Stores imported patterns in one transaction: all or none.
    ///
    /// A pattern whose key exists already keeps its statistics unless `replaceStatistics`
    /// is set (then its counts and dates are the file's), and its enabled state (`setPattern`
    /// changes that); its description is the file's. With `forward` each pattern is also
    /// queued for PostgreSQL as an import (`journalPatternCommand`), which applies the same
    /// rule to PostgreSQL's row.
    ///
    /// - Returns: How many patterns were new and how many existed already.
    public func importPatterns(_ patterns: [LearnedPattern], replaceStatistics: Bool, forward: Bool, now: Timestamp, runner: String) throws -> (
        added: Int, updated: Int
    ) {
        try write { db in
            var added = 0
            var updated = 0
            for var pattern in patterns {
                let file = pattern
                let existing = try Self.pattern(key: pattern.key, db: db)
                if let existing {
                    pattern.id = existing.id
                    pattern.enabled = existing.enabled
                    if !replaceStatistics {
                        pattern.successes = existing.successes
                        pattern.failures = existing.failures
                        pattern.lastUsedAt = existing.lastUsedAt
                        pattern.createdAt = existing.createdAt
                    }
                    updated += 1
                } else {
                    pattern.id = 0
                    added += 1
                }
                try Self.savePattern(&pattern, db: db, forward: false, now: now)
                let event = PatternEvent(
                    key: "pattern-event/\(pattern.key)/learned/import/\(now.rfc3339)", patternID: pattern.id, kind: .learned, fromTier: nil,
                    toTier: pattern.tier(now: now), remediationKey: nil, at: now, runner: runner)
                if existing == nil { try Self.recordEvent(event, db: db, forward: false, runner: runner) }
                if forward {
                    var sent = file
                    sent.id = pattern.id
                    try Self.journalPatternCommand(
                        "import", sent, replaceStatistics: replaceStatistics, eventKey: event.key, runner: runner, now: now, db: db)
                }
            }
            return (added, updated)
        }
    }
}
