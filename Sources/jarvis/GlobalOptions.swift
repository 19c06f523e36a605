import ArgumentParser
import JarvisJobs

/// Options every subcommand takes.
struct GlobalOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("YAML configuration file.", valueName: "file"))
    var config: String?

    @Option(name: .long, help: ArgumentHelp("Spool folder (overrides JARVIS_SPOOL_DIR and spool_dir).", valueName: "dir"))
    var spoolDir: String?

    @Option(name: .long, help: ArgumentHelp("State folder for the journal and locks (overrides JARVIS_STATE_DIR).", valueName: "dir"))
    var stateDir: String?

    @Option(
        name: .long,
        help: ArgumentHelp(
            "PostgreSQL URL (overrides DATABASE_URL). Prefer DATABASE_URL or a systemd credential: arguments are visible in ps.",
            valueName: "url"))
    var databaseURL: String?

    @Flag(name: .long, help: "Ignore any configured PostgreSQL: SQLite is the store of record.")
    var embedded = false

    @Flag(name: .shortAndLong, help: "Log debug detail to stderr.")
    var verbose = false

    var overrides: ConfigurationOverrides {
        ConfigurationOverrides(configFile: config, spoolDir: spoolDir, stateDir: stateDir, databaseURL: databaseURL, embedded: embedded)
    }
}
