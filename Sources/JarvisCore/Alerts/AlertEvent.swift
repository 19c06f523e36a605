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

    /// The row as one JSON object whose keys are `alert_events` columns.
    public var json: String {
        var w = JSONWriter()
        w.field("idempotency_key", idempotencyKey)
        w.field("fingerprint", alert.fingerprint)
        w.field("sender_fingerprint", alert.senderFingerprint)
        w.field("alertname", alert.alertname)
        w.field("alert_key", alert.alertKey.description)
        w.field("status", alert.status.rawValue)
        w.field("starts_at", alert.startsAt.rfc3339)
        w.field("ends_at", alert.endsAt?.rfc3339)
        w.field("labels", object: alert.labels)
        w.field("annotations", object: alert.annotations)
        w.field("receiver", receiver)
        w.field("group_key", groupKey)
        w.field("external_url", externalURL)
        w.field("generator_url", alert.generatorURL)
        w.field("source_sha256", sourceSHA256)
        w.field("received_at", receivedAt.rfc3339)
        w.field("runner", runner)
        return w.finish()
    }
}
