/// A firing alert that a maintenance window suppressed, kept so that it is triaged again
/// once the window is over (docs/behaviour.md, "Maintenance": alerts still firing when a
/// window ends are triaged again on the next run).
public struct ParkedAlert: Sendable, Equatable {
    /// The alert as last received.
    public var alert: Alert
    /// The window that suppressed it most recently.
    public var windowID: Int64
    /// When it was first parked.
    public var parkedAt: Timestamp
    /// When its last firing notification was triaged; old entries are pruned.
    public var lastSeenAt: Timestamp
}

/// Stored flat: the alert's fields beside the window id and times.
extension ParkedAlert: Codable {
    private enum CodingKeys: String, CodingKey {
        case status, labels, annotations, startsAt, endsAt, generatorURL, senderFingerprint, windowID, parkedAt, lastSeenAt
    }

    /// Decodes a parked alert written by `encode(to:)`.
    /// - Throws: `DecodingError` when a field is missing or malformed.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        alert = Alert(
            status: try c.decode(AlertStatus.self, forKey: .status),
            labels: try c.decode([String: String].self, forKey: .labels),
            annotations: try c.decodeIfPresent([String: String].self, forKey: .annotations) ?? [:],
            startsAt: try c.decode(Timestamp.self, forKey: .startsAt),
            endsAt: try c.decodeIfPresent(Timestamp.self, forKey: .endsAt),
            generatorURL: try c.decodeIfPresent(String.self, forKey: .generatorURL) ?? "",
            senderFingerprint: try c.decodeIfPresent(String.self, forKey: .senderFingerprint) ?? "")
        windowID = try c.decode(Int64.self, forKey: .windowID)
        parkedAt = try c.decode(Timestamp.self, forKey: .parkedAt)
        lastSeenAt = try c.decode(Timestamp.self, forKey: .lastSeenAt)
    }

    /// Encodes the alert's fields flat, beside the window id and times.
    /// - Throws: whatever the encoder throws.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(alert.status, forKey: .status)
        try c.encode(alert.labels, forKey: .labels)
        if !alert.annotations.isEmpty { try c.encode(alert.annotations, forKey: .annotations) }
        try c.encode(alert.startsAt, forKey: .startsAt)
        try c.encodeIfPresent(alert.endsAt, forKey: .endsAt)
        if !alert.generatorURL.isEmpty { try c.encode(alert.generatorURL, forKey: .generatorURL) }
        if !alert.senderFingerprint.isEmpty { try c.encode(alert.senderFingerprint, forKey: .senderFingerprint) }
        try c.encode(windowID, forKey: .windowID)
        try c.encode(parkedAt, forKey: .parkedAt)
        try c.encode(lastSeenAt, forKey: .lastSeenAt)
    }
}
