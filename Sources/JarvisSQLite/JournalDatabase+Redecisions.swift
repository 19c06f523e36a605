import GRDB
import JarvisCore

extension JournalDatabase {
    /// Records a later decision about an event already stored (the same occurrence and
    /// status, notified again after the dedup cooldown) in `triage_decisions`.
    static func recordRedecision(
        _ event: AlertEvent, _ decision: RecordedDecision, db: Database, forward: Bool, created: String
    ) throws {
        try recordDecision(
            Redecision(eventKey: event.idempotencyKey, alertKey: event.alert.alertKey.description, decision: decision),
            decidedAt: event.receivedAt, runner: event.runner, db: db, forward: forward, created: created)
    }

    static func recordDecision(
        _ redecision: Redecision, decidedAt: Timestamp, runner: String, db: Database, forward: Bool, created: String
    ) throws {
        let decision = redecision.decision
        let decided = decidedAt.rfc3339
        let key = "\(redecision.eventKey)#\(decided)"
        try db.execute(
            sql: """
                INSERT OR IGNORE INTO triage_decisions
                    (idempotency_key, event_key, alert_key, decision, decision_reason, root_cause, maintenance_window_id, decided_at, runner)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                """,
            arguments: [
                key, redecision.eventKey, redecision.alertKey, decision.kind, decision.reason, decision.rootCause,
                decision.maintenanceWindowID, decided, runner,
            ])
        guard forward, db.changesCount > 0 else { return }
        var w = JSONWriter()
        w.field("idempotency_key", key)
        w.field("event_key", redecision.eventKey)
        w.field("alert_key", redecision.alertKey)
        w.field("decision", decision.kind)
        w.field("decision_reason", decision.reason)
        w.field("root_cause", decision.rootCause)
        w.field("maintenance_window_id", decision.maintenanceWindowID.map(String.init))
        w.field("decided_at", decided)
        w.field("runner", runner)
        try db.execute(
            sql: "INSERT INTO journal (tbl, idempotency_key, json, ref, created_at) VALUES ('triage_decisions', ?, ?, NULL, ?)",
            arguments: [key, w.finish(), created])
    }
}
