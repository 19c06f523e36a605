import Foundation
import GRDB
import JarvisCore

extension JournalDatabase {
    /// Alert events recorded after `id` that carry a triage decision, in order, as events
    /// (for triaging an interrupted run's rows again); at most `limit`. Rows recorded before
    /// triage existed have no decision and are left alone.
    public func alertEvents(after id: Int64, limit: Int = 2000) throws -> [(id: Int64, event: AlertEvent)] {
        try read { db in
            let rows = try Row.fetchCursor(
                db, sql: Self.alertEventQuery("e.id", "WHERE e.id > ? AND e.decision IS NOT NULL ORDER BY e.id LIMIT ?"), arguments: [id, limit])
            var events: [(id: Int64, event: AlertEvent)] = []
            while let row = try rows.next() {
                if let event = Self.alertEvent(row) { events.append((row[13], event)) }
            }
            return events
        }
    }

    /// A query of events joined to their deliveries whose rows `alertEvent(_:)` reads: its 13
    /// columns first, then `extra` (column 13), then `clause` (WHERE, ORDER BY, LIMIT).
    static func alertEventQuery(_ extra: String, _ clause: String) -> String {
        """
        SELECT e.status, e.labels, e.annotations, e.starts_at, e.ends_at, e.generator_url, e.sender_fingerprint,
               d.receiver, d.group_key, d.external_url, d.source_sha256, d.received_at, d.runner, \(extra)
        FROM alert_events e JOIN deliveries d ON d.id = e.delivery_id
        \(clause)
        """
    }

    /// The event of a row whose first 13 columns are, in order, status, labels, annotations,
    /// starts_at, ends_at, generator_url, sender_fingerprint, and the delivery's receiver,
    /// group_key, external_url, source_sha256, received_at and runner (`alertEventQuery`); nil
    /// for a row that cannot be read.
    static func alertEvent(_ row: Row) -> AlertEvent? {
        guard let status = AlertStatus(rawValue: row[0]), let startsAt = Timestamp(rfc3339: row[3] as String),
            let receivedAt = Timestamp(rfc3339: row[11] as String)
        else { return nil }
        let alert = Alert(
            status: status, labels: Self.stringObject(row[1]), annotations: Self.stringObject(row[2]), startsAt: startsAt,
            endsAt: (row[4] as String?).flatMap { Timestamp(rfc3339: $0) }, generatorURL: row[5], senderFingerprint: row[6])
        return AlertEvent(
            alert: alert, receiver: row[7], groupKey: row[8], externalURL: row[9], sourceSHA256: row[10], receivedAt: receivedAt, runner: row[12])
    }

    static func stringObject(_ json: String?) -> [String: String] {
        guard let json, let object = try? JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any] else { return [:] }
        return object.compactMapValues { $0 as? String }
    }

    /// The tables of the local schema.
    public static let tables: Set<String> = [
        "alert_events", "deliveries", "journal", "state", "remediation_log", "remediation_patterns", "alert_fingerprints", "learning_feedback",
        "host_status_log", "maintenance_windows", "triage_decisions", "notification_outbox", "pattern_events", "pattern_evidence",
    ]

    /// Rows in a local table (for status and tests). `table` must be a known table.
    public func count(_ table: String) throws -> Int {
        guard JournalDatabase.tables.contains(table) else {
            throw JournalError("unknown table \(table)")
        }
        return try pool.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM \(table)") ?? 0 }
    }
}
