/// One alert occurrence in one status, as recorded in `alert_events`: the row that makes
/// an Alertmanager delivery durable.
public struct AlertEvent: Sendable, Equatable {
    public var alert: Alert
    public var receiver: String
    public var groupKey: String
    public var externalURL: String
    /// SHA-256 of the spool file the alert came in.
    public var sourceSHA256: String
    public var receivedAt: Timestamp
    /// Which jarvis runner recorded it (host name), for setups with several runners.
    public var runner: String
    /// What triage decided for it; nil until triaged.
    public var decision: RecordedDecision?

    public init(
        alert: Alert, receiver: String, groupKey: String, externalURL: String, sourceSHA256: String, receivedAt: Timestamp,
        runner: String
    ) {
        self.alert = alert
        self.receiver = receiver
        self.groupKey = groupKey
        self.externalURL = externalURL
        self.sourceSHA256 = sourceSHA256
        self.receivedAt = receivedAt
        self.runner = runner
    }

    /// The events one webhook body yields, in order, with duplicates inside the body
    /// (Alertmanager resends, hand-made payloads) removed.
    public static func events(
        from webhook: AlertmanagerWebhook, sourceSHA256: String, receivedAt: Timestamp, runner: String
    ) -> [AlertEvent] {
        var seen = Set<String>()
        var events: [AlertEvent] = []
        events.reserveCapacity(webhook.alerts.count)
        for alert in webhook.alerts {
            let event = AlertEvent(
                alert: alert, receiver: webhook.receiver, groupKey: webhook.groupKey ?? "", externalURL: webhook.externalURL,
                sourceSHA256: sourceSHA256, receivedAt: receivedAt, runner: runner)
            if seen.insert(event.idempotencyKey).inserted { events.append(event) }
        }
        return events
    }

    /// The name of the table in both stores.
    public static let table = "alert_events"

    /// `fingerprint@startsAt/status`: unique in `alert_events`.
    public var idempotencyKey: String { alert.occurrence.idempotencyKey(status: alert.status) }

    /// The row's column values, each computed once.
    public var row: AlertEventRow { AlertEventRow(self) }

    /// The row as one JSON object whose keys are `alert_events` columns.
    public var json: String { row.json }
}

/// The column values of one `alert_events` row, as text, in column order.
public struct AlertEventRow: Sendable, Equatable {
    /// Column names, in the order of `values`.
    public static let columns = [
        "idempotency_key", "fingerprint", "sender_fingerprint", "alertname", "alert_key", "status", "starts_at", "ends_at", "labels",
        "annotations", "receiver", "group_key", "external_url", "generator_url", "source_sha256", "received_at", "runner",
        "decision", "decision_reason", "root_cause", "maintenance_window_id", "maintenance_window_key",
    ]
    /// Indexes of the columns holding JSON objects (`labels`, `annotations`).
    static let objectColumns: Set<Int> = [8, 9]

    /// One value per column; nil is SQL NULL.
    public var values: [String?]

    public var idempotencyKey: String { values[0] ?? "" }

    /// A row read back from a store, values in `columns` order.
    public init(values: [String?]) {
        precondition(values.count == Self.columns.count, "alert_events has \(Self.columns.count) columns")
        self.values = values
    }

    public init(_ event: AlertEvent) {
        let alert = event.alert
        let fingerprint = alert.fingerprint
        let startsAt = alert.startsAt.rfc3339
        values = [
            alert.occurrence.idempotencyKey(status: alert.status), fingerprint, alert.senderFingerprint, alert.alertname,
            alert.alertKey.description, alert.status.rawValue, startsAt, alert.endsAt?.rfc3339, JSONWriter.object(alert.labels),
            JSONWriter.object(alert.annotations), event.receiver, event.groupKey, event.externalURL, alert.generatorURL,
            event.sourceSHA256, event.receivedAt.rfc3339, event.runner, event.decision?.kind, event.decision?.reason,
            // The window's key is the journal's to fill in: it stores the key of the window whose
            // local id the decision names.
            event.decision?.rootCause, event.decision?.maintenanceWindowID.map(String.init), nil,
        ]
    }

    /// The row as one JSON object whose keys are the column names.
    public var json: String {
        var w = JSONWriter()
        for (index, name) in Self.columns.enumerated() {
            if Self.objectColumns.contains(index), let object = values[index] {
                w.field(name, rawJSON: object)
            } else {
                w.field(name, values[index])
            }
        }
        return w.finish()
    }
}
