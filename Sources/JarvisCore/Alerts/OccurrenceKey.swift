/// One alert episode: a label set (by fingerprint) that started firing at `startsAt`.
public struct OccurrenceKey: Sendable, Hashable, CustomStringConvertible {
    public var fingerprint: String
    public var startsAt: Timestamp

    /// `fingerprint@startsAt`, e.g. `4924976ad7844850@2026-11-29T01:09:23.278124551Z`.
    public var description: String { Self.key(fingerprint: fingerprint, startsAt: startsAt, status: nil) }

    /// The exactly-once anchor of one occurrence in one status: the same occurrence and
    /// status, delivered any number of times, maps to the same key.
    public func idempotencyKey(status: AlertStatus) -> String { Self.key(fingerprint: fingerprint, startsAt: startsAt, status: status) }

    /// `idempotencyKey(status:)` from an already computed `description`, without formatting
    /// the timestamp again (triage needs both keys for every alert).
    /// - Parameters:
    ///   - description: this key's `description`.
    ///   - status: the alert's status.
    static func idempotencyKey(description: String, status: AlertStatus) -> String {
        KeyText.concatenate(description, "/", status.rawValue)
    }

    /// `fingerprint@startsAt` or `fingerprint@startsAt/status`, written in one allocation.
    private static func key(fingerprint: String, startsAt: Timestamp, status: AlertStatus?) -> String {
        let suffix = status.map { "/" + $0.rawValue } ?? ""
        guard let stampLength = startsAt.rfc3339FixedLength else { return "\(fingerprint)@\(startsAt.rfc3339)\(suffix)" }
        return String(unsafeUninitializedCapacity: fingerprint.utf8.count + 1 + stampLength + suffix.utf8.count) { buffer in
            var index = 0
            KeyText.put(fingerprint, into: buffer, at: &index)
            buffer[index] = UInt8(ascii: "@")
            index = startsAt.writeRFC3339(into: buffer, at: index + 1)
            KeyText.put(suffix, into: buffer, at: &index)
            return index
        }
    }
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
        let labels = WellKnownLabels(labels)
        let alertname = labels.alertname ?? ""
        if let container = labels.container, !container.isEmpty {
            let host = labels.host ?? labels.remediationHost ?? labels.system ?? labels.instance ?? ""
            self.init(alertname: alertname, instance: KeyText.concatenate(host, ":", container))
        } else if let system = labels.system, !system.isEmpty {
            self.init(alertname: alertname, instance: system)
        } else if let instance = labels.instance, !instance.isEmpty {
            self.init(alertname: alertname, instance: instance)
        } else {
            // No instance label (alerts from recording rules, hand-made ones): fall back to
            // the host labels so that two hosts' alerts never share a budget.
            self.init(alertname: alertname, instance: labels.host ?? labels.remediationHost ?? "")
        }
    }

    /// `alertname/instance`, e.g. `ContainerDown/vps:nginx`.
    public var description: String { KeyText.concatenate(alertname, "/", instance) }
}
