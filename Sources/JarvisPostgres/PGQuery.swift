/// A SQL statement and its parameters, built by string interpolation.
///
/// Every interpolated value becomes a `$n` placeholder and travels separately from the SQL
/// text (`PQexecParams`), so alert labels and other untrusted text stay data:
///
///     let query: PGQuery = "SELECT id FROM alert_events WHERE alertname = \(name) AND starts_at > \(since)"
///
/// An optional that is nil binds SQL `NULL`. Splicing text into the statement itself is only
/// possible through the visible `unsafeSQL:` label, or through a validated `PGIdentifier`.
public struct PGQuery: Sendable, Hashable, ExpressibleByStringInterpolation, CustomStringConvertible {
    /// The statement text with `$1`, `$2`… placeholders.
    public private(set) var sql: String
    /// The parameters in text format, `nil` for SQL `NULL`; `binds[0]` is `$1`.
    public private(set) var binds: [String?]

    /// A statement from raw SQL text. The caller vouches that `unsafeSQL` holds no untrusted
    /// text; its `$n` placeholders refer to `binds`.
    public init(unsafeSQL: String, binds: [String?] = []) {
        self.sql = unsafeSQL
        self.binds = binds
    }

    /// A statement from a literal with no interpolation.
    public init(stringLiteral value: String) {
        self.sql = value
        self.binds = []
    }

    public init(stringInterpolation: StringInterpolation) {
        self.sql = stringInterpolation.sql
        self.binds = stringInterpolation.binds
    }

    /// The SQL text only (placeholders, never the values), safe to log.
    public var description: String { sql }

    /// Collects literal SQL and `$n` binds for `PGQuery`.
    public struct StringInterpolation: StringInterpolationProtocol, Sendable {
        var sql = ""
        var binds: [String?] = []

        public init(literalCapacity: Int, interpolationCount: Int) {
            sql.reserveCapacity(literalCapacity + interpolationCount * 3)
            binds.reserveCapacity(interpolationCount)
        }

        /// Appends statement text written in the source code.
        public mutating func appendLiteral(_ literal: String) {
            sql += literal
        }

        /// Binds `value` as the next `$n` parameter.
        public mutating func appendInterpolation(_ value: some PGEncodable) {
            bind(value.pgText)
        }

        /// Binds `value` as the next `$n` parameter, or SQL `NULL` when it is nil.
        public mutating func appendInterpolation(_ value: (some PGEncodable)?) {
            bind(value?.pgText)
        }

        /// Splices a validated identifier, double-quoted, into the statement text.
        public mutating func appendInterpolation(_ identifier: PGIdentifier) {
            sql += identifier.quoted
        }

        /// Splices raw text into the statement. Never pass untrusted text.
        public mutating func appendInterpolation(unsafeSQL text: String) {
            sql += text
        }

        private mutating func bind(_ text: String?) {
            binds.append(text)
            sql += "$\(binds.count)"
        }
    }
}
