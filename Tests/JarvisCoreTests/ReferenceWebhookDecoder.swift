import Foundation
import JarvisCore

// The `Decodable` mapping `AlertmanagerWebhook.decode` used before it got its own parser
// (`WebhookParser`), kept here as a reference: the tests check that the hand-written parser
// maps every fixture exactly as `JSONDecoder` with these rules does. jarvis never calls it.

extension AlertmanagerWebhook: Decodable {
    private enum CodingKeys: String, CodingKey {
        case version, groupKey, truncatedAlerts, status, receiver, groupLabels, commonLabels, commonAnnotations, externalURL,
            alerts
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let status = try c.decodeIfPresent(AlertStatus.self, forKey: .status)
        let wire = try c.decode([WireAlert].self, forKey: .alerts)
        let groupStatus = status
        let alerts = try wire.enumerated().map { index, alert in
            guard let status = alert.status ?? groupStatus else {
                throw DecodingError.keyNotFound(
                    WireAlert.CodingKeys.status,
                    .init(codingPath: [CodingKeys.alerts, IndexKey(index)], debugDescription: "no status for the alert or the group"))
            }
            return Alert(
                status: status, labels: alert.labels, annotations: alert.annotations ?? [:], startsAt: alert.startsAt,
                endsAt: alert.endsAt, generatorURL: alert.generatorURL ?? "", senderFingerprint: alert.fingerprint ?? "")
        }
        self.init(
            version: try c.decodeLenientString(.version), groupKey: try c.decodeLenientString(.groupKey),
            truncatedAlerts: (try? c.decodeIfPresent(Int.self, forKey: .truncatedAlerts)) ?? 0, status: status,
            receiver: try c.decodeIfPresent(String.self, forKey: .receiver) ?? "",
            groupLabels: try c.decodeIfPresent([String: String].self, forKey: .groupLabels) ?? [:],
            commonLabels: try c.decodeIfPresent([String: String].self, forKey: .commonLabels) ?? [:],
            commonAnnotations: try c.decodeIfPresent([String: String].self, forKey: .commonAnnotations) ?? [:],
            externalURL: try c.decodeIfPresent(String.self, forKey: .externalURL) ?? "", alerts: alerts)
    }
}

private struct IndexKey: CodingKey {
    var intValue: Int?
    var stringValue: String { "\(intValue ?? 0)" }
    init(_ index: Int) { intValue = index }
    init?(stringValue: String) { nil }
    init?(intValue: Int) { self.intValue = intValue }
}

private struct WireAlert: Decodable {
    var status: AlertStatus?
    var labels: [String: String]
    var annotations: [String: String]?
    var startsAt: Timestamp
    var endsAt: Timestamp?
    var generatorURL: String?
    var fingerprint: String?

    enum CodingKeys: String, CodingKey {
        case status, labels, annotations, startsAt, endsAt, generatorURL, fingerprint
    }

    init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        status = try c.decodeIfPresent(AlertStatus.self, forKey: .status)
        labels = try c.decode([String: String].self, forKey: .labels)
        annotations = try c.decodeIfPresent([String: String].self, forKey: .annotations)
        startsAt = try c.decodeTimestamp(.startsAt)
        guard !startsAt.isGoZero else {
            throw DecodingError.dataCorruptedError(forKey: .startsAt, in: c, debugDescription: "startsAt is the zero time")
        }
        endsAt = try c.contains(.endsAt) && !c.decodeNil(forKey: .endsAt) ? c.decodeTimestamp(.endsAt) : nil
        if endsAt?.isGoZero == true { endsAt = nil }
        generatorURL = try c.decodeIfPresent(String.self, forKey: .generatorURL)
        fingerprint = try c.decodeIfPresent(String.self, forKey: .fingerprint)
    }
}

extension KeyedDecodingContainer {
    /// A string, or a JSON number of any size kept as its digits (Alertmanager forks send
    /// numeric `groupKey`s larger than UInt64).
    fileprivate func decodeLenientString(_ key: Key) throws -> String? {
        guard contains(key), try !decodeNil(forKey: key) else { return nil }
        if let text = try? decode(String.self, forKey: key) { return text }
        if let number = try? decode(Int64.self, forKey: key) { return String(number) }
        if let number = try? decode(Decimal.self, forKey: key) { return "\(number)" }
        throw DecodingError.typeMismatch(String.self, .init(codingPath: codingPath + [key], debugDescription: "expected a string or number"))
    }

    fileprivate func decodeTimestamp(_ key: Key) throws -> Timestamp {
        let text = try decode(String.self, forKey: key)
        guard let stamp = Timestamp(rfc3339: text) else {
            throw DecodingError.dataCorruptedError(forKey: key, in: self, debugDescription: "not an RFC 3339 time: \(text.prefix(40))")
        }
        return stamp
    }
}
