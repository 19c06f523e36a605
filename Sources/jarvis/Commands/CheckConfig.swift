import ArgumentParser
import Foundation
import JarvisJobs

struct CheckConfig: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check-config",
        abstract: "Validate the configuration and list every problem with its key path.",
        discussion: "Exits 0 when the configuration is usable, 78 (EX_CONFIG) otherwise. Secrets are never printed.")

    @OptionGroup var options: GlobalOptions

    func run() throws {
        let (configuration, problems) = ConfigurationLoader().loadReportingProblems(options.overrides)
        if problems.isEmpty {
            print("configuration OK (\(configuration.source))")
            print("  spool:  \(configuration.spoolDir)")
            print("  state:  \(configuration.stateDir)")
            if let postgres = configuration.postgres {
                print("  store:  PostgreSQL (\(postgres.url == nil ? "from PG* variables / .pgpass" : "URL set, redacted"), connect timeout \(postgres.connectTimeout)s)")
            } else {
                print("  store:  embedded (SQLite is the store of record)")
            }
            print("  runner: \(configuration.runner)")
            throw ExitCode(0)
        }
        FileHandle.standardError.write(Data("configuration \(configuration.source) has \(problems.count) problem\(problems.count == 1 ? "" : "s"):\n".utf8))
        for problem in problems { FileHandle.standardError.write(Data("  \(problem)\n".utf8)) }
        throw ExitCode(JarvisExit.config)
    }
}
