/// Encodes `Timestamp` values of the host records as canonical RFC 3339 strings.
///
/// `Timestamp` itself is not `Codable` (other layers may choose their own form), so the host
/// records spell their instants out here: `"2026-11-29T01:09:23.278124551Z"`, lossless.
enum HostTimestampCoding {
    static func decode<Key: CodingKey>(_ container: KeyedDecodingContainer<Key>, _ key: Key) throws -> Timestamp? {
        guard let text = try container.decodeIfPresent(String.self, forKey: key) else { return nil }
        guard let timestamp = Timestamp(rfc3339: text) else {
            throw DecodingError.dataCorruptedError(forKey: key, in: container, debugDescription: "not an RFC 3339 timestamp: \(text)")
        }
        return timestamp
    }

    static func encode<Key: CodingKey>(_ timestamp: Timestamp?, _ container: inout KeyedEncodingContainer<Key>, _ key: Key) throws {
        try container.encodeIfPresent(timestamp?.rfc3339, forKey: key)
    }
}
