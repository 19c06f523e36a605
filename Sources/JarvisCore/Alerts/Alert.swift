/// One alert as jarvis sees it, decoded from an Alertmanager webhook.
public struct Alert: Sendable, Equatable {
    /// This alert's own status (not the group's).
    public var status: AlertStatus
    public var labels: [String: String] {
        didSet { fingerprint = LabelFingerprint.compute(labels) }
    }
    public var annotations: [String: String]
    public var startsAt: Timestamp
    /// nil when Alertmanager sent nothing or Go's zero time.
    public var endsAt: Timestamp?
    public var generatorURL: String
    /// The fingerprint as the sender wrote it; may be empty, missing, or (in hand-made
    /// payloads) shared by different label sets. jarvis does not trust it: see `fingerprint`.
    public var senderFingerprint: String

    public init(
        status: AlertStatus, labels: [String: String], annotations: [String: String] = [:], startsAt: Timestamp,
        endsAt: Timestamp? = nil, generatorURL: String = "", senderFingerprint: String = ""
    ) {
        self.status = status
        self.labels = labels
        self.fingerprint = LabelFingerprint.compute(labels)
        self.annotations = annotations
        self.startsAt = startsAt
        self.endsAt = endsAt
        self.generatorURL = generatorURL
        self.senderFingerprint = senderFingerprint
    }

    /// `alertname` label, or "" when absent.
    public var alertname: String { labels["alertname"] ?? "" }

    /// The label-set fingerprint computed exactly as Alertmanager computes it (Prometheus
    /// `LabelSet.Fingerprint`: FNV-1a 64 over sorted names and values, each followed by 0xFF),
    /// so it equals the real Alertmanager's `fingerprint` and stays correct when a sender's
    /// field is empty or wrong. Computed once, when the labels are set (it is read several
    /// times per alert on the ingest path).
    public private(set) var fingerprint: String

    /// The occurrence this alert belongs to: one episode of one label set.
    public var occurrence: OccurrenceKey { OccurrenceKey(fingerprint: fingerprint, startsAt: startsAt) }

    /// The alert key: (alertname, instance key), used for attempt budgets and flapping.
    public var alertKey: AlertKey { AlertKey(labels: labels) }
}
