import Foundation
import GRDB
import JarvisCore

extension JournalDatabase {
    // MARK: Alert events

    /// Records the events of one spool file in one transaction. See `recordFiles`.
    public func record(_ events: [AlertEvent], forward: Bool, now: Timestamp) throws -> RecordResult {
        try recordFiles([events], forward: forward, now: now)[0]
    }

    /// Records the events of several spool files in one transaction (group commit): every
    /// file's rows are committed together, and synced before this returns, so each file may
    /// be deleted afterwards.
    ///
    /// Each event is inserted unless its idempotency key is already present (found through
    /// `key_hash`, then compared as text). The first new event of a file adds the file's
    /// `deliveries` row. With `forward` true (PostgreSQL configured), every newly inserted
    /// event also gets a journal row in the same transaction. An event a maintenance window
    /// held back records the window's key as well as its local id.
    /// - Returns: per file, how many events were new and how many were already known.
    public func recordFiles(
        _ files: [[AlertEvent]], forward: Bool, now: Timestamp, triageRows: [TriageStateRow] = [], generation: Int64 = 0
    ) throws -> [RecordResult] {
        try record(files.map { $0.map(PreparedEvent.init) }, forward: forward, now: now, triageRows: triageRows, generation: generation)
    }

    /// An event with the text its row needs (key, hash, times, labels and annotations as
    /// JSON), built before the write transaction so that the transaction only binds and steps.
    struct PreparedEvent {
        let event: AlertEvent
        let key: String
        let hash: Int64
        let startsAt: String
        let endsAt: String?
        let labels: String
        let annotations: String
        let alertKey: String

        init(_ event: AlertEvent) {
            self.event = event
            let alert = event.alert
            startsAt = alert.startsAt.rfc3339
            key = event.idempotencyKey
            hash = AlertEventKeyHash.of(key)
            endsAt = alert.endsAt?.rfc3339
            labels = JSONWriter.object(alert.labels)
            annotations = JSONWriter.object(alert.annotations)
            alertKey = alert.alertKey.description
        }
    }

    func record(
        _ files: [[PreparedEvent]], forward: Bool, now: Timestamp, triageRows: [TriageStateRow], generation: Int64
    ) throws -> [RecordResult] {
        try pool.write { db in
            try Self.writeTriageRows(triageRows, generation: generation, db: db)
            let find = SQLiteBinding.RawStatement(
                try db.cachedStatement(sql: "SELECT idempotency_key FROM alert_events WHERE key_hash = ?"), db)
            let insertDelivery = SQLiteBinding.RawStatement(
                try db.cachedStatement(
                    sql: """
                        INSERT INTO deliveries (receiver, group_key, external_url, source_sha256, received_at, runner)
                        VALUES (?, ?, ?, ?, ?, ?)
                        """), db)
            let insertEvent = SQLiteBinding.RawStatement(
                try db.cachedStatement(
                    sql: """
                        INSERT INTO alert_events (
                            key_hash, idempotency_key, delivery_id, fingerprint, sender_fingerprint, alertname, alert_key, status,
                            starts_at, ends_at, labels, annotations, generator_url, decision, decision_reason, root_cause,
                            maintenance_window_id, maintenance_window_key)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?17,
                                (SELECT idempotency_key FROM maintenance_windows WHERE id = ?17))
                        """), db)
            let insertJournal = SQLiteBinding.RawStatement(
                try db.cachedStatement(
                    sql: "INSERT INTO journal (tbl, idempotency_key, json, ref, created_at) VALUES ('alert_events', '', NULL, ?, ?)"),
                db)
            let created = now.rfc3339
            var results: [RecordResult] = []
            results.reserveCapacity(files.count)
            for events in files {
                var result = RecordResult()
                result.isNew.reserveCapacity(events.count)
                // The delivery row of the events before; a file's events share one.
                var delivery: (id: Int64, of: AlertEvent)?
                for prepared in events {
                    let event = prepared.event
                    let alert = event.alert
                    var key = prepared.key
                    let hash = prepared.hash
                    find.reset()
                    try find.bind(1, hash)
                    var known = false
                    while !known, try find.step() { known = find.column(0, equals: &key) }
                    find.reset()
                    if known {
                        result.duplicates += 1
                        result.isNew.append(false)
                        if let decision = event.decision, decision.kind != TriageDecision.deduplicated.kind {
                            try Self.recordRedecision(event, decision, db: db, forward: forward, created: created)
                        }
                        continue
                    }
                    if delivery == nil || !Self.sameDelivery(delivery!.of, event) {
                        insertDelivery.reset()
                        try insertDelivery.bind(1, event.receiver)
                        try insertDelivery.bind(2, event.groupKey)
                        try insertDelivery.bind(3, event.externalURL)
                        try insertDelivery.bind(4, event.sourceSHA256)
                        try insertDelivery.bind(5, event.receivedAt.rfc3339)
                        try insertDelivery.bind(6, event.runner)
                        try insertDelivery.run()
                        delivery = (db.lastInsertedRowID, event)
                    }
                    insertEvent.reset()
                    try insertEvent.bind(1, hash)
                    try insertEvent.bind(2, key)
                    try insertEvent.bind(3, delivery!.id)
                    try insertEvent.bind(4, alert.fingerprint)
                    try insertEvent.bind(5, alert.senderFingerprint)
                    try insertEvent.bind(6, alert.alertname)
                    try insertEvent.bind(7, prepared.alertKey)
                    try insertEvent.bind(8, alert.status.rawValue)
                    try insertEvent.bind(9, prepared.startsAt)
                    try insertEvent.bind(10, prepared.endsAt)
                    try insertEvent.bind(11, prepared.labels)
                    try insertEvent.bind(12, prepared.annotations)
                    try insertEvent.bind(13, alert.generatorURL)
                    try insertEvent.bind(14, event.decision?.kind)
                    try insertEvent.bind(15, event.decision?.reason)
                    try insertEvent.bind(16, event.decision?.rootCause)
                    try insertEvent.bind(17, event.decision?.maintenanceWindowID)
                    try insertEvent.run()
                    result.inserted += 1
                    result.isNew.append(true)
                    if forward {
                        insertJournal.reset()
                        try insertJournal.bind(1, db.lastInsertedRowID)
                        try insertJournal.bind(2, created)
                        try insertJournal.run()
                    }
                }
                results.append(result)
            }
            return results
        }
    }

    static func sameDelivery(_ a: AlertEvent, _ b: AlertEvent) -> Bool {
        a.receivedAt == b.receivedAt && a.sourceSHA256 == b.sourceSHA256 && a.receiver == b.receiver && a.groupKey == b.groupKey
            && a.externalURL == b.externalURL && a.runner == b.runner
    }
}
