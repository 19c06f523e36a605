/// One alert episode: a label set (by fingerprint) that started firing at `startsAt`.
public struct OccurrenceKey: Sendable, Hashable, CustomStringConvertible {
    public var fingerprint: String
    public var startsAt: Timestamp

    public init(fingerprint: String, startsAt: Timestamp) {
        self.fingerprint = fingerprint
        self.startsAt = startsAt
    }

    /// `fingerprint@startsAt`, e.g. `4924976ad7844850@2026-11-29T01:09:23.278124551Z`.
    public var description: String { "\(fingerprint)@\(startsAt.rfc3339)" }

    /// The exactly-once anchor of one occurrence in one status: the same occurrence and
    /// status, delivered any number of times, maps to the same key.
    public func idempotencyKey(status: AlertStatus) -> String { "\(description)/\(status.rawValue)" }
}

/// (alertname, instance key): what attempt budgets, flapping and escalation count against.
///
/// The instance key is `host:container` for container alerts, the `system` label where
/// present, else `instance`, else `host` (or `remediation_host`).
public struct AlertKey: Sendable, Hashable, CustomStringConvertible {
    public var alertname: String
    public var instance: String

    public init(alertname: String, instance: String) {
        self.alertname = alertname
        self.instance = instance
    }

    public init(labels: [String: String]) {
        let alertname = labels["alertname"] ?? ""
        if let container = labels["container"], !container.isEmpty {
            let host = labels["host"] ?? labels["remediation_host"] ?? labels["system"] ?? labels["instance"] ?? ""
            self.init(alertname: alertname, instance: "\(host):\(container)")
        } else if let system = labels["system"], !system.isEmpty {
            self.init(alertname: alertname, instance: system)
        } else if let instance = labels["instance"], !instance.isEmpty {
            self.init(alertname: alertname, instance: instance)
        } else {
            // No instance label (alerts from recording rules, hand-made ones): fall back to
            // the host labels so that two hosts' alerts never share a budget.
            self.init(alertname: alertname, instance: labels["host"] ?? labels["remediation_host"] ?? "")
        }
    }

    /// `alertname/instance`, e.g. `ContainerDown/vps:nginx`.
    public var description: String { "\(alertname)/\(instance)" }
}
