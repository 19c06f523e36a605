import Foundation
import GRDB
import JarvisCore

extension JournalDatabase {
    /// The notifications received in [from, to), in arrival order, with the decisions and
    /// remediation tiers recorded for them. Read only.
    public func history(from: Timestamp, to: Timestamp, limit: Int = 1_000_000) throws -> [RecordedNotification] {
        try read { db in
            let attempts = try Row.fetchAll(
                db, sql: "SELECT occurrence_key, tier, llm_tokens_in + llm_tokens_out FROM remediation_log WHERE intent_at >= ? ORDER BY id",
                arguments: [from.rfc3339])
            var byOccurrence: [String: (Int, Int)] = [:]
            for row in attempts where byOccurrence[row[0] as String] == nil { byOccurrence[row[0]] = (row[1], row[2]) }
            let rows = try Row.fetchCursor(
                db, sql: Self.alertEventQuery("e.decision", "WHERE d.received_at >= ? AND d.received_at < ? ORDER BY d.received_at, e.id LIMIT ?"),
                arguments: [from.rfc3339, to.rfc3339, limit])
            var out: [RecordedNotification] = []
            while let row = try rows.next() {
                guard let event = Self.alertEvent(row) else { continue }
                let alert = event.alert
                let attempt = alert.status == .firing ? byOccurrence.removeValue(forKey: alert.occurrence.description) : nil
                out.append(RecordedNotification(event: event, decision: row[13], tier: attempt?.0, tokens: attempt?.1 ?? 0))
            }
            return out
        }
    }
}
