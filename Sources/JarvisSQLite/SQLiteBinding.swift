import Foundation
import GRDB
internal import GRDBSQLite

/// Binds and reads values straight through SQLite's C API for the ingest and drain hot paths.
///
/// GRDB's `StatementArguments` and `Row` box each value as a `DatabaseValue`; for 17 columns
/// per alert that cost more than SQLite's own insert (measured with jarvis-bench: 19 µs vs
/// 10 µs per alert). Everything else goes through GRDB.
enum SQLiteBinding {
    private static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

    /// Wraps `sqlite3_reset`, `sqlite3_bind_text`/`sqlite3_bind_null` and `sqlite3_step` for a
    /// statement that returns no rows.
    /// - Throws: `DatabaseError` with SQLite's message when a step fails.
    static func run(_ statement: Statement, _ db: Database, _ values: [String?]) throws {
        let raw = RawStatement(statement, db)
        raw.reset()
        for (index, value) in values.enumerated() { try raw.bind(Int32(index + 1), value) }
        try raw.run()
    }

    /// One prepared statement driven by hand: reset, bind by position, step.
    struct RawStatement {
        /// Kept so that GRDB does not finalize the statement while it is used.
        let statement: Statement
        let handle: OpaquePointer
        let connection: OpaquePointer

        init(_ statement: Statement, _ db: Database) {
            self.statement = statement
            handle = statement.sqliteStatement
            connection = db.sqliteConnection!
        }

        func reset() {
            sqlite3_reset(handle)
        }

        func failure(_ code: Int32) -> DatabaseError {
            DatabaseError(resultCode: ResultCode(rawValue: code), message: String(cString: sqlite3_errmsg(connection)))
        }

        /// Binds text (SQLite copies it), or NULL.
        func bind(_ position: Int32, _ value: String?) throws {
            let code: Int32
            if var value {
                code = value.withUTF8 { bytes in
                    guard let base = bytes.baseAddress, bytes.count > 0 else { return sqlite3_bind_text(handle, position, "", 0, transient) }
                    return sqlite3_bind_text(
                        handle, position, UnsafeRawPointer(base).assumingMemoryBound(to: CChar.self), Int32(bytes.count), transient)
                }
            } else {
                code = sqlite3_bind_null(handle, position)
            }
            guard code == SQLITE_OK else { throw failure(code) }
        }

        /// Binds an integer, or NULL.
        func bind(_ position: Int32, _ value: Int64?) throws {
            let code = value.map { sqlite3_bind_int64(handle, position, $0) } ?? sqlite3_bind_null(handle, position)
            guard code == SQLITE_OK else { throw failure(code) }
        }

        /// Binds a blob (SQLite copies it), or NULL.
        func bind(_ position: Int32, _ value: [UInt8]?) throws {
            let code: Int32
            if let value {
                code = value.withUnsafeBytes { bytes in
                    sqlite3_bind_blob(handle, position, bytes.baseAddress ?? UnsafeRawPointer(bitPattern: 1), Int32(bytes.count), transient)
                }
            } else {
                code = sqlite3_bind_null(handle, position)
            }
            guard code == SQLITE_OK else { throw failure(code) }
        }

        /// Binds a real number.
        func bind(_ position: Int32, _ value: Double) throws {
            let code = sqlite3_bind_double(handle, position, value)
            guard code == SQLITE_OK else { throw failure(code) }
        }

        /// Column `index` of the current row as bytes; nil for NULL.
        func blob(_ index: Int32) -> [UInt8]? {
            guard sqlite3_column_type(handle, index) != SQLITE_NULL else { return nil }
            let count = Int(sqlite3_column_bytes(handle, index))
            guard count > 0, let pointer = sqlite3_column_blob(handle, index) else { return [] }
            return Array(UnsafeRawBufferPointer(start: pointer, count: count))
        }

        /// Steps a statement that returns no rows, then resets it.
        func run() throws {
            let code = sqlite3_step(handle)
            sqlite3_reset(handle)
            guard code == SQLITE_DONE else { throw failure(code) }
        }

        /// Steps once: true with a row to read, false when done.
        func step() throws -> Bool {
            let code = sqlite3_step(handle)
            if code == SQLITE_ROW { return true }
            guard code == SQLITE_DONE else { throw failure(code) }
            return false
        }

        /// True when column `index` of the current row holds exactly the UTF-8 bytes of `text`.
        func column(_ index: Int32, equals text: inout String) -> Bool {
            guard let pointer = sqlite3_column_text(handle, index) else { return false }
            let count = Int(sqlite3_column_bytes(handle, index))
            return text.withUTF8 { bytes in
                bytes.count == count && (count == 0 || memcmp(bytes.baseAddress!, pointer, count) == 0)
            }
        }

        /// Column `index` of the current row as text; nil for NULL.
        func text(_ index: Int32) -> String? {
            guard let pointer = sqlite3_column_text(handle, index) else { return nil }
            let count = Int(sqlite3_column_bytes(handle, index))
            return String(unsafeUninitializedCapacity: count) { buffer in
                if count > 0 { buffer.baseAddress!.update(from: pointer, count: count) }
                return count
            }
        }

        /// Column `index` of the current row as an integer; nil for NULL.
        func int64(_ index: Int32) -> Int64? {
            sqlite3_column_type(handle, index) == SQLITE_NULL ? nil : sqlite3_column_int64(handle, index)
        }
    }
}
