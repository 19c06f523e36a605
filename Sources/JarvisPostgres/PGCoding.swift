public import JarvisCore

/// A Swift value that can be bound as a query parameter in PostgreSQL's text format.
///
/// Parameters travel as text (`paramFormats` 0 in `PQexecParams`) and the server infers
/// their types from the statement, so add a cast (`\(n)::int`) where the context does not
/// say which type is meant.
public protocol PGEncodable: Sendable {
    /// The value in PostgreSQL's text input format.
    var pgText: String { get }
}

extension String: PGEncodable {
    /// The string itself.
    public var pgText: String { self }
}

extension Substring: PGEncodable {
    /// The substring as a string.
    public var pgText: String { String(self) }
}

extension Int: PGEncodable {
    /// Decimal digits, as `int8` input reads them.
    public var pgText: String { String(self) }
}

extension Int64: PGEncodable {
    /// Decimal digits, as `int8` input reads them.
    public var pgText: String { String(self) }
}

extension Int32: PGEncodable {
    /// Decimal digits, as `int4` input reads them.
    public var pgText: String { String(self) }
}

extension Bool: PGEncodable {
    /// `true` or `false`, as `boolean` input reads them.
    public var pgText: String { self ? "true" : "false" }
}

extension Double: PGEncodable {
    /// The shortest decimal that reads back as the same `Double` (`float8` input), with
    /// `Infinity`, `-Infinity` and `NaN` spelled as PostgreSQL spells them.
    public var pgText: String {
        if isNaN { return "NaN" }
        if isInfinite { return self < 0 ? "-Infinity" : "Infinity" }
        return description
    }
}

extension Timestamp: PGEncodable {
    /// RFC 3339 in UTC (`2026-11-29T01:09:23.278124551Z`), as `timestamptz` input reads it.
    /// PostgreSQL keeps microseconds: the server rounds the last three digits away.
    public var pgText: String { rfc3339 }
}

/// A table, column or other SQL name that is safe to splice into statement text.
///
/// Only names matching `^[a-z_][a-z0-9_]*$` (at most 63 bytes, PostgreSQL's `NAMEDATALEN`
/// minus one) can be made, and they are always written double-quoted.
public struct PGIdentifier: Sendable, Hashable, CustomStringConvertible {
    /// The bare name, e.g. `alert_events`.
    public let name: String

    /// Validates `name`; nil when it is not a plain lower-case SQL identifier.
    public init?(_ name: String) {
        guard PGIdentifier.isValid(name) else { return nil }
        self.name = name
    }

    /// True when `name` matches `^[a-z_][a-z0-9_]*$` and is at most 63 bytes long.
    public static func isValid(_ name: String) -> Bool {
        let bytes = name.utf8
        guard let first = bytes.first, bytes.count <= 63 else { return false }
        guard first == UInt8(ascii: "_") || (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(first) else { return false }
        return bytes.allSatisfy { byte in
            byte == UInt8(ascii: "_") || (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte)
                || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
        }
    }

    /// The name double-quoted, as it appears in SQL text.
    public var quoted: String { "\"\(name)\"" }

    public var description: String { name }
}
