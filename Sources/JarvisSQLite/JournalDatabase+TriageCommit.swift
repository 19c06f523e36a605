import GRDB
import JarvisCore

extension JournalDatabase {
    /// The end of a run's triage, in one transaction: expires windows whose end passed,
    /// adds suppressions to window counters, records decisions about re-evaluated alerts,
    /// writes the run's last triage rows (and drops expired ones), and saves the triage state
    /// document built by `document` from the cursor (the highest `alert_events.id`, i.e.
    /// everything recorded so far is folded into it); the document commits the rows.
    /// - Returns: the windows that expired now.
    public func commitTriage(
        windowHits: [Int64: Int], redecisions: [Redecision], runner: String, now: Timestamp, forward: Bool,
        updating documents: [String: (String?) throws -> String] = [:], triageRows: TriageRowCommit? = nil,
        document: (Int64) throws -> String
    ) throws -> [MaintenanceWindow] {
        try write { db in
            if let triageRows {
                try Self.writeTriageRows(triageRows.rows, generation: triageRows.generation, db: db)
                if triageRows.prune { _ = try Self.pruneTriageRows(now: now, committed: triageRows.generation, db: db) }
            }
            for (name, update) in documents.sorted(by: { $0.key < $1.key }) {
                let current = try String.fetchOne(db, sql: "SELECT json FROM state WHERE name = ?", arguments: [name])
                try Self.saveState(name, json: try update(current), at: now, db: db)
            }
            let expired = try Self.expireMaintenance(db: db, now: now, forward: forward)
            try Self.addSuppressions(windowHits, db: db, now: now, forward: forward)
            for redecision in redecisions {
                try Self.recordDecision(redecision, decidedAt: now, runner: runner, db: db, forward: forward, created: now.rfc3339)
            }
            let cursor = try Int64.fetchOne(db, sql: "SELECT max(id) FROM alert_events") ?? 0
            try Self.saveState("triage", json: try document(cursor), at: now, db: db)
            return expired
        }
    }

}
