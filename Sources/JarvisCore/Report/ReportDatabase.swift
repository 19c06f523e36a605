/// The port a weekly report reads its figures through: a database that runs a `ReportQuery`
/// for a period. SQLite (embedded mode, or the local journal when PostgreSQL is away) and
/// PostgreSQL (its `jarvis_report_*` functions) conform.
public protocol ReportDatabase {
    /// Runs `query` over `period`.
    ///
    /// - Parameters:
    ///   - query: The figure.
    ///   - period: Its `since`, `until` and day `bounds` are the parameters.
    ///   - limit: How many rows a "top" figure keeps.
    /// - Returns: The result rows, columns in `query.columns` order.
    /// - Throws: when the database fails.
    func rows(of query: ReportQuery, period: ReportPeriod, limit: Int) throws -> [ReportRow]

    /// Runs several figures over `period`; a database may run them at once.
    ///
    /// - Returns: Each query's rows, in `queries` order.
    /// - Throws: when the database fails.
    func rows(of queries: [ReportQuery], period: ReportPeriod, limit: Int) throws -> [[ReportRow]]
}

extension ReportDatabase {
    /// One after the other.
    public func rows(of queries: [ReportQuery], period: ReportPeriod, limit: Int) throws -> [[ReportRow]] {
        try queries.map { try rows(of: $0, period: period, limit: limit) }
    }
}

/// One value of a report result row.
public enum ReportValue: Sendable, Equatable {
    case null
    case integer(Int64)
    case real(Double)
    case text(String)
}

/// One result row of a `ReportQuery`.
public struct ReportRow: Sendable, Equatable {
    public var values: [ReportValue]

    public init(_ values: [ReportValue]) { self.values = values }

    /// Column `index` as an integer (0 for NULL or text).
    public func int(_ index: Int) -> Int {
        guard index < values.count else { return 0 }
        switch values[index] {
        case .integer(let value): return Int(value)
        case .real(let value): return Int(value.rounded())
        case .text(let text): return Int(text) ?? 0
        case .null: return 0
        }
    }

    /// Column `index` as a double; nil for NULL.
    public func double(_ index: Int) -> Double? {
        guard index < values.count else { return nil }
        switch values[index] {
        case .integer(let value): return Double(value)
        case .real(let value): return value
        case .text(let text): return Double(text)
        case .null: return nil
        }
    }

    /// Column `index` as text; nil for NULL.
    public func text(_ index: Int) -> String? {
        guard index < values.count else { return nil }
        switch values[index] {
        case .integer(let value): return String(value)
        case .real(let value): return String(value)
        case .text(let text): return text
        case .null: return nil
        }
    }
}
