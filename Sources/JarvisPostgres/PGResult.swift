internal import CLibPQ

/// The result of one statement (`PGresult`), owned by this object and freed with `PQclear`.
///
/// Values arrive in PostgreSQL's text format; the typed accessors parse them. Every accessor
/// returns nil for SQL `NULL` and for a row or column that does not exist, and throws
/// `.protocolViolation` when a value is not of the requested type.
public final class PGResult {
    /// The `PGresult *`; never NULL.
    let handle: OpaquePointer

    /// `PG_DIAG_SQLSTATE` (`'C'`), `PG_DIAG_MESSAGE_PRIMARY` (`'M'`), `…_DETAIL` (`'D'`),
    /// `…_HINT` (`'H'`): character-literal macros Swift does not import.
    static let sqlStateField = Int32(UInt8(ascii: "C"))
    static let primaryMessageField = Int32(UInt8(ascii: "M"))
    static let detailField = Int32(UInt8(ascii: "D"))
    static let hintField = Int32(UInt8(ascii: "H"))

    init(owning handle: OpaquePointer) {
        self.handle = handle
    }

    deinit {
        PQclear(handle)
    }

    /// The number of rows (`PQntuples`).
    public var rowCount: Int { Int(PQntuples(handle)) }

    /// The number of columns (`PQnfields`).
    public var columnCount: Int { Int(PQnfields(handle)) }

    /// The name of column `column` (`PQfname`), or nil when there is no such column.
    public func columnName(_ column: Int) -> String? {
        guard column >= 0, column < columnCount, let name = PQfname(handle, Int32(column)) else { return nil }
        return String(cString: name)
    }

    /// The index of the column called `name` (`PQfnumber`), or nil when there is none.
    public func columnIndex(named name: String) -> Int? {
        let index = PQfnumber(handle, name)
        return index >= 0 ? Int(index) : nil
    }

    /// The rows a command touched, from `PQcmdTuples` (`INSERT 0 5` → 5), or nil for a
    /// statement that reports none (e.g. `CREATE TABLE`, `SELECT` yields its row count).
    public var affectedRows: Int? {
        guard let text = PQcmdTuples(handle) else { return nil }
        return Int(String(cString: text))
    }

    /// The command tag, e.g. `INSERT 0 5` or `COMMIT` (`PQcmdStatus`).
    public var commandStatus: String {
        guard let text = PQcmdStatus(handle) else { return "" }
        return String(cString: text)
    }

    /// The value at `row`, `column` as text (`PQgetvalue`); nil for `NULL` (`PQgetisnull`) or
    /// out of range.
    public func string(row: Int, column: Int) -> String? {
        guard row >= 0, row < rowCount, column >= 0, column < columnCount else { return nil }
        guard PQgetisnull(handle, Int32(row), Int32(column)) == 0, let value = PQgetvalue(handle, Int32(row), Int32(column)) else {
            return nil
        }
        return String(cString: value)
    }

    /// The value at `row` in the column called `column`, as text; nil for `NULL` or no such cell.
    public func string(row: Int, column: String) -> String? {
        guard let index = columnIndex(named: column) else { return nil }
        return string(row: row, column: index)
    }

    /// The value at `row`, `column` as an integer (`int2`, `int4`, `int8`, `oid`).
    /// - Throws: `PGError` `.protocolViolation` when the text is not an integer.
    public func int64(row: Int, column: Int) throws(PGError) -> Int64? {
        try parse(row: row, column: column, as: "integer") { Int64($0) }
    }

    /// The value at `row` in the column called `column` as an integer.
    /// - Throws: `PGError` `.protocolViolation` when the text is not an integer.
    public func int64(row: Int, column: String) throws(PGError) -> Int64? {
        guard let index = columnIndex(named: column) else { return nil }
        return try int64(row: row, column: index)
    }

    /// The value at `row`, `column` as a `Bool` (`boolean` prints `t` or `f`).
    /// - Throws: `PGError` `.protocolViolation` for any other text.
    public func bool(row: Int, column: Int) throws(PGError) -> Bool? {
        try parse(row: row, column: column, as: "boolean") { text in
            switch text {
            case "t", "true": true
            case "f", "false": false
            default: nil
            }
        }
    }

    /// The value at `row` in the column called `column` as a `Bool`.
    /// - Throws: `PGError` `.protocolViolation` when the text is not a boolean.
    public func bool(row: Int, column: String) throws(PGError) -> Bool? {
        guard let index = columnIndex(named: column) else { return nil }
        return try bool(row: row, column: index)
    }

    /// The value at `row`, `column` as a `Double` (`float8`, `float4`, `numeric`, integers;
    /// `Infinity` and `NaN` included).
    /// - Throws: `PGError` `.protocolViolation` when the text is not a number.
    public func double(row: Int, column: Int) throws(PGError) -> Double? {
        try parse(row: row, column: column, as: "number") { Double($0) }
    }

    /// The value at `row` in the column called `column` as a `Double`.
    /// - Throws: `PGError` `.protocolViolation` when the text is not a number.
    public func double(row: Int, column: String) throws(PGError) -> Double? {
        guard let index = columnIndex(named: column) else { return nil }
        return try double(row: row, column: index)
    }

    /// One field of the error this result reports (`PQresultErrorField`).
    func errorField(_ field: Int32) -> String? {
        guard let text = PQresultErrorField(handle, field) else { return nil }
        return String(cString: text)
    }

    private func parse<T>(row: Int, column: Int, as typeName: String, _ convert: (String) -> T?) throws(PGError) -> T? {
        guard let text = string(row: row, column: column) else { return nil }
        guard let value = convert(text) else {
            let name = columnName(column) ?? "#\(column)"
            throw PGError(code: .protocolViolation, message: "column \(name) of row \(row) is not a \(typeName)")
        }
        return value
    }
}

@available(*, unavailable)
extension PGResult: Sendable {}
