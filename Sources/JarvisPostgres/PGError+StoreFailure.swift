import Foundation
public import JarvisCore

extension StoreFailure {
    /// What an error of the PostgreSQL adapter means for a run, in words for people.
    ///
    /// A failure is "unreachable" when libpq says so, when the SQLSTATE is a connection
    /// exception (class 08) or an operator shutdown (57P01–57P03), or when `store` no longer
    /// answers a ping after the error (the server went away mid-transaction).
    ///
    /// A failure is "misconfigured" when the server answered and refused: the connection was
    /// refused for a reason waiting will not cure (password, role, database, `pg_hba.conf`,
    /// SSL, a URL libpq cannot read), or a statement met SQLSTATE class 28 (authorization),
    /// 3D000 (no such database), 3F000 (no such schema) or 42501 (permission denied).
    ///
    /// - Parameters:
    ///   - error: What the adapter threw; a `StoreFailure` is kept as it is.
    ///   - store: The connection the error came from, asked whether it still answers; nil
    ///     when none was opened.
    public init(postgres error: any Error, store: PostgresStore?) {
        guard let error = error as? PGError else {
            self.init(error)
            return
        }
        let state = error.sqlState ?? ""
        let unreachable =
            error.isUnreachable || state.hasPrefix("08") || ["57P01", "57P02", "57P03"].contains(state)
            || (store.map { !$0.ping() } ?? false)
        let misconfigured = error.code == .connectionFailed || state.hasPrefix("28") || ["3D000", "3F000", "42501"].contains(state)
        var description = error.reason
        if let state = error.sqlState { description += " (SQLSTATE \(state))" }
        if error.sqlState == "42P01" { description += " (run `jarvis migrate` to create the schema)" }
        if unreachable {
            description = "unreachable: " + description
        } else if misconfigured {
            description += " (fix postgres.url / DATABASE_URL or the server's grants; rows wait in the journal)"
        }
        self.init(unreachable: unreachable, misconfigured: misconfigured, description: description)
    }
}

extension PGError {
    /// The server's own reason on one line, without the error's kind:
    /// `FATAL:  database "x" does not exist` becomes `database "x" does not exist`.
    var reason: String {
        let lines = message.split(separator: "\n").map { line -> String in
            var text = Substring(line)
            for prefix in ["connection to server", "FATAL:", "ERROR:"] where text.hasPrefix(prefix) {
                if prefix == "connection to server", let colon = text.range(of: "failed: ") { text = text[colon.upperBound...] }
                if prefix != "connection to server" { text = text.dropFirst(prefix.count) }
            }
            return text.trimmingCharacters(in: .whitespaces)
        }
        return lines.filter { !$0.isEmpty }.joined(separator: "; ")
    }
}
