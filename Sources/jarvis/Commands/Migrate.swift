import ArgumentParser
import JarvisCore
import JarvisJobs
import JarvisSQLite

struct Migrate: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "migrate",
        abstract: "Create or upgrade the SQLite and PostgreSQL schemas.",
        discussion: """
            Applies the numbered schema steps that are missing, each once; running it again \
            changes nothing. PostgreSQL steps run in a transaction under an advisory lock, so \
            several runners may migrate at once. Ingest upgrades the local SQLite schema by itself.
            """)

    @OptionGroup var options: GlobalOptions

    func run() throws {
        RunContext.execute("migrate", options) { context in
            var lines: [String] = []
            let journal = try context.openJournal()
            let local = try journal.migrate()
            lines.append(
                "SQLite \(context.configuration.journalPath): " + (local.isEmpty ? "up to date" : "applied \(local.joined(separator: ", "))"))
            if let connect = context.storeConnector {
                let store = try connect()
                let remote: [String]
                do {
                    remote = try store.migrate()
                } catch {
                    throw store.failure(for: error)
                }
                lines.append("PostgreSQL: " + (remote.isEmpty ? "up to date" : "applied \(remote.joined(separator: ", "))"))
            } else {
                lines.append("PostgreSQL: not configured (embedded mode)")
            }
            let summary = lines.joined(separator: "\n")
            Console.print(summary)
            return .ok(summary)
        }
    }
}
