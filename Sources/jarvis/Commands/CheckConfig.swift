import ArgumentParser
import Foundation
import JarvisCore
import JarvisJobs

struct CheckConfig: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check-config",
        abstract: "Validate the configuration and list every problem with its key path.",
        discussion: """
            With PostgreSQL configured, also connects to it (within its connect timeout, at most \
            3 s): a server that refuses the connection (authentication, no such database or \
            role, SSL required) or a URL it cannot read is a problem; an unreachable server is \
            only reported, since runs then complete degraded. `--offline` skips the connection.

            Exits 0 when the configuration is usable, 78 (EX_CONFIG) otherwise. Each problem \
            says which subcommands it stops: a bad Discord webhook stops only the subcommands that \
            notify, a missing LLM key stops none (ingest escalates instead of diagnosing). \
            Secrets are never printed.
            """)

    @OptionGroup var options: GlobalOptions

    @Flag(help: "Do not try to connect to PostgreSQL; check the files and settings only.")
    var offline = false

    func run() throws {
        let started = Timestamp.now()
        var (configuration, problems) = ConfigurationLoader().loadReportingProblems(options.overrides)
        // Its run metrics too (metrics_dir is read even when other settings have problems).
        func exit(_ code: Int32) -> ExitCode {
            try? MetricsWriter.configured(configuration)?.writeRun(command: "check-config", started: started, finished: .now(), exitCode: code)
            return ExitCode(code)
        }
        var storeLine: String?
        if problems.isEmpty, !offline, var postgres = configuration.postgres {
            postgres.connectTimeout = min(postgres.connectTimeout, 3)
            do {
                _ = try LiveEnvironment.storeOfRecord(postgres)
                storeLine = "PostgreSQL answers"
            } catch let failure as StoreFailure where failure.misconfigured {
                problems.append(ConfigurationProblem("postgres.url", "PostgreSQL refused the connection: \(failure.description)"))
            } catch {
                storeLine = "PostgreSQL \(error); runs complete degraded until it answers"
            }
        }
        if problems.isEmpty {
            print("configuration OK (\(configuration.source))")
            print("  spool:  \(configuration.spoolDir)")
            print("  state:  \(configuration.stateDir)")
            if let postgres = configuration.postgres {
                print(
                    "  store:  PostgreSQL (\(postgres.url == nil ? "from PG* variables / .pgpass" : "URL set, redacted"), connect timeout \(postgres.connectTimeout)s)"
                )
                print("          \(storeLine ?? "connection not tried (--offline)")")
            } else {
                print("  store:  embedded (SQLite is the store of record)")
            }
            let peers = configuration.runnerSettings.peers.isEmpty ? "" : ", peers " + configuration.runnerSettings.peers.joined(separator: ", ")
            let mode = configuration.runnerSettings.isShared ? "shared: no action while PostgreSQL is away" : "single"
            print("  runner: \(configuration.runner) (\(mode)\(peers))")
            print(
                "  hosts:  \(configuration.hosts.isEmpty ? "none (alerts cannot be routed to a host)" : configuration.hosts.map(\.name).joined(separator: ", "))"
            )
            let remediation = configuration.remediation
            print(
                "  remediation: \(remediation.mode.rawValue)\(remediation.mode == .dryRun ? " (nothing is executed; set remediation.mode: execute)" : ""), \(remediation.actionsPerHour) actions/hour, verification window \(Int(remediation.verificationWindow))s"
            )
            if let llm = configuration.llm {
                let source = llm.replayFile.map { "recorded answers from \($0)" } ?? (llm.baseURL ?? "default endpoint")
                print("  llm:    \(llm.provider.rawValue) \(llm.model) (\(source))")
            } else {
                print("  llm:    none (alerts no trusted pattern covers are escalated)")
            }
            print(
                "  accept: \(configuration.acceptToken == nil ? "no token ($CREDENTIALS_DIRECTORY/accept_token): only `jarvis accept` needs it" : "token set, redacted")"
            )
            print(
                "  cascade: \(configuration.cascade.signals.count) signal(s), \(configuration.cascade.services.count) service(s), \(configuration.cascade.inhibitRules.count) inhibit rule(s)"
            )
            throw exit(0)
        }
        FileHandle.standardError.write(
            Data("configuration \(configuration.source) has \(problems.count) problem\(problems.count == 1 ? "" : "s"):\n".utf8))
        for problem in problems { FileHandle.standardError.write(Data("  \(problem) [\(problem.scope)]\n".utf8)) }
        throw exit(JarvisExit.config)
    }
}
