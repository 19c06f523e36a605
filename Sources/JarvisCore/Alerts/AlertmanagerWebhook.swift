import Foundation

/// An Alertmanager webhook notification (payload version 4), decoded leniently.
///
/// Lenient where real senders differ: unknown keys are ignored; `version`, `groupKey`,
/// `truncatedAlerts`, `groupLabels`, `commonLabels`, `commonAnnotations`, `externalURL` and
/// each alert's `annotations`, `generatorURL`, `fingerprint` and `endsAt` may be missing;
/// `groupKey` may be a number (of any size); Go's zero time means "no value"; timestamps
/// carry up to nine fraction digits and any offset. Strict where jarvis would otherwise
/// guess: `alerts` must be a list, each alert needs a `labels` object of strings, a known
/// `status` and a valid `startsAt`.
public struct AlertmanagerWebhook: Sendable, Equatable {
    public var version: String?
    public var groupKey: String?
    public var truncatedAlerts: Int
    public var status: AlertStatus?
    public var receiver: String
    public var groupLabels: [String: String]
    public var commonLabels: [String: String]
    public var commonAnnotations: [String: String]
    public var externalURL: String
    public var alerts: [Alert]

    public init(
        version: String? = "4", groupKey: String? = nil, truncatedAlerts: Int = 0, status: AlertStatus? = nil,
        receiver: String = "", groupLabels: [String: String] = [:], commonLabels: [String: String] = [:],
        commonAnnotations: [String: String] = [:], externalURL: String = "", alerts: [Alert]
    ) {
        self.version = version
        self.groupKey = groupKey
        self.truncatedAlerts = truncatedAlerts
        self.status = status
        self.receiver = receiver
        self.groupLabels = groupLabels
        self.commonLabels = commonLabels
        self.commonAnnotations = commonAnnotations
        self.externalURL = externalURL
        self.alerts = alerts
    }

    /// Decodes one webhook body.
    /// - Throws: `WebhookDecodingError` with a one-line reason naming the JSON path.
    public static func decode(_ data: Data) throws(WebhookDecodingError) -> AlertmanagerWebhook {
        if data.isEmpty { throw WebhookDecodingError("the file is empty") }
        do {
            return try JSONDecoder().decode(AlertmanagerWebhook.self, from: data)
        } catch let error as WebhookDecodingError {
            throw error
        } catch let error as DecodingError {
            throw WebhookDecodingError(describing: error)
        } catch {
            throw WebhookDecodingError("invalid JSON: \(error)")
        }
    }
}

/// Why a webhook body was not accepted; `reason` is one line, fit for a `.reason` file.
public struct WebhookDecodingError: Error, Sendable, Equatable, CustomStringConvertible {
    public var reason: String

    public init(_ reason: String) { self.reason = reason }

    init(describing error: DecodingError) {
        func path(_ keys: [any CodingKey]) -> String {
            var out = ""
            for key in keys {
                if let index = key.intValue {
                    out += "[\(index)]"
                } else {
                    out += out.isEmpty ? key.stringValue : ".\(key.stringValue)"
                }
            }
            return out.isEmpty ? "the top level" : out
        }
        switch error {
        case .dataCorrupted(let context) where context.codingPath.isEmpty:
            self.init("invalid JSON: \(WebhookDecodingError.underlyingText(context))")
        case .dataCorrupted(let context):
            self.init("\(path(context.codingPath)): \(context.debugDescription)")
        case .typeMismatch(let type, let context):
            self.init("\(path(context.codingPath)): expected \(WebhookDecodingError.name(of: type))")
        case .valueNotFound(let type, let context):
            self.init("\(path(context.codingPath)): expected \(WebhookDecodingError.name(of: type)), found null")
        case .keyNotFound(let key, let context):
            let at = context.codingPath.isEmpty ? "" : "\(path(context.codingPath))."
            self.init("\(at)\(key.stringValue): required key is missing")
        @unknown default:
            self.init("undecodable: \(error)")
        }
    }

    private static func underlyingText(_ context: DecodingError.Context) -> String {
        if let underlying = context.underlyingError {
            let text = "\(underlying)"
            if let range = text.range(of: "NSDebugDescription=") {
                return String(text[range.upperBound...].prefix { $0 != "}" && $0 != "," })
            }
            return String(text.prefix(200))
        }
        return context.debugDescription
    }

    private static func name(of type: Any.Type) -> String {
        switch type {
        case is String.Type: return "a string"
        case is [String: String].Type: return "an object of strings"
        case is [Any].Type, is [WireAlert].Type: return "a list"
        case is Int.Type, is Int64.Type, is UInt64.Type, is Double.Type: return "a number"
        default: return "\(type)"
        }
    }

    public var description: String { reason }
}

// MARK: - Wire decoding

extension AlertmanagerWebhook: Decodable {
    private enum CodingKeys: String, CodingKey {
        case version, groupKey, truncatedAlerts, status, receiver, groupLabels, commonLabels, commonAnnotations, externalURL,
            alerts
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        version = try c.decodeLenientString(.version)
        groupKey = try c.decodeLenientString(.groupKey)
        truncatedAlerts = (try? c.decodeIfPresent(Int.self, forKey: .truncatedAlerts)) ?? 0
        status = try c.decodeIfPresent(AlertStatus.self, forKey: .status)
        receiver = try c.decodeIfPresent(String.self, forKey: .receiver) ?? ""
        groupLabels = try c.decodeIfPresent([String: String].self, forKey: .groupLabels) ?? [:]
        commonLabels = try c.decodeIfPresent([String: String].self, forKey: .commonLabels) ?? [:]
        commonAnnotations = try c.decodeIfPresent([String: String].self, forKey: .commonAnnotations) ?? [:]
        externalURL = try c.decodeIfPresent(String.self, forKey: .externalURL) ?? ""
        let wire = try c.decode([WireAlert].self, forKey: .alerts)
        let groupStatus = status
        alerts = try wire.enumerated().map { index, alert in
            guard let status = alert.status ?? groupStatus else {
                throw DecodingError.keyNotFound(
                    WireAlert.CodingKeys.status,
                    .init(codingPath: [CodingKeys.alerts, IndexKey(index)], debugDescription: "no status for the alert or the group"))
            }
            return Alert(
                status: status, labels: alert.labels, annotations: alert.annotations ?? [:], startsAt: alert.startsAt,
                endsAt: alert.endsAt, generatorURL: alert.generatorURL ?? "", senderFingerprint: alert.fingerprint ?? "")
        }
    }
}

struct IndexKey: CodingKey {
    var intValue: Int?
    var stringValue: String { "\(intValue ?? 0)" }
    init(_ index: Int) { intValue = index }
    init?(stringValue: String) { nil }
    init?(intValue: Int) { self.intValue = intValue }
}

struct WireAlert: Decodable {
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
