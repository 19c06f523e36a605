import Foundation

/// The SQL dialects a report query is written for. Each figure of the weekly report is one
/// `ReportQuery` whose text is written once, with the few places where PostgreSQL and SQLite
/// differ (time arithmetic, JSON labels, parameters) spelled through a `ReportDialect`.
public enum SQLDialect: Sendable {
    case postgres
    case sqlite
}

/// The dialect-specific spellings a `ReportQuery` body uses.
///
/// PostgreSQL: the body becomes a function `jarvis_report_<name>(p_since timestamptz,
/// p_until timestamptz, p_days timestamptz[], p_limit integer, p_min_days integer)`; times
/// stay `timestamptz`. SQLite: the body runs as a query with named parameters; times are
/// RFC 3339 text, compared as seconds since the epoch (via `julianday`, to the millisecond),
/// and `:days` is a JSON array of those seconds.
public struct ReportDialect: Sendable {
    public let dialect: SQLDialect

    /// Start of the period, inclusive.
    public var since: String { dialect == .postgres ? "p_since" : ":since" }
    /// End of the period, exclusive.
    public var until: String { dialect == .postgres ? "p_until" : ":until" }
    /// How many rows a "top" figure keeps.
    public var limit: String { dialect == .postgres ? "p_limit" : ":limit" }
    /// The fewest days an alert key fires on to be chronic.
    public var minDays: String { dialect == .postgres ? "p_min_days" : ":min_days" }

    /// A stored time column (or time expression) in the form `since`/`until` compare with.
    public func time(_ column: String) -> String {
        // julianday holds whole milliseconds; its double result is off by some microseconds,
        // so the product is rounded back to the millisecond it stands for.
        dialect == .postgres ? column : "(round((julianday(\(column)) - 2440587.5) * 86400000.0) / 1000.0)"
    }

    /// Seconds from `start` to `end`, both in `time(_:)` form, as a double.
    public func seconds(_ end: String, minus start: String) -> String {
        dialect == .postgres ? "extract(epoch FROM (\(end)) - (\(start)))::double precision" : "((\(end)) - (\(start)))"
    }

    /// A time in `time(_:)` form as seconds since the epoch (a double).
    public func epoch(_ time: String) -> String {
        dialect == .postgres ? "extract(epoch FROM \(time))::double precision" : "(\(time))"
    }

    /// The day (0-based) of the period a time in `time(_:)` form falls on.
    public func day(_ time: String) -> String {
        dialect == .postgres
            ? "(width_bucket(\(time), p_days) - 1)"
            : "((SELECT count(*) FROM json_each(:days) WHERE value <= \(time)) - 1)"
    }

    /// The days of the period as a relation `(day, day_start, day_end)`: day 0-based, its
    /// bounds in `time(_:)` form (from the day bounds parameter, so days follow the report's
    /// time zone).
    public var dayRanges: String {
        dialect == .postgres
            ? "(SELECT (b.i - 1)::integer AS day, b.lo AS day_start, b.hi AS day_end FROM unnest(p_days[1:array_length(p_days, 1) - 1], p_days[2:array_length(p_days, 1)]) WITH ORDINALITY AS b(lo, hi, i))"
            : "(SELECT a.key AS day, a.value AS day_start, b.value AS day_end FROM json_each(:days) a JOIN json_each(:days) b ON b.key = a.key + 1)"
    }

    /// The condition that alert event `e` was suppressed by maintenance window `w`. An event
    /// names the window by its key (`maintenance_window_key`, the same on every runner: a
    /// window opened on one runner holds alerts back on all of them). Events stored before
    /// they carried it name the window by the id it has on the runner that received it, and
    /// a window's key is `<runner>/maintenance/<that id>`. SQLite: every local event has the
    /// key (the journal filled it in for the older ones from the local windows).
    public func suppressedBy(window w: String, event e: String) -> String {
        dialect == .postgres
            ? "(\(e).maintenance_window_key = \(w).idempotency_key OR (\(e).maintenance_window_key IS NULL AND \(e).maintenance_window_id = substring(\(w).idempotency_key FROM '/maintenance/([0-9]+)$')::bigint AND coalesce(nullif(\(e).runner, ''), 'jarvis') = substring(\(w).idempotency_key FROM '^(.*)/maintenance/[0-9]+$')))"
            : "\(e).maintenance_window_key = \(w).idempotency_key"
    }

    /// How many alert events runners other than the one that opened window `w` held back
    /// under it, as a scalar subquery: a window's counter is its opener's (each runner counts
    /// only its own suppressions, and only the opener forwards them). SQLite: 0, since the
    /// local counter already counts every local suppression.
    public func suppressedElsewhere(window w: String) -> String {
        dialect == .postgres
            ? "(SELECT count(*) FROM alert_events o WHERE o.maintenance_window_key = \(w).idempotency_key AND o.decision = 'suppressed:maintenance' AND coalesce(nullif(o.runner, ''), 'jarvis') <> substring(\(w).idempotency_key FROM '^(.*)/maintenance/[0-9]+$'))"
            : "0"
    }

    /// The 90th percentile (nearest rank: the smallest value at least 90 % of the values are
    /// at or below) of `column` over the rows of `relation` that meet `condition`, as a scalar
    /// subquery; NULL without rows.
    public func p90(_ column: String, of relation: String, where condition: String = "true") -> String {
        dialect == .postgres
            ? "(SELECT percentile_disc(0.9) WITHIN GROUP (ORDER BY \(column)) FROM \(relation) WHERE \(condition))"
            : "(SELECT min(v) FROM (SELECT \(column) AS v, row_number() OVER (ORDER BY \(column)) AS rn, count(*) OVER () AS n FROM \(relation) WHERE \(condition)) WHERE rn * 10 >= 9 * n)"
    }

    /// The smaller / larger of two values.
    public func least(_ a: String, _ b: String) -> String { dialect == .postgres ? "least(\(a), \(b))" : "min(\(a), \(b))" }
    public func greatest(_ a: String, _ b: String) -> String { dialect == .postgres ? "greatest(\(a), \(b))" : "max(\(a), \(b))" }

    /// One label of a JSON label object, or NULL.
    public func label(_ column: String, _ name: String) -> String {
        dialect == .postgres ? "(\(column)->>'\(name)')" : "json_extract(\(column), '$.\(name)')"
    }

    /// The host an alert is about: its `remediation_host` or `host` label, else its
    /// `instance` without the port, else `(none)`.
    public func host(_ labels: String) -> String {
        let instance = label(labels, "instance")
        let bare =
            dialect == .postgres
            ? "split_part(\(instance), ':', 1)"
            : "CASE WHEN instr(\(instance), ':') > 0 THEN substr(\(instance), 1, instr(\(instance), ':') - 1) ELSE \(instance) END"
        return "coalesce(nullif(\(label(labels, "remediation_host")), ''), nullif(\(label(labels, "host")), ''), nullif(\(bare), ''), '(none)')"
    }

    /// A boolean column as a condition (SQLite stores 0/1).
    public func isTrue(_ column: String) -> String { dialect == .postgres ? column : "(\(column) <> 0)" }

    /// A value as a 64-bit integer / double / text.
    public func integer(_ value: String) -> String { dialect == .postgres ? "(\(value))::bigint" : "CAST(\(value) AS INTEGER)" }
    public func real(_ value: String) -> String { dialect == .postgres ? "(\(value))::double precision" : "CAST(\(value) AS REAL)" }
    public func text(_ value: String) -> String { dialect == .postgres ? "(\(value))::text" : "CAST(\(value) AS TEXT)" }
}

/// One figure of the weekly report as SQL over the store of record: aggregates run in the
/// database and only their (small) results come back.
public struct ReportQuery: Sendable {
    /// The type of a result column.
    public enum ColumnType: Sendable {
        case integer, real, text

        var postgres: String {
            switch self {
            case .integer: "bigint"
            case .real: "double precision"
            case .text: "text"
            }
        }
    }

    /// The figure's name; the PostgreSQL function is `jarvis_report_<name>`.
    public let name: String
    /// What it computes, for the function's COMMENT.
    public let summary: String
    /// The result columns, in order.
    public let columns: [(name: String, type: ColumnType)]
    /// False for figures only the local journal knows (journal activity).
    public let inPostgres: Bool
    private let body: @Sendable (ReportDialect) -> String

    init(
        name: String, summary: String, columns: [(name: String, type: ColumnType)], inPostgres: Bool = true,
        body: @escaping @Sendable (ReportDialect) -> String
    ) {
        self.name = name
        self.summary = summary
        self.columns = columns
        self.inPostgres = inPostgres
        self.body = body
    }

    /// The SELECT in `dialect`.
    public func sql(_ dialect: SQLDialect) -> String { body(ReportDialect(dialect: dialect)) }

    /// The PostgreSQL function's name.
    public var functionName: String { "jarvis_report_\(name)" }

    /// `CREATE OR REPLACE FUNCTION …` and its COMMENT, for the migration.
    public var postgresFunction: String {
        let returns = columns.map { "\($0.name) \($0.type.postgres)" }.joined(separator: ", ")
        let signature =
            "p_since timestamptz, p_until timestamptz, p_days timestamptz[] DEFAULT NULL, p_limit integer DEFAULT 10, p_min_days integer DEFAULT 4"
        let comment = summary.replacingOccurrences(of: "'", with: "''")
        return """
            CREATE OR REPLACE FUNCTION \(functionName)(\(signature))
            RETURNS TABLE (\(returns))
            LANGUAGE sql STABLE PARALLEL SAFE
            -- Room to group a week of events in memory (hash aggregates, no sort on disk); no
            -- JIT: compiling the plan costs more than these one-scan queries save by it.
            SET work_mem = '64MB'
            SET jit = off
            AS $report$
            \(sql(.postgres))
            $report$;
            COMMENT ON FUNCTION \(functionName)(timestamptz, timestamptz, timestamptz[], integer, integer) IS '\(comment) Period [p_since, p_until); p_days: the day bounds (p_since, each local midnight, p_until) for per-day figures.';
            """
    }

    /// `CREATE OR REPLACE FUNCTION …` of every figure PostgreSQL has, for the migrations that
    /// (re)create them.
    public static var postgresFunctions: String { all.filter(\.inPostgres).map(\.postgresFunction).joined(separator: "\n\n") }

    /// The call that reads it in PostgreSQL, with `$1`…`$5` for the parameters.
    public var postgresCall: String { "SELECT * FROM \(functionName)($1::timestamptz, $2::timestamptz, $3::timestamptz[], $4::integer, $5::integer)" }
}
