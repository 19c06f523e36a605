/// How to reach PostgreSQL.
public struct PostgresSettings: Sendable {
    /// A `postgresql://` URL or libpq conninfo; nil: libpq's own `PG*` variables and
    /// `~/.pgpass` decide, as for psql.
    public var url: Secret<String>?
    /// Seconds before an unreachable server counts as down [3].
    public var connectTimeout = 3

    public init(url: Secret<String>? = nil, connectTimeout: Int = 3) {
        self.url = url
        self.connectTimeout = connectTimeout
    }
}
