import JarvisCore

/// Everything jarvis is configured with, loaded once per run by `ConfigurationLoader`.
///
/// Defaults suit a systemd install; every one can be set in the YAML file, and the folders and
/// PostgreSQL URL also by environment (`JARVIS_SPOOL_DIR`, `JARVIS_STATE_DIR`, `DATABASE_URL`)
/// and flags.
public struct JarvisConfiguration: Sendable {
    /// The spool Alertmanager notifications arrive in [/var/spool/jarvis].
    public var spoolDir = "/var/spool/jarvis"
    /// Where the SQLite journal, locks and metrics live [/var/lib/jarvis].
    public var stateDir = "/var/lib/jarvis"
    /// This runner's name in rows it writes (`runner.id`, `JARVIS_RUNNER_ID`) [the host name].
    public var runner = ""
    /// Other runners sharing PostgreSQL, and whether to act while it is away (`runner:`).
    public var runnerSettings = RunnerSettings()
    /// Where every run writes Prometheus textfile metrics for node_exporter (`metrics_dir`,
    /// `JARVIS_METRICS_DIR`); nil: no metrics.
    public var metricsDir: String?
    /// PostgreSQL, the store of record; nil means embedded mode (SQLite only).
    public var postgres: PostgresSettings?
    public var ingest = IngestSettings()
    public var drain = DrainSettings()
    /// The host inventory (`hosts:`), in configuration order; empty when none is configured.
    public var hosts: [HostDefinition] = []
    /// SSH timeouts, caps, retries and host-state numbers (`ssh:`).
    public var ssh = SSHSettings()
    /// Triage numbers (`triage:`): dedup cooldown, root-cause TTL, flapping, attempt budget.
    public var triage = TriageConfiguration()
    /// The dependency graph and inhibit rules for cascade suppression (`cascade:`); empty:
    /// no cascade suppression.
    public var cascade = CascadeConfiguration()
    /// Acting on actionable alerts (`remediation:`): dry-run unless set to execute.
    public var remediation = RemediationSettings()
    /// The LLM for tier-2/3 diagnosis (`llm:`); nil: no LLM.
    public var llm: LLMSettings?
    /// Discord notifications (`discord:`); off until a webhook URL is configured.
    public var discord = DiscordSettings()
    /// The secret Alertmanager presents to `jarvis accept` (`$CREDENTIALS_DIRECTORY/accept_token`);
    /// nil: `accept` refuses to start, every other subcommand runs.
    public var acceptToken: Secret<String>?
    /// Where the configuration came from (a file path, or "defaults").
    public var source = "defaults"

    public init() {}

    /// `embedded` when no PostgreSQL is configured.
    public var isEmbedded: Bool { postgres == nil }

    /// The SQLite database inside `stateDir`.
    public var journalPath: String { stateDir + "/jarvis.sqlite" }

    /// The inventory built from `hosts`.
    public var inventory: HostInventory { HostInventory(hosts: hosts) }

    /// A lock file inside `stateDir`.
    public func lockPath(_ name: String) -> String { stateDir + "/\(name).lock" }
}

/// `jarvis ingest` settings.
public struct IngestSettings: Sendable {
    /// Spool files larger than this are rejected unread [1 MiB].
    public var maxFileSize = 1 << 20
    /// Seconds to wait for another ingest run to finish before giving up [30].
    public var lockTimeout = 30.0
    /// Group commit: at most this many files share one SQLite transaction [64]. Each file's
    /// rows are committed atomically, and a file is deleted only after its commit.
    public var groupFiles = 64
    /// Group commit: a group is committed once it holds this many alerts [5000].
    public var groupAlerts = 5000
    public init() {}
}

/// `jarvis drain` settings.
public struct DrainSettings: Sendable {
    /// Journal rows per PostgreSQL transaction [2000].
    public var batchSize = 2000
    /// Seconds to wait for another drain or flush to finish [30].
    public var lockTimeout = 30.0
    public init() {}
}
