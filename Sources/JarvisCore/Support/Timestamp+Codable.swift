/// Timestamps encode as their canonical RFC 3339 text (`2026-11-29T01:09:23.278124551Z`), so
/// persisted state stays readable and keeps every nanosecond.
extension Timestamp: Codable {
    /// Decodes an RFC 3339 string.
    /// - Throws: `DecodingError.dataCorrupted` when the value is not a string in RFC 3339 form.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let value = Timestamp(rfc3339: text) else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "not an RFC 3339 time: \(text.prefix(40))")
        }
        self = value
    }

    /// Encodes the canonical RFC 3339 string (see `rfc3339`).
    /// - Throws: whatever the encoder throws.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rfc3339)
    }
}
