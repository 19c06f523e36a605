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

    /// Decodes one webhook body (UTF-8 JSON; a leading byte order mark is allowed).
    ///
    /// A hand-written single-pass parser (`WebhookParser` over `JSONScanner`) with the
    /// leniency described on the type; see `WebhookParser` for the details of which error is
    /// reported when a body has several.
    /// - Throws: `WebhookDecodingError` with a one-line reason naming the JSON path
    ///   (`alerts[0].labels.alertname: expected a string`), or, for malformed JSON, starting
    ///   with `invalid JSON: ` and giving the position
    ///   (`invalid JSON: unexpected end of input at line 1, column 13 (byte 12)`).
    public static func decode(_ data: Data) throws(WebhookDecodingError) -> AlertmanagerWebhook {
        try data.withUnsafeBytes { decodeResult($0) }.get()
    }

    /// `decode(_:)` over bytes already in memory, without copying them into a `Data`.
    public static func decode(_ bytes: [UInt8]) throws(WebhookDecodingError) -> AlertmanagerWebhook {
        try bytes.withUnsafeBytes { decodeResult($0) }.get()
    }

    /// `decode(_:)` over a buffer the caller keeps alive for the duration of the call.
    public static func decode(_ buffer: UnsafeRawBufferPointer) throws(WebhookDecodingError) -> AlertmanagerWebhook {
        try decodeResult(buffer).get()
    }

    private static func decodeResult(_ raw: UnsafeRawBufferPointer) -> Result<AlertmanagerWebhook, WebhookDecodingError> {
        if raw.isEmpty { return .failure(WebhookDecodingError("the file is empty")) }
        return raw.withMemoryRebound(to: UInt8.self) { bytes in
            // Unescaping never lengthens a string, so one input-sized buffer serves every string.
            withUnsafeTemporaryAllocation(of: UInt8.self, capacity: bytes.count) { scratch in
                var parser = WebhookParser(json: JSONScanner(bytes: bytes, scratch: scratch))
                return Result { () throws(WebhookDecodingError) in try parser.parse() }
            }
        }
    }
}

/// Why a webhook body was not accepted; `reason` is one line, fit for a `.reason` file.
public struct WebhookDecodingError: Error, Sendable, Equatable, CustomStringConvertible {
    public var reason: String

    public init(_ reason: String) { self.reason = reason }

    public var description: String { reason }
}
