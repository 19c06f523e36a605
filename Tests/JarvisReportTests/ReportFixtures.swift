import Foundation
import GRDB
import JarvisCore
import JarvisSQLite
import JarvisTestSupport

/// A week of rows with hand-checked figures (ISO week 2026-W49 in UTC: Monday 2026-11-30 to
/// Monday 2026-12-07), written through the journal's own APIs so that the same rows reach
/// PostgreSQL through the journal, as in production.
enum ReportFixtures {
    static let utc = TimeZone(identifier: "UTC")!
    static func at(_ text: String) -> Timestamp { Timestamp(rfc3339: text)! }

    static func week() throws -> ReportPeriod {
        try ReportPeriod.parse(week: "2026-W49", since: nil, until: nil, now: at("2026-12-10T00:00:00Z"), timeZone: utc)
    }

    static func event(
        _ alertname: String, host: String, status: AlertStatus, startsAt: String, endsAt: String? = nil, decision: String,
        summary: String = "fixture",
        window: Int64? = nil, runner: String = "runner-a"
    ) -> AlertEvent {
        let alert = Alert(
            status: status, labels: ["alertname": alertname, "instance": "\(host):9100", "severity": "warning"], annotations: ["summary": summary],
            startsAt: at(startsAt), endsAt: endsAt.map(at))
        var event = AlertEvent(
            alert: alert, receiver: "jarvis", groupKey: "{}", externalURL: "", sourceSHA256: String(repeating: "ab", count: 32),
            receivedAt: endsAt.map(at) ?? at(startsAt), runner: runner)
        event.decision = RecordedDecision(kind: decision, reason: "fixture", maintenanceWindowID: window)
        return event
    }

    static func alertKey(_ alertname: String, host: String) -> String {
        event(alertname, host: host, status: .firing, startsAt: "2026-12-01T00:00:00Z", decision: "actionable").alert.alertKey.description
    }

    /// The occurrence key (`fingerprint@starts_at`) of `alertname` on `host` starting at `startsAt`.
    static func occurrence(_ alertname: String, host: String, startsAt: String) -> String {
        event(alertname, host: host, status: .firing, startsAt: startsAt, decision: "actionable").alert.occurrence.description
    }

    static let commandsX = #"[{"action":"restart_service","argv":["systemctl","restart","nginx"],"parameters":{"unit":"nginx"}}]"#

    /// Writes the hand-checked week into `journal` (with journal rows for PostgreSQL).
    static func writeWeek(_ journal: JournalDatabase) throws {
        let now = at("2026-12-07T01:00:00Z")
        // Maintenance: web1 for two hours on Wednesday, its counter at 3; an older one outside.
        // The HighCPU event below names the first window as the one that held it back.
        let window = try journal.startMaintenance(
            host: "web1", reason: "disk swap", author: "ops", startsAt: at("2026-12-02T08:00:00Z"), endsAt: at("2026-12-02T10:00:00Z"), forward: true,
            runner: "runner-a")
        try journal.write { db in try JournalDatabase.addSuppressions([window.id: 3], db: db, now: at("2026-12-02T09:00:00Z"), forward: true) }
        _ = try journal.startMaintenance(
            host: nil, reason: "router", author: "ops", startsAt: at("2026-11-20T08:00:00Z"), endsAt: at("2026-11-20T10:00:00Z"), forward: true,
            runner: "runner-a")

        var events: [AlertEvent] = []
        // DiskFull on web1: a new occurrence on each of four days, resolved after 1, 2, 3, 4 hours.
        for (day, hours) in [(30, 1), (1, 2), (2, 3), (3, 4)] {
            let date = day == 30 ? "2026-11-30" : "2026-12-0\(day)"
            let start = "\(date)T10:00:00Z"
            let end = "\(date)T1\(hours):00:00Z"
            events.append(event("DiskFull", host: "web1", status: .firing, startsAt: start, decision: "actionable"))
            events.append(event("DiskFull", host: "web1", status: .resolved, startsAt: start, endsAt: end, decision: "resolved"))
        }
        // HighCPU on db1: fires from Saturday 22:00 to after the end of the week (26 h inside).
        events.append(
            event("HighCPU", host: "db1", status: .firing, startsAt: "2026-12-05T22:00:00Z", decision: "suppressed:maintenance", window: window.id))
        // Before the week, resolved before it too: not counted.
        events.append(event("DiskFull", host: "web1", status: .firing, startsAt: "2026-11-29T10:00:00Z", decision: "actionable"))
        events.append(
            event("DiskFull", host: "web1", status: .resolved, startsAt: "2026-11-29T10:00:00Z", endsAt: "2026-11-29T11:00:00Z", decision: "resolved")
        )
        _ = try journal.record(events, forward: true, now: now)

        let key = alertKey("DiskFull", host: "web1")
        func remediation(
            _ n: Int, tier: Int, at intent: String, outcome: RemediationOutcome, verification: VerificationVerdict, tokensIn: Int = 0,
            tokensOut: Int = 0,
            cost: Double = 0, escalated: Bool = false, error: String? = nil, commands: String = "[]", occurrence: String? = nil
        ) throws {
            let record = RemediationRecord(
                key: "remediation/fixture#\(n)", occurrenceKey: occurrence ?? "occ-\(n)", alertKey: key, alertname: "DiskFull", host: "web1",
                tier: tier,
                commandsJSON: commands, intentAt: at(intent), outcome: outcome, outcomeAt: at(intent).adding(seconds: 60), verification: verification,
                tokensIn: tokensIn, tokensOut: tokensOut, costUSD: cost, escalated: escalated, error: error, runner: "runner-a")
            _ = try journal.recordIntent(record, forward: true, now: at(intent))
        }
        // The first three answer the DiskFull occurrences of their day (resolved after 1, 2 and
        // 3 hours); the fourth names no stored occurrence.
        func disk(_ date: String) -> String { occurrence("DiskFull", host: "web1", startsAt: "\(date)T10:00:00Z") }
        try remediation(1, tier: 1, at: "2026-11-30T10:01:00Z", outcome: .succeeded, verification: .verified, occurrence: disk("2026-11-30"))
        try remediation(
            2, tier: 3, at: "2026-12-01T10:01:00Z", outcome: .succeeded, verification: .verified, tokensIn: 1000, tokensOut: 200, cost: 0.03,
            occurrence: disk("2026-12-01"))
        try remediation(
            3, tier: 3, at: "2026-12-02T10:01:00Z", outcome: .succeeded, verification: .failed, tokensIn: 500, tokensOut: 100, cost: 0.01,
            commands: commandsX, occurrence: disk("2026-12-02"))
        try remediation(
            4, tier: 3, at: "2026-12-03T10:01:00Z", outcome: .failed, verification: .notApplicable, error: "LLM diagnosis failed: timeout",
            commands: commandsX)
        try remediation(
            5, tier: 2, at: "2026-12-05T22:01:00Z", outcome: .escalated, verification: .notApplicable, tokensIn: 300, tokensOut: 50,
            cost: 0.02, escalated: true)
        try remediation(6, tier: 1, at: "2026-11-29T10:01:00Z", outcome: .succeeded, verification: .verified)  // before the week

        // Host transitions: db1 down 2 h (offline → checking → online), web1 down for the last
        // hour, nas down across the start (1 h inside), and an older nas episode outside.
        let transitions: [(String, String, String, String)] = [
            ("nas", "online", "offline", "2026-11-28T10:00:00Z"), ("nas", "offline", "online", "2026-11-28T12:00:00Z"),
            ("nas", "online", "offline", "2026-11-29T23:00:00Z"), ("nas", "offline", "online", "2026-11-30T01:00:00Z"),
            ("db1", "online", "offline", "2026-12-04T12:00:00Z"), ("db1", "offline", "checking", "2026-12-04T13:00:00Z"),
            ("db1", "checking", "online", "2026-12-04T14:00:00Z"), ("web1", "online", "offline", "2026-12-06T23:00:00Z"),
        ]
        let rows = transitions.map { host, from, to, time in
            var writer = JSONWriter()
            writer.field("idempotency_key", "host-status:\(host):\(time):\(to)")
            writer.field("host", host)
            writer.field("from_state", from)
            writer.field("to_state", to)
            writer.field("error", nil as String?)
            writer.field("consecutive_failures", Int64(0))
            writer.field("last_success_at", nil as String?)
            writer.field("changed_at", time)
            writer.field("runner", "runner-a")
            return JournalAppend(table: "host_status_log", idempotencyKey: "host-status:\(host):\(time):\(to)", json: writer.finish())
        }
        try journal.updateState("report-fixture", now: now) { _ in JournalStateChange(json: nil, rows: rows, localRows: rows) }

        // Learning: two patterns learned, one promoted, one demoted in the week; one learned before.
        let events2: [(Int, String, String)] = [
            (1, "learned", "2026-12-01T12:00:00Z"), (2, "learned", "2026-12-02T12:00:00Z"), (1, "promoted", "2026-12-04T12:00:00Z"),
            (2, "demoted", "2026-12-05T12:00:00Z"), (3, "learned", "2026-11-25T12:00:00Z"),
        ]
        for (pattern, kind, time) in events2 { try patternEvent(journal, pattern: pattern, kind: kind, at: time) }

        // Journal traffic: a good flush of 10, two failing ones (5 then 8 waiting), a good flush of 8.
        try journal.recordJournalActivity(at: at("2026-12-01T00:00:00Z"), drained: 10, depthBefore: 10, depthAfter: 0, degraded: false)
        try journal.recordJournalActivity(at: at("2026-12-02T00:00:00Z"), drained: 0, depthBefore: 5, depthAfter: 5, degraded: true)
        try journal.recordJournalActivity(at: at("2026-12-02T06:00:00Z"), drained: 0, depthBefore: 8, depthAfter: 8, degraded: true)
        try journal.recordJournalActivity(at: at("2026-12-02T12:00:00Z"), drained: 8, depthBefore: 8, depthAfter: 0, degraded: false)
    }

    /// A `pattern_events` row, locally and as a journal row for PostgreSQL.
    static func patternEvent(_ journal: JournalDatabase, pattern: Int, kind: String, at time: String) throws {
        let key = "pattern:\(pattern):\(kind):\(time)"
        try journal.write { db in
            try db.execute(
                sql: "INSERT INTO pattern_events (idempotency_key, pattern_id, kind, recorded_at, runner) VALUES (?, ?, ?, ?, 'runner-a')",
                arguments: [key, pattern, kind, time])
        }
        var writer = JSONWriter()
        writer.field("idempotency_key", key)
        writer.field("pattern_id", Int64(pattern))
        writer.field("kind", kind)
        writer.field("recorded_at", time)
        writer.field("runner", "runner-a")
        try journal.append([(table: "pattern_events", idempotencyKey: key, json: writer.finish())], now: at(time))
    }
}
