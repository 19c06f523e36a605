import Foundation
import JarvisCore
import JarvisHTTP
import JarvisJobs
import JarvisPostgres
import JarvisSQLite
import JarvisSSH
import JarvisSpool

/// The composition root: every live adapter the CLI uses is built here and nowhere else
/// (the jobs see them only through the core's ports): the SQLite journal, the spool, the
/// PostgreSQL store of record and runner coordination, the SSH and local executors, the host
/// checks and key scanner, libcurl for Discord, the LLM and Prometheus, lock files, sleeps and
/// the clock.
enum LiveEnvironment {
    /// The wall clock.
    static let now: @Sendable () -> Timestamp = { .now() }
    /// Waits between retries: the thread really sleeps.
    static let sleeper: any Sleeper = SystemSleeper()
    /// Locks between processes (`flock` on files in the state folder).
    static let locks: any ProcessLocks = FileLocks()

    /// libcurl's easy interface, with no proxy (Discord's own proxy: `dispatcher`).
    static var httpTransport: any HTTPTransport { CurlTransport() }

    /// The local SQLite database at `path` (created and migrated when missing).
    static func journal(at path: String) throws -> JournalDatabase { try JournalDatabase(path: path) }

    /// The spool folder of `configuration`.
    static func spool(_ configuration: JarvisConfiguration) throws -> SpoolDirectory {
        try SpoolDirectory(root: configuration.spoolDir, maxFileSize: configuration.ingest.maxFileSize)
    }

    /// Connects to the PostgreSQL store of record.
    /// - Throws: `StoreFailure`.
    static func storeOfRecord(_ settings: PostgresSettings) throws -> any StoreOfRecord { try LivePostgres.connect(settings) }

    /// Connects to PostgreSQL's report functions.
    /// - Throws: `StoreFailure`.
    static func reportDatabase(_ settings: PostgresSettings) throws -> any ReportDatabase { try LivePostgres.reportDatabase(settings) }

    /// PostgreSQL as the meeting point of runners, connected on first use.
    static func runnerCoordination(_ settings: PostgresSettings) -> LiveRunnerCoordination { LiveRunnerCoordination(settings: settings) }

    /// Runs remediation commands over SSH (or directly on a `local` host).
    static func remediationExecutor(_ settings: SSHSettings) -> any RemediationExecutor {
        LiveRemediationExecutor(settings: settings, sleeper: sleeper)
    }

    /// The checks of `probe-hosts`: TCP and banner probes, SSH sessions, local commands.
    static func hostChecks(_ settings: SSHSettings) -> HostChecks { .live(settings: settings, sleeper: sleeper) }

    /// Fetches `host`'s SSH key without checking it or logging in.
    /// - Throws: A failure whose text names the host and says what went wrong.
    static func scanHostKey(_ host: HostDefinition, timeout: Duration) throws -> KnownHostsScanner.ScannedKey {
        try KnownHostsScanner.scan(host, timeout: timeout)
    }

    /// The Discord dispatcher over `journal`'s outbox: libcurl (with `discord.proxy` if set),
    /// real sleeps, the `notify` lock file.
    static func dispatcher(_ configuration: JarvisConfiguration, journal: JournalDatabase) -> NotificationDispatcher {
        NotificationDispatcher(
            configuration: configuration, journal: journal, locks: locks, transport: CurlTransport(proxy: configuration.discord.proxy),
            sleeper: sleeper, now: now)
    }
}

extension RunContext {
    func openSpool() throws -> SpoolDirectory { try LiveEnvironment.spool(configuration) }

    func openJournal() throws -> JournalDatabase {
        try ensureStateDir()
        return try LiveEnvironment.journal(at: configuration.journalPath)
    }

    /// Opens PostgreSQL; nil in embedded mode.
    var storeConnector: (() throws -> any StoreOfRecord)? {
        guard let settings = configuration.postgres else { return nil }
        return { try LiveEnvironment.storeOfRecord(settings) }
    }

    /// Opens PostgreSQL's report functions; nil in embedded mode.
    var reportConnector: (() throws -> any ReportDatabase)? {
        guard let settings = configuration.postgres else { return nil }
        return { try LiveEnvironment.reportDatabase(settings) }
    }

    /// The executor remediation commands go through.
    var remediationExecutor: any RemediationExecutor { LiveEnvironment.remediationExecutor(configuration.ssh) }

    // MARK: Hosts

    /// The host state store over the journal; transitions become `host_status_log` journal rows
    /// when PostgreSQL is configured.
    func openHostStateStore() throws -> HostStateStore {
        HostStateStore(journal: try openJournal(), journalRows: !configuration.isEmbedded, runner: configuration.runner)
    }

    /// The stored host states, for commands that only read them: creates nothing when the
    /// database does not exist yet (every host is then ONLINE, never checked).
    func readHostStates() throws -> HostStateDocument {
        guard FileManager.default.fileExists(atPath: configuration.journalPath) else { return HostStateDocument() }
        return try HostStateStore(journal: try LiveEnvironment.journal(at: configuration.journalPath), journalRows: false, runner: "").load()
    }

    /// One log line per committed host transition: warning for → OFFLINE, notice otherwise.
    var hostNotifier: LoggingHostNotifier {
        LoggingHostNotifier { line, isBadNews in Console.log(isBadNews ? .warning : .notice, line) }
    }

    // MARK: Notifications

    /// The Discord dispatcher over `journal`'s outbox (libcurl, real sleeps).
    func dispatcher(journal: JournalDatabase) -> NotificationDispatcher { LiveEnvironment.dispatcher(configuration, journal: journal) }

    /// Queues `notifications` (nothing when no webhook is configured) and delivers what is
    /// due; a delivery that could not finish is logged and waits in the outbox.
    func notify(_ notifications: [DiscordNotification], journal: JournalDatabase, through dispatcher: NotificationDispatcher? = nil) throws {
        let dispatcher = dispatcher ?? self.dispatcher(journal: journal)
        if !notifications.isEmpty { try dispatcher.enqueue(notifications) }
        let delivery = try dispatcher.deliverDue()
        if delivery.isDegraded { Console.log(.warning, delivery.summary) }
    }

    // MARK: Diagnosis

    /// Builds the diagnosis agent for one alert from `llm:`; nil when no LLM is configured.
    var diagnosisAgentFactory: ((Alert) throws -> DiagnosisAgent)? {
        guard let settings = configuration.llm else { return nil }
        let catalog = RemediationCatalog(configuration: configuration)
        return { alert in
            let provider: any LLMProvider
            switch settings.provider {
            case .anthropic:
                provider = AnthropicProvider(
                    model: settings.model, baseURL: settings.baseURL ?? "https://api.anthropic.com", apiKey: settings.apiKey ?? Secret(""))
            case .openai:
                provider = OpenAICompatibleProvider(
                    model: settings.model, baseURL: settings.baseURL ?? "http://127.0.0.1:11434/v1", apiKey: settings.apiKey)
            }
            let transport: any HTTPTransport
            if let replay = settings.replayFile {
                transport = try ReplayTransport(path: replay, alertname: alert.alertname)
            } else {
                transport = LiveEnvironment.httpTransport
            }
            return DiagnosisAgent(
                provider: provider, transport: transport, sleeper: LiveEnvironment.sleeper, now: LiveEnvironment.now,
                tools: catalog.diagnosticTools, actions: catalog.planActions, limits: settings.limits)
        }
    }

    // MARK: Runners sharing PostgreSQL

    /// Copies the maintenance windows and host states other runners recorded into `journal`
    /// (nothing in embedded mode); with PostgreSQL away the local copy stays, with a warning.
    func refreshShared(_ journal: JournalDatabase) {
        guard let coordination else { return }
        if let warning = SharedState.refresh(from: coordination, journal: journal, configuration: configuration, now: .now()) {
            Console.log(.warning, warning)
        }
    }

    /// With PostgreSQL configured, brings the local copy of the patterns up to date (every
    /// runner's learning lands there); with PostgreSQL away the copy is used, with a warning.
    /// - Returns: the warning when PostgreSQL could not be asked (logged unless `warn` is false).
    @discardableResult func refreshPatterns(_ journal: JournalDatabase, warn: Bool = true) -> String? {
        guard let learning, let warning = SharedLearningJob.refreshCache(from: learning, journal: journal, now: .now()) else { return nil }
        if warn { Console.log(.warning, warning) }
        return warning
    }

    /// Sends what the journal holds to PostgreSQL now (as `jarvis drain` does), so that a
    /// change other runners must see (a maintenance window) reaches them with their next
    /// run. Nil in embedded mode or when a drain is running already (it sends it).
    /// - Returns: one line for the operator.
    func shareNow(_ journal: JournalDatabase) throws -> String? {
        guard let connect = storeConnector, let lock = try LiveEnvironment.locks.acquire(configuration.lockPath("flush"), timeout: 0) else {
            return nil
        }
        defer { lock.release() }
        let report = try DrainJob(journal: journal, batchSize: configuration.drain.batchSize, connect: connect).run()
        if let failure = report.failure {
            return "not yet shared with other runners (PostgreSQL: \(failure.description)); the next ingest or drain sends it"
        }
        return "shared with every runner of this PostgreSQL (they apply it from their next run)"
    }
}
